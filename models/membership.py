"""Memberships: which roles a person holds, for which organization, from when to when.

docs/domain.md "Roles" ("Memberships"): a person may hold several roles at once (the same
clerk sits on the committee); each membership names a role, its organization (staff,
committee, executive; none for auditors, whose scope is their account's, nor for admins),
the first day it is in force and, once ended, the last. A membership authorizes on the
Bangkok days from `starts_on` to `ends_on` inclusive. Granting and ending are account events
(models/account.py); this table is the working state they explain (workflow/memberships.py).
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import Role
from models.types import UTCDateTime


class Membership(SQLModel, table=True):
    __tablename__ = "membership"
    __table_args__ = (sa.Index("ix_membership_user_id", "user_id", "starts_on"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    role: Role = Field(sa_type=text_enum(Role))
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    starts_on: date
    ends_on: date | None = None  # the last day in force; None: open
    granted_at: datetime = Field(sa_type=UTCDateTime)


__all__ = ["Membership"]
