"""record_correction: a field of an earlier record set right by a record of its own

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

`record_correction` holds one row per correction (the plan, the correction's own record in
the chain, the record it corrects, the field, the value before and after, the reason, when).
Append-only and entries of the log (docs/domain.md "Corrections").
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types
from models.migrations.append_only import guard_table

revision: str = "0013"
# Written on "0012"; the lead re-chains at merge.
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "record_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("corrects_record_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("recorded_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_record_correction_plan_id_plan")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["transition_record.id"],
            name=op.f("fk_record_correction_record_id_transition_record"),
        ),
        sa.ForeignKeyConstraint(
            ["corrects_record_id"],
            ["transition_record.id"],
            name=op.f("fk_record_correction_corrects_record_id_transition_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_correction")),
        sa.UniqueConstraint("record_id", name=op.f("uq_record_correction_record_id")),
    )
    op.create_index(
        op.f("ix_record_correction_plan_id"), "record_correction", ["plan_id"], unique=False
    )
    guard_table(op.get_bind(), "record_correction")


def downgrade() -> None:
    op.drop_index(op.f("ix_record_correction_plan_id"), table_name="record_correction")
    op.drop_table("record_correction")
