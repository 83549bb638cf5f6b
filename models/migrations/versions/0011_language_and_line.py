"""language of alerts and LINE contacts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

`user.language`: the language of a person's alerts ("th" by default, or "en"). `line_contact`:
LINE users and groups the webhook saw, and the person or office an admin linked each to
(docs/operations.md "LINE"). Channel access tokens and secrets are settings, never rows.
Neither is a history table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=2), server_default="th", nullable=False)
        )
    op.create_table(
        "line_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("last_event", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("first_seen_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("linked_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_line_contact_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_line_contact_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_contact")),
        sa.UniqueConstraint("line_id", name=op.f("uq_line_contact_line_id")),
    )
    with op.batch_alter_table("line_contact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_line_contact_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_line_contact_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("line_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_line_contact_user_id"))
        batch_op.drop_index(batch_op.f("ix_line_contact_organization_id"))
    op.drop_table("line_contact")
    # SQLite drops the column in place (3.35+): a batch rebuild would drop `user`, which the
    # foreign keys of every history table refuse.
    op.execute('ALTER TABLE "user" DROP COLUMN language')
