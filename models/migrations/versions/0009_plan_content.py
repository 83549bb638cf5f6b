"""plan content: the draft and its rows, the edit history, the frozen versions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

The draft (`content_draft` and its strategies, projects and equipment, keyed by the plan and
each item's stable id) is working state, edited while the plan is a draft. `content_edit`
(every saved edit: who, when, the revision, what, the hash after it) and `content_version`
(the frozen content each submission names in its record) are history: append-only and
entries of the log (docs/integrity.md "Plan content").
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types
from models.migrations.append_only import guard_table

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "content_draft",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("introduction", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_content_draft_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_content_draft")),
    )
    op.create_table(
        "content_edit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_username", sa.String(length=64), nullable=False),
        sa.Column(
            "actor_role",
            sa.Enum(
                "staff",
                "committee",
                "executive",
                "auditor",
                "admin",
                "system",
                name="role",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["user.id"], name=op.f("fk_content_edit_actor_user_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_content_edit_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_edit")),
        sa.UniqueConstraint("plan_id", "revision", name=op.f("uq_content_edit_plan_id_revision")),
    )
    op.create_table(
        "content_equipment",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.String(), nullable=False),
        sa.Column("programme", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("budget_baht", models.types.Satang(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("months", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_content_equipment_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("plan_id", "item_id", name=op.f("pk_content_equipment")),
    )
    op.create_index(
        "ix_content_equipment_plan_position",
        "content_equipment",
        ["plan_id", "position"],
        unique=False,
    )
    op.create_table(
        "content_project",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.String(), nullable=False),
        sa.Column("strategy_id", sa.String(length=64), nullable=False),
        sa.Column("tactic", sa.String(), nullable=True),
        sa.Column("programme", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("activity", sa.String(), nullable=False),
        sa.Column("budget_baht", models.types.Satang(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("village", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("months", sa.JSON(), nullable=False),
        sa.Column("funding", sa.String(length=32), nullable=False),
        sa.Column("funding_note", sa.String(), nullable=True),
        sa.Column("ownership", sa.String(length=32), nullable=False),
        sa.Column("dev_plan", sa.JSON(), nullable=True),
        sa.Column("match_key", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_content_project_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("plan_id", "item_id", name=op.f("pk_content_project")),
    )
    op.create_index(
        "ix_content_project_plan_position", "content_project", ["plan_id", "position"], unique=False
    )
    op.create_table(
        "content_strategy",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_content_strategy_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("plan_id", "item_id", name=op.f("pk_content_strategy")),
    )
    op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("frozen_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_content_version_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_version")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_content_version_plan_id_number")),
    )
    conn = op.get_bind()
    guard_table(conn, "content_edit")
    guard_table(conn, "content_version")


def downgrade() -> None:
    # The log keeps the entries of the dropped history rows (it is append-only); downgrading
    # is for development only.
    for table in ("content_version", "content_edit", "content_strategy"):
        op.drop_table(table)
    op.drop_index("ix_content_project_plan_position", table_name="content_project")
    op.drop_table("content_project")
    op.drop_index("ix_content_equipment_plan_position", table_name="content_equipment")
    op.drop_table("content_equipment")
    op.drop_table("content_draft")
