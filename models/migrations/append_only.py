"""Database triggers that make history tables append-only on SQLite and PostgreSQL.

The product never updates or deletes these rows; the triggers make the database refuse it
too, so a history can only be changed by someone who first drops a trigger by hand (which the
hash chain then exposes). Every way of changing a stored row is closed:

| statement                                   | SQLite                     | PostgreSQL           |
|---------------------------------------------|----------------------------|----------------------|
| UPDATE (also an upsert's DO UPDATE, MERGE)  | BEFORE UPDATE row trigger  | BEFORE UPDATE row    |
| DELETE                                      | BEFORE DELETE row trigger  | BEFORE DELETE row    |
| INSERT OR REPLACE / REPLACE INTO            | BEFORE INSERT trigger that | (no such statement)  |
|                                             | refuses a conflicting key  |                      |
| TRUNCATE (also TRUNCATE … CASCADE)          | (no such statement)        | BEFORE TRUNCATE      |

SQLite's REPLACE deletes the conflicting row without firing DELETE triggers (unless the
connection turned `recursive_triggers` on, which a hand-held sqlite3 shell does not), so the
INSERT trigger looks for a row with the same primary key or any unique key first. PostgreSQL's
row triggers do not fire on TRUNCATE, so a statement trigger refuses it.

A new history table is guarded by one line in its migration: `guard_table(conn, "name")`,
after the table and its unique constraints exist, and by adding its name to
`APPEND_ONLY_TABLES` (tests/models/test_append_only.py tries every statement on every table
listed). A later migration that adds a unique key to a guarded table on SQLite must call
`create_conflict_guards` again (it replaces the trigger).
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

APPEND_ONLY_TABLES = (
    "transition_record",
    "refused_attempt",
    "calendar_change",
    "deadline_extension",
)
MESSAGE = "append-only table: UPDATE and DELETE are refused"
_FUNCTION = "localplan_refuse_change"


def guard_table(conn: Connection, table: str) -> None:
    """Every guard for one history table (the one-line declaration for a new table)."""
    create_guards(conn, (table,))
    create_conflict_guards(conn, (table,))


def create_guards(conn: Connection, tables: tuple[str, ...]) -> None:
    """The row triggers refusing UPDATE and DELETE (the first migration's guards)."""
    _create_function(conn)
    for table in tables:
        for op in ("UPDATE", "DELETE"):
            name = f"{table}_no_{op.lower()}"
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}()"
                )
            else:
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({table})'); END"
                )


def create_conflict_guards(conn: Connection, tables: tuple[str, ...]) -> None:
    """What row triggers miss: SQLite's REPLACE conflict path, PostgreSQL's TRUNCATE."""
    _create_function(conn)
    for table in tables:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
            )
            continue
        conflicts = " OR ".join(
            "EXISTS (SELECT 1 FROM {t} WHERE {w})".format(
                t=table, w=" AND ".join(f"{c} = NEW.{c}" for c in key)
            )
            for key in _sqlite_keys(conn, table)
        )
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_replace")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN {conflicts} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({table}: a row with this key exists)'); END"
        )


def drop_guards(conn: Connection, tables: tuple[str, ...]) -> None:
    """Drop the row triggers of `create_guards` (and the shared function with the last)."""
    for table in tables:
        for op in ("update", "delete"):
            _drop_trigger(conn, table, f"{table}_no_{op}")
    if conn.dialect.name == "postgresql" and set(tables) == set(APPEND_ONLY_TABLES):
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")


def drop_conflict_guards(conn: Connection, tables: tuple[str, ...]) -> None:
    for table in tables:
        suffix = "truncate" if conn.dialect.name == "postgresql" else "replace"
        _drop_trigger(conn, table, f"{table}_no_{suffix}")


def _create_function(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger AS $$ "
            # %% is the driver's escape for the % placeholder of RAISE
            f"BEGIN RAISE EXCEPTION '{MESSAGE} (%%)', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
        )


def _drop_trigger(conn: Connection, table: str, name: str) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    else:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def _sqlite_keys(conn: Connection, table: str) -> list[tuple[str, ...]]:
    """The primary key and every unique index of a SQLite table, as column tuples."""
    columns = conn.exec_driver_sql(f"PRAGMA table_info({table})").fetchall()
    primary = tuple(c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5])
    keys = [primary] if primary else []
    for index in conn.exec_driver_sql(f"PRAGMA index_list({table})").fetchall():
        if index[2]:  # unique
            info = conn.exec_driver_sql(f"PRAGMA index_info({index[1]})").fetchall()
            key = tuple(i[2] for i in sorted(info, key=lambda i: i[0]))
            if key and key != primary:
                keys.append(key)
    return keys
