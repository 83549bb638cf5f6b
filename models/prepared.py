"""Write statements compiled once per database dialect and run as driver SQL.

SQLAlchemy Core re-derives a statement's cache key, looks up its compiled form and builds its
parameters on every execution; for the few writes of the action command (the hot path) that
costs more than SQLite's own work. A `Prepared` statement is compiled once per dialect and
parameter set, and each execution only applies the columns' own bind processors (UTC
instants, dates, text enums, JSON) before `Connection.exec_driver_sql`, so the database gets
the same SQL and values SQLAlchemy would send, and engine events still see every statement.
Reads keep Core: their rows need the columns' result processing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, CursorResult, Dialect


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    positional: bool

    defaults: Mapping[str, Any]  # columns' scalar defaults, for keys not given

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        given = (values[n] if n in values else self.defaults[n] for n in self.names)
        bound = [
            value if process is None else process(value)
            for value, process in zip(given, self.processors, strict=True)
        ]
        return tuple(bound) if self.positional else dict(zip(self.names, bound, strict=True))


class Prepared:
    """One INSERT or UPDATE, compiled on first use for each dialect and set of keys."""

    def __init__(self, statement: sa.Insert | sa.Update) -> None:
        self._statement = statement
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}

    def run(self, conn: Connection, values: Mapping[str, Any]) -> CursorResult[Any]:
        key = (conn.dialect.name, tuple(values))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(conn.dialect, key[1])
        return conn.exec_driver_sql(compiled.sql, compiled.parameters(values))

    def _compile(self, dialect: Dialect, keys: tuple[str, ...]) -> _Compiled:
        # An INSERT without explicit values takes its columns from the keys given.
        column_keys = list(keys) if isinstance(self._statement, sa.Insert) else None
        compiled = self._statement.compile(dialect=dialect, column_keys=column_keys)
        if dialect.positional:
            names = tuple(compiled.positiontup or ())
        else:
            names = tuple(compiled.bind_names[b] for b in compiled.binds.values())
        binds = {compiled.bind_names[b]: b for b in compiled.binds.values()}
        defaults = {}
        columns = self._statement.table.c
        for name in set(names) - set(keys):  # an INSERT adds the columns that have defaults
            default = columns[name].default if name in columns else None
            if not isinstance(default, sa.ColumnDefault) or not default.is_scalar:
                raise ValueError(f"no value for {name!r} in {self._statement}")
            defaults[name] = default.arg
        return _Compiled(
            sql=compiled.string,
            names=names,
            processors=tuple(binds[name].type.bind_processor(dialect) for name in names),
            positional=dialect.positional,
            defaults=defaults,
        )
