"""Database triggers that make history tables append-only on SQLite and PostgreSQL.

The product never updates or deletes these rows; the triggers make the database refuse it
too, so a history can only be changed by someone who first drops a trigger by hand (which the
hash chain then exposes).
"""

from sqlalchemy.engine import Connection

APPEND_ONLY_TABLES = (
    "transition_record",
    "refused_attempt",
    "calendar_change",
    "deadline_extension",
)
MESSAGE = "append-only table: UPDATE and DELETE are refused"


def create_guards(conn: Connection, tables: tuple[str, ...]) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION localplan_refuse_change() RETURNS trigger AS $$ "
            # %% is the driver's escape for the % placeholder of RAISE
            f"BEGIN RAISE EXCEPTION '{MESSAGE} (%%)', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
        )
    for table in tables:
        for op in ("UPDATE", "DELETE"):
            name = f"{table}_no_{op.lower()}"
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION localplan_refuse_change()"
                )
            else:
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({table})'); END"
                )


def drop_guards(conn: Connection, tables: tuple[str, ...]) -> None:
    for table in tables:
        for op in ("update", "delete"):
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{op} ON {table}")
            else:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
    if conn.dialect.name == "postgresql" and set(tables) == set(APPEND_ONLY_TABLES):
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS localplan_refuse_change()")
