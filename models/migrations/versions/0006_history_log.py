"""history log: every append-only row an entry of one log, with leaves and signed checkpoints

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Existing rows become the first entries, table by table in the order of APPEND_ONLY_TABLES and
by id within each table; their own columns (the transition records' hashes included) are
untouched. From here on a trigger appends each new row's entry in the row's own transaction
(models/log.py, models/migrations/append_only.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types
from models.migrations.append_only import (
    FIRST_HISTORY_TABLES as APPEND_ONLY_TABLES,
)
from models.migrations.append_only import (
    LOG_TABLES,
    create_conflict_guards,
    create_guards,
    create_head_guard,
    create_log_triggers,
    drop_log_triggers,
)

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "log_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_log_head_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_head")),
    )
    op.create_table(
        "log_entry",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_log_entry")),
        sa.UniqueConstraint("table_name", "row_id", name=op.f("uq_log_entry_table_name_row_id")),
    )
    op.create_table(
        "log_leaf",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("leaf", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["seq"], ["log_entry.seq"], name=op.f("fk_log_leaf_seq_log_entry")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_log_leaf")),
    )
    op.create_table(
        "log_checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("signed_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("key_name", sa.String(length=200), nullable=False),
        sa.Column("key_id", sa.String(length=8), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_checkpoint")),
    )
    conn = op.get_bind()
    conn.exec_driver_sql("INSERT INTO log_head (id, size) VALUES (1, 0)")
    for table in APPEND_ONLY_TABLES:  # today's rows, in order, before the triggers exist
        conn.exec_driver_sql(
            "INSERT INTO log_entry (seq, table_name, row_id) "
            f"SELECT (SELECT size FROM log_head) + ROW_NUMBER() OVER (ORDER BY id) - 1, "
            f"'{table}', id FROM {table}"
        )
        conn.exec_driver_sql(
            f"UPDATE log_head SET size = size + (SELECT count(*) FROM {table}) WHERE id = 1"
        )
    create_head_guard(conn)
    create_guards(conn, LOG_TABLES)
    create_conflict_guards(conn, LOG_TABLES)
    create_log_triggers(conn, APPEND_ONLY_TABLES)


def downgrade() -> None:
    conn = op.get_bind()
    drop_log_triggers(conn, APPEND_ONLY_TABLES)
    for table in ("log_checkpoint", "log_leaf", "log_entry", "log_head"):
        op.drop_table(table)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS localplan_head_grows()")
