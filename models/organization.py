"""Organizations, the people who act for them, and auditors' scopes."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import OrgType, Role
from models.types import UTCDateTime


class Organization(SQLModel, table=True):
    # An auditor's province, and the public board paging organizations by province and name
    # and searching them by code or name from the index alone (migration 0021; 0015 made it
    # on (province, name), replacing the index on the province alone).
    __table_args__ = (sa.Index("ix_organization_province_name_code", "province", "name", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)  # DLA's 7-digit code, e.g. 6660101
    name: str = Field(max_length=200)
    org_type: OrgType = Field(sa_type=text_enum(OrgType))
    district: str = Field(max_length=100)
    province: str = Field(max_length=100)  # indexed with the name (__table_args__)


class User(SQLModel, table=True):
    """A person's account. Roles belong to positions: a handover changes the user, not history."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    full_name: str = Field(max_length=200)
    role: Role = Field(sa_type=text_enum(Role))
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    # Auditors see every organization of a province, or the organizations listed in AuditorScope.
    scope_province: str | None = Field(default=None, max_length=100)
    is_active: bool = Field(default=True)
    # Argon2 (pwdlib) hash; None: the user cannot log in with a password (API tokens only).
    password_hash: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)
    # The language of the person's alerts (models.enums.Language: "th" or "en").
    language: str = Field(default="th", max_length=2, sa_column_kwargs={"server_default": "th"})


class AuditorScope(SQLModel, table=True):
    __tablename__ = "auditor_scope"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", primary_key=True)


__all__ = ["AuditorScope", "Organization", "User"]
