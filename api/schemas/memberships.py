"""Memberships (admin): the roles a person holds, from a date to a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from api.schemas.accounts import AssignableRole, OrganizationCode
from api.schemas.rules import LegalDateValue
from models.enums import Role
from models.membership import Membership


class MembershipCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: AssignableRole
    organization_code: OrganizationCode | None = None
    starts_on: LegalDateValue | None = None  # today (Asia/Bangkok) when left out
    ends_on: LegalDateValue | None = None  # the last day in force; open when left out


class MembershipEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ends_on: LegalDateValue | None = None  # the last day in force; yesterday when left out


class MembershipRead(BaseModel):
    id: int
    role: Role
    organization_id: int | None
    starts_on: date
    ends_on: date | None
    in_force: bool  # on today's date (Asia/Bangkok)

    @classmethod
    def of(cls, m: Membership, today: date) -> MembershipRead:
        assert m.id is not None
        return cls(
            id=m.id,
            role=Role(m.role),
            organization_id=m.organization_id,
            starts_on=m.starts_on,
            ends_on=m.ends_on,
            in_force=m.starts_on <= today and (m.ends_on is None or today <= m.ends_on),
        )


class MembershipList(BaseModel):
    username: str
    items: list[MembershipRead]


MEMBERSHIP_EXAMPLES: dict[str, Any] = {
    "committee": {"value": {"role": "committee", "organization_code": "6660603"}},
    "until": {
        "value": {
            "role": "staff",
            "organization_code": "6660603",
            "starts_on": "2026-10-01",
            "ends_on": "2027-09-30",
        }
    },
}
