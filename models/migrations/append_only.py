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

# The history tables of migrations 0001–0006, frozen: those migrations guard and log exactly
# these, so a table added later (by its own migration) changes nothing they do.
FIRST_HISTORY_TABLES = (
    "transition_record",
    "refused_attempt",
    "calendar_change",
    "deadline_extension",
)
APPEND_ONLY_TABLES = (
    *FIRST_HISTORY_TABLES,
    "account_event",  # 0007: account events
    "content_edit",  # 0009: plan content, its edits and frozen versions
    "content_version",
    "organization_change",  # 0010: an office's settings
    "document",  # 0010: rendered documents
    "evidence",  # 0012: evidence attached to actions
    "record_correction",  # 0013: corrections of records
    "progress_entry",  # 0014: progress of the plan in force
    "report_record",  # 0016: monitoring reports' records
    "ita_reminder",  # 0018: the transparency checklist's reminders
    "report_document",  # 0019: the papers a report's announcement made
)
# The log's own tables: append-only too, but not entries of the log themselves.
LOG_TABLES = ("log_entry", "log_leaf", "log_checkpoint")
MESSAGE = "append-only table: UPDATE and DELETE are refused"
_FUNCTION = "localplan_refuse_change"
_LOG_FUNCTION = "localplan_log_append"


def guard_table(conn: Connection, table: str) -> None:
    """Every guard for one history table, and its rows made entries of the log (the one-line
    declaration for a new table; add its name to APPEND_ONLY_TABLES too)."""
    create_guards(conn, (table,))
    create_conflict_guards(conn, (table,))
    create_log_triggers(conn, (table,))


def create_log_triggers(conn: Connection, tables: tuple[str, ...]) -> None:
    """Each new row of `tables` becomes the log's next entry, in the same transaction.

    The number comes from the one `log_head` row, whose update takes its lock: the order is
    total with many writers. PostgreSQL defers the trigger to commit, so that lock is taken
    after every other lock the transaction holds and cannot be part of a deadlock; SQLite has
    one writer at a time, and its trigger runs at once.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {_LOG_FUNCTION}() RETURNS trigger AS $$ "
            "DECLARE n bigint; BEGIN "
            "UPDATE log_head SET size = size + 1 WHERE id = 1 RETURNING size - 1 INTO n; "
            "INSERT INTO log_entry (seq, table_name, row_id) VALUES (n, TG_TABLE_NAME, NEW.id); "
            "RETURN NULL; END; $$ LANGUAGE plpgsql"
        )
    for table in tables:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                f"CREATE CONSTRAINT TRIGGER {table}_log AFTER INSERT ON {table} "
                f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {_LOG_FUNCTION}()"
            )
        else:
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_log AFTER INSERT ON {table} BEGIN "
                "UPDATE log_head SET size = size + 1 WHERE id = 1; "
                "INSERT INTO log_entry (seq, table_name, row_id) "
                f"SELECT size - 1, '{table}', NEW.id FROM log_head WHERE id = 1; END"
            )


def create_head_guard(conn: Connection) -> None:
    """The head only grows, one entry at a time; it is never deleted or emptied."""
    message = "the log head only grows by one"
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION localplan_head_grows() RETURNS trigger AS $$ BEGIN "
            "IF TG_OP <> 'UPDATE' OR NEW.id <> OLD.id OR NEW.size <> OLD.size + 1 THEN "
            f"RAISE EXCEPTION '{message}'; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER log_head_grows BEFORE UPDATE OR DELETE ON log_head "
            "FOR EACH ROW EXECUTE FUNCTION localplan_head_grows()"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER log_head_no_truncate BEFORE TRUNCATE ON log_head "
            "FOR EACH STATEMENT EXECUTE FUNCTION localplan_head_grows()"
        )
        return
    conn.exec_driver_sql(
        "CREATE TRIGGER log_head_grows BEFORE UPDATE ON log_head "
        "WHEN NEW.id != OLD.id OR NEW.size != OLD.size + 1 "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER log_head_no_delete BEFORE DELETE ON log_head "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


def drop_log_triggers(conn: Connection, tables: tuple[str, ...]) -> None:
    for table in tables:
        _drop_trigger(conn, table, f"{table}_log")
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {_LOG_FUNCTION}()")


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


def drop_guards(conn: Connection, tables: tuple[str, ...], *, function: bool = False) -> None:
    """Drop the row triggers of `create_guards` (and the shared function, for the first
    migration's downgrade, when no other trigger uses it any more)."""
    for table in tables:
        for op in ("update", "delete"):
            _drop_trigger(conn, table, f"{table}_no_{op}")
    if function and conn.dialect.name == "postgresql":
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
