"""Typer made cheap to start, with the same command line, help and errors.

- Sub-apps become click groups only when used. Typer turns every command of every sub-app
  into a click command before it parses the command line, inspecting each signature: for
  `localplan deadlines` a tenth of a second on twenty commands it never runs. The root group
  holds the sub-apps by name and builds one when the command line names it, or all of them
  when help lists them, in the order they were added (after the root's own commands, as
  `Typer.add_typer` places them).
- `PlainCommand` (and the root group, for `--help`) take plain `str` and `bool` values as
  given. Typer coerces every value through a pydantic TypeAdapter, and importing pydantic for
  that was a quarter of `localplan deadlines`; for a string or a bool the adapter returns the
  value unchanged, and any other value still goes through typer's own coercion.

Both use typer internals (`typer.main.get_group_from_info`, a parameter's `_runtime_param`);
`tests/cli/test_startup.py` fails if a typer upgrade makes them stop working.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any, cast

import typer
from typer._coercion import RuntimeParam, build_runtime_param
from typer.core import TyperCommand, TyperGroup
from typer.main import get_group_from_info
from typer.models import TyperInfo

Command = Any  # typer's vendored click.Command; typer does not export its type


class LazyCommands(MutableMapping[str, Command]):
    """The group's commands: built ones, and sub-apps built on first access by name."""

    def __init__(self, built: MutableMapping[str, Command], lazy: dict[str, Callable[[], Command]]):
        self._built = dict(built)
        self._lazy = {name: build for name, build in lazy.items() if name not in self._built}
        self._order = [*self._built, *self._lazy]

    def __getitem__(self, name: str) -> Command:
        if name not in self._built and name in self._lazy:
            self._built[name] = self._lazy.pop(name)()
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._lazy.pop(name, None)
        if name not in self._order:
            self._order.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self._built and name not in self._lazy:
            raise KeyError(name)
        self._built.pop(name, None)
        self._lazy.pop(name, None)
        self._order.remove(name)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)


class LazyTyper(typer.Typer):
    """`typer.Typer` whose `add_lazy_typer` sub-apps are built on first use."""

    def __init__(self, **kwargs: Any) -> None:
        self.lazy_apps: dict[str, typer.Typer] = {}
        root = self

        class Group(TyperGroup):
            def __init__(self, *, commands: Any = None, **attrs: Any) -> None:
                lazy = {name: root.builder(name) for name in root.lazy_apps}
                # TyperGroup keeps `commands` as the MutableMapping it is given.
                built = LazyCommands(dict(commands or {}), lazy)
                super().__init__(commands=cast("dict[str, Any]", built), **attrs)
                take_plain_values_as_given(self.params)

            def get_help_option(self, ctx: Any) -> Any:
                return _plain_help_option(super().get_help_option(ctx))

        super().__init__(cls=Group, **kwargs)

    def add_lazy_typer(self, sub: typer.Typer, *, name: str) -> None:
        self.lazy_apps[name] = sub

    def builder(self, name: str) -> Callable[[], Command]:
        """What `Typer.add_typer(sub, name=name)` would have built, made when called."""

        def build() -> Command:
            return get_group_from_info(
                TyperInfo(self.lazy_apps[name], name=name),
                pretty_exceptions_short=self.pretty_exceptions_short,
                rich_markup_mode=self.rich_markup_mode,
                suggest_commands=self.suggest_commands,
            )

        return build


@dataclass(frozen=True)
class _AsGiven(RuntimeParam):
    """A `str` or `bool` value as given: what typer's adapter returns for one (it converts
    with `str()` and validates the type); any other value goes through typer's coercion."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if type(value) is self.annotation:
            return value
        coercion = build_runtime_param(param.type_descriptor)
        return coercion._coerce_value(value, param=param, ctx=ctx)


def take_plain_values_as_given(params: list[Any]) -> None:
    """Give `str` and `bool` parameters without a custom parser the `_AsGiven` coercion."""
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if getattr(param, "_runtime_param", False) is not None or descriptor is None:
            continue  # not a typer parameter, or its coercion is built already
        info = descriptor.parameter_info
        if descriptor.annotation in (str, bool) and getattr(info, "parser", True) is None:
            param._runtime_param = _AsGiven(annotation=descriptor.annotation, parameter_info=info)


def _plain_help_option(option: Any) -> Any:
    """Click makes `--help` on first use (it is not among `params` before)."""
    if option is not None:
        take_plain_values_as_given([option])
    return option


class PlainCommand(TyperCommand):
    """A command whose plain `str` and `bool` options skip typer's pydantic coercion."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        take_plain_values_as_given(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        return _plain_help_option(super().get_help_option(ctx))
