"""ita reminders: the transparency checklist's reminders, once per organization, year and item

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-01

`ita_reminder` holds one row per reminder the scheduler sent of a transparency-checklist item
that was not there before the assessment's evidence window (docs/domain.md "The transparency
checklist"); the unique key (organization, ITA year, item) makes each reminder once.
Append-only and entries of the log.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types
from models.migrations.append_only import guard_table

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ita_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("ita_year", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("legal_day", sa.Date(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("recorded_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_username", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_ita_reminder_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ita_reminder")),
        sa.UniqueConstraint(
            "organization_id",
            "ita_year",
            "item_code",
            name=op.f("uq_ita_reminder_organization_id_ita_year_item_code"),
        ),
    )
    guard_table(op.get_bind(), "ita_reminder")


def downgrade() -> None:
    op.drop_table("ita_reminder")
