"""Statements of the hot path compiled once per database dialect and run as driver SQL.

SQLAlchemy Core re-derives a statement's cache key, looks up its compiled form and builds its
parameters on every execution; for the few writes of the action command (the hot path) that
costs more than SQLite's own work. A `Prepared` statement is compiled once per dialect and
parameter set, and each execution only applies the columns' own bind processors (UTC
instants, dates, text enums, JSON) before `Connection.exec_driver_sql`, so the database gets
the same SQL and values SQLAlchemy would send, and engine events still see every statement.
A SELECT's rows go through its columns' result processors the same way.
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
    results: tuple[Callable[[Any], Any] | None, ...]  # a SELECT's columns, in order

    defaults: Mapping[str, Any]  # columns' scalar defaults, for keys not given

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        given = (values[n] if n in values else self.defaults[n] for n in self.names)
        bound = [
            value if process is None else process(value)
            for value, process in zip(given, self.processors, strict=True)
        ]
        return tuple(bound) if self.positional else dict(zip(self.names, bound, strict=True))


class Prepared:
    """One statement, compiled on first use for each dialect and set of keys."""

    def __init__(self, statement: sa.Insert | sa.Update | sa.Select[Any]) -> None:
        self._statement = statement
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}

    def run(self, conn: Connection, values: Mapping[str, Any]) -> CursorResult[Any]:
        compiled = self._for(conn.dialect, values)
        return conn.exec_driver_sql(compiled.sql, compiled.parameters(values))

    def rows(self, conn: Connection, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """A SELECT's rows, each value as its column's type returns it."""
        compiled = self._for(conn.dialect, values)
        result = conn.exec_driver_sql(compiled.sql, compiled.parameters(values))
        return [
            tuple(
                value if process is None else process(value)
                for value, process in zip(row, compiled.results, strict=True)
            )
            for row in result.fetchall()
        ]

    def _for(self, dialect: Dialect, values: Mapping[str, Any]) -> _Compiled:
        key = (dialect.name, tuple(values))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(dialect, key[1])
        return compiled

    def _compile(self, dialect: Dialect, keys: tuple[str, ...]) -> _Compiled:
        statement = self._statement
        # An INSERT without explicit values takes its columns from the keys given.
        column_keys = list(keys) if isinstance(statement, sa.Insert) else None
        compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        binds = {compiled.bind_names[b]: b for b in compiled.binds.values()}
        names = tuple(compiled.positiontup or ()) if dialect.positional else tuple(binds)
        defaults = {}
        for name in set(names) - set(keys):  # an INSERT adds the columns that have defaults
            default = None
            if not isinstance(statement, sa.Select) and name in statement.table.c:
                default = statement.table.c[name].default
            if not isinstance(default, sa.ColumnDefault) or not default.is_scalar:
                raise ValueError(f"no value for {name!r} in {statement}")
            defaults[name] = default.arg
        selected = statement.selected_columns if isinstance(statement, sa.Select) else ()
        return _Compiled(
            sql=compiled.string,
            names=names,
            processors=tuple(
                binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
            ),
            positional=dialect.positional,
            defaults=defaults,
            results=tuple(
                c.type.dialect_impl(dialect).result_processor(dialect, None) for c in selected
            ),
        )
