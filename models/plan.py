"""The operational plan (แผนการดำเนินงาน) as a row: its state and the dates it has reached."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import PlanKind, PlanState, TriggerKind
from models.types import Satang, UTCDateTime


class Plan(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "fiscal_year_be", "kind", "number"),
        sa.Index("ix_plan_org_year_state", "organization_id", "fiscal_year_be", "state"),
        # Reports of one fiscal year across organizations (compliance).
        sa.Index("ix_plan_year_org", "fiscal_year_be", "organization_id"),
        # The public board: organizations with a posted plan (migration 0015).
        sa.Index("ix_plan_state_org", "state", "organization_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    fiscal_year_be: int
    kind: PlanKind = Field(sa_type=text_enum(PlanKind))
    number: int  # ครั้งที่ n, per organization, fiscal year and kind
    title: str = Field(max_length=300)
    state: PlanState = Field(sa_type=text_enum(PlanState))
    version: int = Field(default=0)  # the number of records in the plan's audit chain
    head_hash: str = Field(max_length=64)
    trigger_kind: TriggerKind = Field(sa_type=text_enum(TriggerKind))
    trigger_on: date
    trigger_note: str | None = Field(default=None, max_length=500)
    budget_baht: Decimal | None = Field(default=None, sa_type=Satang)
    amends_plan_id: int | None = Field(default=None, foreign_key="plan.id")
    superseded_by_plan_id: int | None = Field(default=None, foreign_key="plan.id")
    last_effective_on: date
    announced_on: date | None = None
    posted_on: date | None = None
    posting_places: list[Any] = Field(default_factory=list, sa_type=sa.JSON)
    posting_complete_on: date | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
