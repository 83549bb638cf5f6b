"""account events: the append-only trail of account changes, one entry of the log each

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Every user already in the database gets one `created` event (its actor `system`, its
details `"backfilled": true` and the account as it stands, dated the user's `created_at`),
and a deactivated user a backfilled `deactivated` event after it, so `audit verify` can
check on an upgraded database that each record's actor existed and held that role then
(workflow/verify_actors.py). The rows are entries of the log like every later event.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import models.types
from models.clock import SystemClock
from models.migrations.append_only import guard_table

revision: str = "0007"
down_revision: str | None = "0006"
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
    "created",
    "role_changed",
    "scope_changed",
    "password_reset",
    "password_changed",
    "deactivated",
    "reactivated",
    "token_created",
    "token_revoked",
    name="accounteventkind",
    native_enum=False,
    length=32,
)


def upgrade() -> None:
    events = op.create_table(
        "account_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("kind", KIND, nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_username", sa.String(length=64), nullable=False),
        sa.Column("actor_role", ROLE, nullable=False),
        sa.Column("subject_user_id", sa.Integer(), nullable=False),
        sa.Column("subject_username", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["user.id"], name=op.f("fk_account_event_actor_user_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["subject_user_id"], ["user.id"], name=op.f("fk_account_event_subject_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_event")),
    )
    op.create_index(
        "ix_account_event_subject_id", "account_event", ["subject_user_id", "id"], unique=False
    )
    conn = op.get_bind()
    guard_table(conn, "account_event")
    rows = _backfill(conn)
    if rows:
        op.bulk_insert(events, rows)


def _backfill(conn: sa.Connection) -> list[dict[str, Any]]:
    """A `created` event for every user (and `deactivated` for an inactive one), in id order."""
    scopes: dict[int, list[int]] = {}
    for user_id, org_id in conn.exec_driver_sql(
        "SELECT user_id, organization_id FROM auditor_scope ORDER BY user_id, organization_id"
    ):
        scopes.setdefault(user_id, []).append(org_id)
    users = sa.table(
        "user",
        sa.column("id"),
        sa.column("username"),
        sa.column("role"),
        sa.column("organization_id"),
        sa.column("scope_province"),
        sa.column("is_active"),
        sa.column("created_at", models.types.UTCDateTime(timezone=True)),
    )
    now = SystemClock().now()
    rows: list[dict[str, Any]] = []
    for user in conn.execute(sa.select(users).order_by(users.c.id)).mappings():
        account = {
            "role": user["role"],
            "organization_id": user["organization_id"],
            "scope_province": user["scope_province"],
            "scope_organization_ids": scopes.get(user["id"], []),
        }
        rows.append(_event(user, "created", user["created_at"], {"after": account}))
        if not user["is_active"]:
            rows.append(_event(user, "deactivated", now, {}))
    return rows


def _event(user: Any, kind: str, at: Any, details: dict[str, Any]) -> dict[str, Any]:
    return {
        "at": at,
        "kind": kind,
        "actor_user_id": None,
        "actor_username": "system",
        "actor_role": "system",
        "subject_user_id": user["id"],
        "subject_username": user["username"],
        "details": {**details, "backfilled": True},
    }


def downgrade() -> None:
    # The log keeps the entries of the dropped rows (it is append-only): `audit verify` of
    # this release would report them deleted; downgrading is for development only.
    # Its triggers go with the table; the functions they call are shared and stay.
    op.drop_index("ix_account_event_subject_id", table_name="account_event")
    op.drop_table("account_event")
