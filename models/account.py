"""Account events: the append-only trail of who changed which account, when, and how."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import Role
from models.types import UTCDateTime


class AccountEventKind(StrEnum):
    CREATED = "created"
    ROLE_CHANGED = "role_changed"  # role and organization
    SCOPE_CHANGED = "scope_changed"  # an auditor's province and listed organizations
    PASSWORD_RESET = "password_reset"  # set by an admin (or the operator, or the demo seed)
    PASSWORD_CHANGED = "password_changed"  # changed by the user themself
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    TOKEN_CREATED = "token_created"  # API tokens, logins and web sessions alike
    TOKEN_REVOKED = "token_revoked"
    NAME_CHANGED = "name_changed"  # the full name an admin corrected (before and after)
    MEMBERSHIP_GRANTED = "membership_granted"  # a role held from a date (models/membership.py)
    MEMBERSHIP_ENDED = "membership_ended"  # its last day set


class AccountEvent(SQLModel, table=True):
    """One change to one account. Never updated or deleted (database triggers refuse it);
    each row is an entry of the history log. `details` holds what changed (`before`,
    `after`, a token's id and label), never a password, a token or a hash of either."""

    __tablename__ = "account_event"
    __table_args__ = (sa.Index("ix_account_event_subject_id", "subject_user_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    kind: AccountEventKind = Field(sa_type=text_enum(AccountEventKind))
    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    actor_username: str = Field(max_length=64)
    actor_role: Role = Field(sa_type=text_enum(Role))
    subject_user_id: int = Field(foreign_key="user.id")
    subject_username: str = Field(max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


__all__ = ["AccountEvent", "AccountEventKind"]
