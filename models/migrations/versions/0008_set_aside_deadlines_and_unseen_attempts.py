"""set-aside deadlines and unseen attempts

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01

`deadline_fault`: a deadline the sweep could not process is set aside (one open episode per
deadline, the partial unique index), so one bad row never stops the sweep of the others; the
episodes stay after they are cleared (workflow/faults.py). `unseen_attempt`: commands on plans
the caller may not see, counted against the caller instead of written into that plan's trail
(api/throttling.py). Neither is a history table: both are working state, like the heartbeat.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("cleared_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "unseen_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("plan_id", sa.BigInteger(), nullable=True),
        sa.Column("attempted_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_unseen_attempt_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unseen_attempt")),
    )
    with op.batch_alter_table("unseen_attempt", schema=None) as batch_op:
        batch_op.create_index("ix_unseen_attempt_user_at", ["user_id", "attempted_at"])
    op.create_table(
        "deadline_fault",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=2000), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("set_aside_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tried_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tried_on", sa.Date(), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("cleared_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cleared_because", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["deadline_id"], ["deadline.id"], name=op.f("fk_deadline_fault_deadline_id_deadline")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_deadline_fault_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_deadline_fault_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_fault")),
    )
    with op.batch_alter_table("deadline_fault", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadline_fault_deadline_id"), ["deadline_id"])
        batch_op.create_index(
            "uq_deadline_fault_open",
            ["deadline_id"],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )


def downgrade() -> None:
    with op.batch_alter_table("deadline_fault", schema=None) as batch_op:
        batch_op.drop_index("uq_deadline_fault_open")
        batch_op.drop_index(batch_op.f("ix_deadline_fault_deadline_id"))
    op.drop_table("deadline_fault")
    with op.batch_alter_table("unseen_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_unseen_attempt_user_at")
    op.drop_table("unseen_attempt")
