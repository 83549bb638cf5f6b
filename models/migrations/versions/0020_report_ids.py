"""report ids: the outbox and the refused attempts name the monitoring report they are about

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01

`outbox_message.report_id` and `refused_attempt.report_id` (nullable, a reference to
`monitoring_report`) stand beside `plan_id`: a report's message or refused action names its
report in a column, not in its payload only. Rows written before stay NULL.

Upgrade adds the columns in place on both engines (SQLite's ADD COLUMN takes a named
REFERENCES clause when the default is NULL), so no table is rebuilt and the append-only and
log triggers of `refused_attempt` stay as they are. SQLite cannot drop a column a foreign key
names, so its downgrade rebuilds both tables (foreign keys off, every reference checked after)
and creates `refused_attempt`'s triggers again from their stored text. A refused attempt's
leaf leaves out a NULL `report_id` (workflow/log.py), so checkpoints signed before still hold.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("outbox_message", "refused_attempt")


def _fk(table: str) -> str:
    return f"fk_{table}_report_id_monitoring_report"


def upgrade() -> None:
    conn = op.get_bind()
    for table in TABLES:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(
                f"ALTER TABLE {table} ADD COLUMN report_id INTEGER "
                f"CONSTRAINT {_fk(table)} REFERENCES monitoring_report (id)"
            )
        else:
            op.add_column(table, sa.Column("report_id", sa.Integer(), nullable=True))
            op.create_foreign_key(_fk(table), table, "monitoring_report", ["report_id"], ["id"])
    op.create_index("ix_refused_attempt_report_id", "refused_attempt", ["report_id"])


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_index("ix_refused_attempt_report_id", table_name="refused_attempt")
    if conn.dialect.name != "sqlite":
        for table in TABLES:
            op.drop_constraint(_fk(table), table, type_="foreignkey")
            op.drop_column(table, "report_id")
        return
    triggers = [
        str(sql) for (sql,) in conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
            "('outbox_message', 'refused_attempt') ORDER BY name"
        )
    ]
    with _foreign_keys_off(conn):
        for table in TABLES:
            with op.batch_alter_table(table, schema=None, recreate="always") as batch_op:
                batch_op.drop_column("report_id")
    for sql in triggers:  # the rebuild dropped them with the old tables
        conn.exec_driver_sql(sql)


@contextmanager
def _foreign_keys_off(conn: sa.engine.Connection) -> Iterator[None]:
    """SQLite: foreign keys off around a rebuild of a table others refer to (as 0016)."""
    conn.exec_driver_sql("COMMIT")
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    conn.exec_driver_sql("BEGIN")
    try:
        yield
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the rebuild left broken references: {broken[:5]}")
    finally:
        conn.exec_driver_sql("COMMIT")
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.exec_driver_sql("BEGIN")
