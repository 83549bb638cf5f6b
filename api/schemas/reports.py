"""Monitoring reports in the JSON API (docs/api.md "Monitoring reports")."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from api.schemas.common import FiscalYear, LegalDate, Text
from api.schemas.history import RefusedRead
from api.schemas.rules import Stated, Version, ruled, text
from models.enums import ReportRound, ReportState
from models.report_store import ReportWithClocks
from models.thai_dates import format_thai_date
from workflow import input_rules as rules
from workflow.report_commands import TEXT_MAX
from workflow.table_reports import REPORT_ACTIONS, REPORT_STATE_LABELS

ReportAction = StrEnum("ReportAction", {a.name: a.value for a in REPORT_ACTIONS})  # type: ignore[misc]
LongText = text("findings", TEXT_MAX, multiline=True, required=False)


class ReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organization_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                        description="default: the caller's organization")
    fiscal_year_be: FiscalYear
    round: ReportRound
    plan_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                description="the plan in force; default: the year's first "
                                            "announced plan")
    effective_on: LegalDate | None = None


class ReportActionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_version: Version = Field(ge=0, le=2**31 - 1,
                                      description="the report's `version` you saw")
    effective_on: LegalDate | None = Field(
        default=None, description="the legal date (present: the presentation date)")
    comment: Text | None = Field(default=None, description="required to return, withdraw")
    places: Annotated[
        list[text("places", rules.PLACE_MAX, required=False)],  # type: ignore[valid-type]
        Stated({"maxItems": rules.PLACES_MAX}),
        AfterValidator(ruled(lambda v: list(rules.places(v)))),
    ] = Field(default_factory=list, description="posting places (post)")
    findings: LongText | None = Field(default=None, description="approve: the findings")  # type: ignore[valid-type]
    recommendations: LongText | None = Field(  # type: ignore[valid-type]
        default=None, description="approve: the recommendations")


class ReportClockRead(BaseModel):
    kind: str
    clause: str
    start_on: date
    due_on: date
    due_on_th: str
    status: str
    closed_on: date | None


class ReportRead(BaseModel):
    id: int
    organization_id: int
    fiscal_year_be: int
    round: ReportRound
    plan_id: int | None
    state: ReportState
    state_th: str
    version: int
    presented_on: date | None
    announced_on: date | None
    posted_on: date | None
    posting_places: list[str]
    posting_complete_on: date | None
    findings: str | None
    recommendations: str | None
    clocks: list[ReportClockRead]
    actions: list[str]
    updated_at: datetime

    @classmethod
    def of(cls, r: ReportWithClocks, actions: list[Any]) -> ReportRead:
        return cls(
            id=r.id, organization_id=r.organization_id, fiscal_year_be=r.fiscal_year_be,
            round=r.round, plan_id=r.plan_id, state=r.state,
            state_th=REPORT_STATE_LABELS[r.state][0], version=r.version,
            presented_on=r.presented_on, announced_on=r.announced_on, posted_on=r.posted_on,
            posting_places=list(r.posting_places), posting_complete_on=r.posting_complete_on,
            findings=r.findings, recommendations=r.recommendations,
            clocks=[ReportClockRead(kind=c.kind.value, clause=c.clause, start_on=c.start_on,
                                    due_on=c.due_on, due_on_th=format_thai_date(c.due_on),
                                    status=c.status.value, closed_on=c.closed_on)
                    for c in r.clocks],
            actions=[a.value for a in actions], updated_at=r.updated_at,
        )


class ReportPage(BaseModel):
    items: list[ReportRead]
    next_cursor: str | None


class ReportRecordRead(BaseModel):
    seq: int
    action: str
    from_state: str | None
    to_state: str
    actor_username: str
    actor_role: str
    effective_on: date
    recorded_at: datetime
    comment: str | None
    details: dict[str, Any]
    hash: str


class ReportHistoryRead(BaseModel):
    report_id: int
    state: ReportState
    version: int
    records: list[ReportRecordRead]
    refused: list[RefusedRead] = []  # refused actions on this report, oldest first
