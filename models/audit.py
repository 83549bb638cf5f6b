"""The append-only history: transition records (hash-chained per plan) and refused attempts."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import Role
from models.types import UTCDateTime


class TransitionRecord(SQLModel, table=True):
    """One accepted action on a plan. Never updated or deleted (database triggers refuse it)."""

    __tablename__ = "transition_record"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "seq"),
        sa.Index("ix_transition_record_org_recorded", "organization_id", "recorded_at"),
        sa.Index("ix_transition_record_recorded", "recorded_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    organization_id: int = Field(foreign_key="organization.id")
    seq: int  # 1 for create, then +1 for each record of the plan
    action: str = Field(max_length=32)
    from_state: str | None = Field(default=None, max_length=32)
    to_state: str = Field(max_length=32)
    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    actor_username: str = Field(max_length=64, index=True)
    actor_role: Role = Field(sa_type=text_enum(Role))
    effective_on: date  # the legal date the action takes effect
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    comment: str | None = None
    request_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class RefusedAttempt(SQLModel, table=True):
    """An action that was tried and refused, with why. Written in its own transaction."""

    __tablename__ = "refused_attempt"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int | None = Field(default=None, foreign_key="plan.id", index=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    report_id: int | None = Field(  # 0020: a refused action on a monitoring report
        default=None, foreign_key="monitoring_report.id", index=True
    )
    action: str = Field(max_length=32)
    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    actor_username: str = Field(max_length=64)
    actor_role: Role = Field(sa_type=text_enum(Role))
    effective_on: date | None = None
    attempted_at: datetime = Field(sa_type=UTCDateTime)
    code: str = Field(max_length=32)
    reasons: list[Any] = Field(default_factory=list, sa_type=sa.JSON)
    request_id: str | None = Field(default=None, max_length=64)
