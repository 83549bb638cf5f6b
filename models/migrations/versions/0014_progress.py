"""progress: the follow-up of the plan in force, entry by entry, and the latest per item

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

`progress_entry` holds one row per progress entry of a project or equipment row of the plan
in force (status, budget committed and disbursed, dates, note, as-of date, files, who, when),
each hash-chained to the one before it on the same plan. Append-only and entries of the log.
`progress_latest` is a view: each item's latest entry (the highest id of its plan and item).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types
from models.migrations.append_only import guard_table

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


ROLE = _enum("role", "staff", "committee", "executive", "auditor", "admin", "system")
KIND = _enum("itemkind", "project", "equipment")
STATUS = _enum("progressstatus", "not_started", "in_progress", "completed", "cancelled")
LATEST = (
    "CREATE VIEW progress_latest AS SELECT e.* FROM progress_entry e WHERE e.id = "
    "(SELECT max(l.id) FROM progress_entry l WHERE l.plan_id = e.plan_id "
    "AND l.item_id = e.item_id)"
)


def upgrade() -> None:
    op.create_table(
        "progress_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("item_kind", KIND, nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("committed_baht", models.types.Satang(), nullable=False),
        sa.Column("disbursed_baht", models.types.Satang(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("finished_on", sa.Date(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_username", sa.String(length=64), nullable=False),
        sa.Column("actor_role", ROLE, nullable=False),
        sa.Column("recorded_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_progress_entry_plan_id_plan")
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["user.id"], name=op.f("fk_progress_entry_actor_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_entry")),
        sa.UniqueConstraint("plan_id", "seq", name=op.f("uq_progress_entry_plan_id_seq")),
    )
    op.create_index(
        "ix_progress_entry_item", "progress_entry", ["plan_id", "item_id", "id"], unique=False
    )
    guard_table(op.get_bind(), "progress_entry")
    op.execute(LATEST)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS progress_latest")
    op.drop_index("ix_progress_entry_item", table_name="progress_entry")
    op.drop_table("progress_entry")
