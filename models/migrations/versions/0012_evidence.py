"""evidence: files attached to a plan's actions, named by their SHA-256

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

`evidence` holds one row per attached file (plan, the record it proves, kind, place, URL,
the file's and the public copy's SHA-256, who, when, late); the bytes are in the evidence
store (models/blobs.py), not in the database. Append-only and entries of the log.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types
from models.migrations.append_only import guard_table

revision: str = "0012"
# Written on "0008"; the lead re-chains at merge. Here it follows documents' 0010 (itself
# chained after content's 0009 on that branch).
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = sa.Enum(
    "staff",
    "committee",
    "executive",
    "auditor",
    "admin",
    "system",
    name="role",
    native_enum=False,
    length=32,
)
KIND = sa.Enum(
    "signed_notice",
    "minutes",
    "posting_photo",
    "website_posting",
    "takedown",
    "extension_letter",
    "other",
    name="evidencekind",
    native_enum=False,
    length=32,
)


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("kind", KIND, nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("public_sha256", sa.String(length=64), nullable=True),
        sa.Column("public_size", sa.Integer(), nullable=True),
        sa.Column("attached_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_username", sa.String(length=64), nullable=False),
        sa.Column("actor_role", ROLE, nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_evidence_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["transition_record.id"],
            name=op.f("fk_evidence_record_id_transition_record"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["user.id"], name=op.f("fk_evidence_actor_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    op.create_index("ix_evidence_plan", "evidence", ["plan_id", "id"], unique=False)
    op.create_index("ix_evidence_sha256", "evidence", ["sha256"], unique=False)
    op.create_index("ix_evidence_public_sha256", "evidence", ["public_sha256"], unique=False)
    guard_table(op.get_bind(), "evidence")


def downgrade() -> None:
    op.drop_index("ix_evidence_public_sha256", table_name="evidence")
    op.drop_index("ix_evidence_sha256", table_name="evidence")
    op.drop_index("ix_evidence_plan", table_name="evidence")
    op.drop_table("evidence")
