"""memberships: a person may hold several roles, each from a date to a date

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-01

`membership` holds each role a user holds (role, organization, first and last day in force).
Every user already in the database gets one open membership in their single role, in force
from the day (Asia/Bangkok) their account was created, and one `membership_granted` account
event for it (actor `system`, `"backfilled": true`), which `audit verify` places before
everything as it does 0007's backfilled `created` events (workflow/verify_actors.py). The
`user.role` column stays: it is the account's primary role (docs/domain.md "Memberships").
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = sa.Enum(
    "staff", "committee", "executive", "auditor", "admin", "system",
    name="role", native_enum=False, length=32,
)  # fmt: skip
ORG_ROLES = ("staff", "committee", "executive")
BANGKOK = ZoneInfo("Asia/Bangkok")


def upgrade() -> None:
    memberships = op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", ROLE, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("granted_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_membership_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_membership_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
    )
    op.create_index("ix_membership_user_id", "membership", ["user_id", "starts_on"], unique=False)
    _backfill(op.get_bind(), memberships)


def _backfill(conn: sa.Connection, memberships: sa.Table) -> None:
    """One open membership (and its backfilled event) per user, in id order."""
    users = sa.table(
        "user",
        sa.column("id"),
        sa.column("username"),
        sa.column("role"),
        sa.column("organization_id"),
        sa.column("created_at", models.types.UTCDateTime(timezone=True)),
    )
    events = sa.table(
        "account_event",
        sa.column("at", models.types.UTCDateTime(timezone=True)),
        sa.column("kind"),
        sa.column("actor_user_id"),
        sa.column("actor_username"),
        sa.column("actor_role"),
        sa.column("subject_user_id"),
        sa.column("subject_username"),
        sa.column("details", sa.JSON()),
    )
    for user in conn.execute(sa.select(users).order_by(users.c.id)).mappings().all():
        row = _membership(user)
        found = conn.execute(memberships.insert().values(**row)).inserted_primary_key
        assert found is not None
        conn.execute(events.insert().values(**_event(user, found[0], row)))


def _membership(user: Any) -> dict[str, Any]:
    created: datetime = user["created_at"]
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return {
        "user_id": user["id"],
        "role": user["role"],
        "organization_id": user["organization_id"] if user["role"] in ORG_ROLES else None,
        "starts_on": created.astimezone(BANGKOK).date(),
        "ends_on": None,
        "granted_at": created,
    }


def _event(user: Any, membership_id: int, row: dict[str, Any]) -> dict[str, Any]:
    held = {
        "id": membership_id,
        "role": row["role"],
        "organization_id": row["organization_id"],
        "starts_on": row["starts_on"].isoformat(),
        "ends_on": None,
    }
    return {
        "at": row["granted_at"],
        "kind": "membership_granted",
        "actor_user_id": None,
        "actor_username": "system",
        "actor_role": "system",
        "subject_user_id": user["id"],
        "subject_username": user["username"],
        "details": {"membership": held, "backfilled": True},
    }


def downgrade() -> None:
    # The backfilled and later membership events stay in `account_event` (append-only, and
    # entries of the log): downgrading is for development only, as 0007 says.
    op.drop_index("ix_membership_user_id", table_name="membership")
    op.drop_table("membership")
