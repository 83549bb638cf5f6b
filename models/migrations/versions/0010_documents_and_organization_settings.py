"""documents and organization settings: what an office's papers print, and the papers made

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

`organization_settings` holds what an office's documents print (full name, emblem by the
SHA-256 of its file, executive, website, posting places in words); `organization_change`
records every change of them, `document` each rendered PDF of a plan (kind, content version,
SHA-256) and `document_file` its bytes, named by their SHA-256. The last three are
append-only; `organization_change` and `document` rows are entries of the log.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types
from models.migrations.append_only import create_conflict_guards, create_guards, guard_table

revision: str = "0010"
down_revision: str | None = "0009"
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
KIND = sa.Enum("plan_pdf", "notice_pdf", name="documentkind", native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "organization_settings",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=300), nullable=True),
        sa.Column("emblem_sha256", sa.String(length=64), nullable=True),
        sa.Column("executive_name", sa.String(length=200), nullable=True),
        sa.Column("executive_title", sa.String(length=300), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("posting_places", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_organization_settings_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_organization_settings")),
    )
    op.create_table(
        "organization_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_username", sa.String(length=64), nullable=False),
        sa.Column("actor_role", ROLE, nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_organization_change_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["user.id"], name=op.f("fk_organization_change_actor_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_change")),
    )
    op.create_index(
        op.f("ix_organization_change_organization_id"),
        "organization_change",
        ["organization_id"],
        unique=False,
    )
    op.create_table(
        "document_file",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_document_file")),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", KIND, nullable=False),
        sa.Column("content_version", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("made_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_document_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["sha256"], ["document_file.sha256"], name=op.f("fk_document_sha256_document_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    op.create_index("ix_document_plan_kind", "document", ["plan_id", "kind", "id"], unique=False)
    conn = op.get_bind()
    guard_table(conn, "organization_change")
    guard_table(conn, "document")
    create_guards(conn, ("document_file",))  # never changed; not an entry (its bytes are
    create_conflict_guards(conn, ("document_file",))  # checked by audit verify instead)


def downgrade() -> None:
    op.drop_index("ix_document_plan_kind", table_name="document")
    op.drop_table("document")
    op.drop_table("document_file")
    op.drop_index(op.f("ix_organization_change_organization_id"), table_name="organization_change")
    op.drop_table("organization_change")
    op.drop_table("organization_settings")
