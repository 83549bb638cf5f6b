"""Statements of the hot paths, compiled once per dialect and run on the DB-API cursor.

SQLAlchemy's `Connection.execute` costs more than SQLite takes to run a small statement (an
execution context, parameter and result metadata, events, a result object; about two thirds
of an action's statements' time, docs/benchmarks.md "commands"). A `Prepared` statement keeps
what does not change between calls: the SQL text for the connection's dialect, the order of
its parameters, the column types' bind and result processors (the same functions SQLAlchemy
applies, so rows are written and read exactly as through `Connection.execute`). It runs in the
connection's transaction, on the connection's own DB-API connection; what stays the same:

- errors: the driver's errors are raised as SQLAlchemy's (`DBAPIError.instance`), so the
  unit of work's retry (PostgreSQL's sqlstate) and the sweep's fault handling see the same
  exceptions;
- events: `before_cursor_execute` / `after_cursor_execute` listeners of the connection or
  engine are called as SQLAlchemy calls them (statement capture, query counts in tests).

Statements with expanding IN lists are not for this path; `run_many` is its executemany (a
batch's rows of one statement, the sweep's next looks and cursors).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

Processor = Callable[[Any], Any] | None
T = TypeVar("T")


class Encoded(str):
    """A JSON column's value already encoded (the column's text as written): bound as it is,
    so a value whose JSON a command needs anyway (the record's details, which it hashes) is
    encoded once. Anything else bound to a JSON column goes through the type's processor."""

    __slots__ = ()


def _keeping_encoded(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def bind(value: Any) -> Any:
        return str.__str__(value) if type(value) is Encoded else process(value)

    return bind


class _Compiled:
    """A statement's SQL and processors for one dialect and one set of parameter names."""

    __slots__ = (
        "_once", "_plan", "_types", "binds", "columns", "fixed", "order", "results", "sql"
    )

    def __init__(self, statement: Any, dialect: Dialect, keys: tuple[str, ...] | None) -> None:
        compiled = statement.compile(
            dialect=dialect, column_keys=None if keys is None else list(keys)
        )
        self.sql: str = compiled.string
        self.order: tuple[str, ...] | None = (
            None if compiled.positiontup is None else tuple(compiled.positiontup)
        )
        # Values bound in the statement itself (a LIMIT, a literal compared with).
        self.fixed: dict[str, Any] = {
            name: bind.effective_value
            for bind, name in compiled.bind_names.items()
            if not bind.required and name not in (keys or ())
        }
        processors = compiled._bind_processors  # the ones Connection.execute would apply
        self.binds: dict[str, Callable[[Any], Any]] = {
            name: _keeping_encoded(p) if isinstance(compiled.binds[name].type, sa.JSON) else p
            for name, p in processors.items()
        }
        self.columns = tuple(entry.keyname for entry in compiled._result_columns)
        self._types = tuple(entry.type for entry in compiled._result_columns)
        self.results: tuple[tuple[int, Callable[[Any], Any]], ...] | None = None
        self._plan: tuple[tuple[str, Processor], ...] | None = None
        # A name bound at several places (a multi-row VALUES sharing the batch's instant) is
        # processed once, then laid out at each place.
        self._once = self.order is not None and len(set(self.order)) < len(self.order)

    def parameters(self, params: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        binds = self.binds
        if self.fixed:
            params = {**self.fixed, **params}
        if self._once:
            done = {k: (binds[k](v) if k in binds else v) for k, v in params.items()}
            return [done[k] for k in self.order or ()]
        if self.order is not None:
            if self._plan is None:  # each position: its name and its processor, once
                self._plan = tuple((k, binds.get(k)) for k in self.order)
            return [params[k] if p is None else p(params[k]) for k, p in self._plan]
        return {k: (binds[k](v) if k in binds else v) for k, v in params.items()}

    def parameter_rows(self, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Each row's parameters (an executemany); a value that is the previous row's at the
        same name (the batch's instant, its day) goes through its processor once."""
        fixed, order = self.fixed, self.order
        names = tuple(order if order is not None else {**fixed, **rows[0]})
        plan = tuple((k, self.binds.get(k)) for k in names)
        seen: dict[str, tuple[Any, Any]] = {}  # name: (the last value, its processed value)
        out: list[Any] = []
        for params in rows:
            if fixed:
                params = {**fixed, **params}
            args = []
            for k, p in plan:
                v = params[k]
                if p is not None:
                    last = seen.get(k)
                    if last is None or last[0] is not v:
                        last = seen[k] = (v, p(v))
                    v = last[1]
                args.append(v)
            out.append(args if order is not None else dict(zip(names, args, strict=True)))
        return out

    def result_processors(
        self, dialect: Dialect, description: Any
    ) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
        """The columns that have a result processor, for the driver's column types: each
        column's position and its processor (first call only)."""
        if self.results is None:
            self.results = tuple(
                (i, p)
                for i, (t, d) in enumerate(zip(self._types, description, strict=True))
                if (p := t._cached_result_processor(dialect, d[1])) is not None
            )
        return self.results


class Prepared:
    """One Core statement, compiled on first use per dialect (and set of INSERT/UPDATE keys:
    `keyed` statements compile for the parameter names given)."""

    def __init__(self, statement: Any, *, keyed: bool = False) -> None:
        self.statement = statement
        self._keyed = keyed
        self._compiled: dict[tuple[str, tuple[str, ...] | None], _Compiled] = {}

    def _for(self, dialect: Dialect, params: Mapping[str, Any]) -> _Compiled:
        keys = tuple(params) if self._keyed else None
        found = self._compiled.get((dialect.name, keys))
        if found is None:
            found = _Compiled(self.statement, dialect, keys)
            self._compiled[(dialect.name, keys)] = found
        return found

    def _execute(
        self,
        conn: Connection,
        params: Mapping[str, Any],
        fetch: Callable[[Any, _Compiled], T],
        *,
        alone: bool = False,
    ) -> T:
        """Execute in the connection's transaction (`alone`: outside of one, see `rows`); what
        `fetch` takes from the cursor."""
        if not alone and not conn.in_transaction():
            conn.begin()  # as Connection.execute's autobegin
        compiled = self._for(conn.dialect, params)
        args = compiled.parameters(params)
        return _run(conn, compiled.sql, args, lambda cursor: fetch(cursor, compiled))

    def rows(
        self, conn: Connection, params: Mapping[str, Any], *, alone: bool = False
    ) -> list[tuple[Any, ...]]:
        """Every row, each column through its type's result processor.

        `alone`: the connection's only statement, a read, run without beginning a transaction
        of the connection (no BEGIN, no ROLLBACK when it closes): one statement reads one
        consistent state by itself (SQLite, whose connections run in autocommit mode: its own
        read transaction; PostgreSQL: the driver's implicit transaction, rolled back when the
        pool takes the connection back). For the request's token lookup (api/auth.py)."""
        dialect = conn.dialect

        def fetch(cursor: Any, compiled: _Compiled) -> list[tuple[Any, ...]]:
            fetched = cursor.fetchall()
            if not fetched:
                return []
            processors = compiled.result_processors(dialect, cursor.description)
            if not processors:
                return [tuple(r) for r in fetched]
            rows = []
            for r in fetched:  # only the columns that have a processor (a few of a row's 40)
                row = list(r)
                for i, p in processors:
                    v = row[i]
                    if v is not None:
                        row[i] = p(v)
                rows.append(tuple(row))
            return rows

        return self._execute(conn, params, fetch, alone=alone)

    def first(self, conn: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        found = self.rows(conn, params)
        return found[0] if found else None

    def scalar(self, conn: Connection, params: Mapping[str, Any]) -> Any:
        """The first column of the one row."""
        found = self.rows(conn, params)
        if not found:
            raise sa.exc.NoResultFound("no row was found")
        if len(found) > 1:
            raise sa.exc.MultipleResultsFound("more than one row was found")
        return found[0][0]

    def rowcount(self, conn: Connection, params: Mapping[str, Any]) -> int:
        return self._execute(conn, params, lambda cursor, _compiled: int(cursor.rowcount))

    def columns(self, dialect: Dialect, params: Mapping[str, Any] | None = None) -> tuple[str, ...]:
        """The names of the result columns (labels included)."""
        return self._for(dialect, params or {}).columns


def run_many(statement: Prepared, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
    """One executemany of `statement` (each row its parameters, all with the same names) in
    the connection's transaction, with the same events and errors; the rows affected (the sum
    over the parameter rows, on both drivers)."""
    if not rows:
        return 0
    if not conn.in_transaction():
        conn.begin()  # as Connection.execute's autobegin
    compiled = statement._for(conn.dialect, rows[0])
    args = compiled.parameter_rows(rows)
    return _run(conn, compiled.sql, args, lambda cursor: int(cursor.rowcount), many=True)


def driver_sql(conn: Connection, sql: str) -> None:
    """Run a statement without parameters or rows (BEGIN IMMEDIATE) on the connection's DB-API
    connection, with the same events and errors as `Prepared`."""
    _run(conn, sql, (), lambda _cursor: None)


def _run(
    conn: Connection, sql: str, args: Any, fetch: Callable[[Any], T], *, many: bool = False
) -> T:
    """Execute on a cursor of the connection's DB-API connection (`many`: executemany): the
    cursor events around it, the driver's errors as SQLAlchemy's; what `fetch` takes from the
    cursor."""
    dialect = conn.dialect
    cursor = conn.connection.cursor()
    dispatch = conn.dispatch
    try:
        if dispatch.before_cursor_execute:  # a length check; iterating costs more when empty
            for before in dispatch.before_cursor_execute:
                before(conn, cursor, sql, args, None, many)
        if many:
            cursor.executemany(sql, args)
        else:
            cursor.execute(sql, args)
        if dispatch.after_cursor_execute:
            for after in dispatch.after_cursor_execute:
                after(conn, cursor, sql, args, None, many)
        return fetch(cursor)
    except dialect.loaded_dbapi.Error as error:
        base = dialect.loaded_dbapi.Error
        raise DBAPIError.instance(sql, args, error, base, dialect=dialect) from error
    finally:
        cursor.close()
