"""Auditors: transitions across organizations, compliance per plan, integrity."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from api.schemas.common import thai
from api.schemas.history import record_fields
from api.schemas.plans import format_or_dash
from models.enums import DeadlineKind, PlanKind, PlanState
from workflow.audit import VerifyReport
from workflow.compliance_years import STATUSES, ComplianceYears, YearCounts
from workflow.queries import ClockCompliance, PlanCompliance
from workflow.scoped_reads import TransitionRow

CSV_COLUMNS = (
    "id",
    "plan_id",
    "organization_code",
    "organization_name",
    "province",
    "fiscal_year_be",
    "plan_kind",
    "seq",
    "action",
    "from_state",
    "to_state",
    "actor_username",
    "actor_role",
    "effective_on",
    "effective_on_th",
    "recorded_at",
    "comment",
    "request_id",
    "hash",
)


class TransitionRead(BaseModel):
    id: int
    plan_id: int
    organization_code: str
    organization_name: str
    province: str
    fiscal_year_be: int
    plan_kind: PlanKind
    seq: int
    action: str
    from_state: str | None
    to_state: str
    actor_username: str
    actor_role: str
    effective_on: date
    effective_on_th: str
    recorded_at: datetime
    comment: str | None
    request_id: str | None
    details: dict[str, Any]
    hash: str

    @classmethod
    def of(cls, row: TransitionRow) -> TransitionRead:
        org = row.organization
        return cls(
            **record_fields(row.record),  # organization_id and prev_hash are not declared
            organization_code=org.code,
            organization_name=org.name,
            province=org.province,
            fiscal_year_be=row.fiscal_year_be,
            plan_kind=row.plan_kind,
        )

    def csv_row(self) -> list[str]:
        data = self.model_dump(mode="json")
        return ["" if data[c] is None else str(data[c]) for c in CSV_COLUMNS]


class TransitionPage(BaseModel):
    items: list[TransitionRead]
    next_cursor: str | None


class ClockRead(BaseModel):
    kind: DeadlineKind
    start_on: date
    start_on_th: str
    due_on: date
    due_on_th: str
    extended: bool
    done_on: date | None
    done_on_th: str | None
    status: str

    @classmethod
    def of(cls, c: ClockCompliance) -> ClockRead:
        return cls(
            kind=c.kind,
            start_on=c.start_on,
            start_on_th=format_or_dash(c.start_on),
            due_on=c.due_on,
            due_on_th=format_or_dash(c.due_on),
            extended=c.extended,
            done_on=c.done_on,
            done_on_th=thai(c.done_on),
            status=c.status,
        )


class ComplianceRead(BaseModel):
    plan_id: int
    organization_code: str
    organization_name: str
    province: str
    fiscal_year_be: int
    kind: PlanKind
    number: int
    state: PlanState
    mode: str
    trigger_on: date
    announced_on: date | None
    posted_on: date | None
    completed_on: date | None
    clocks: list[ClockRead]

    @classmethod
    def of(cls, p: PlanCompliance) -> ComplianceRead:
        return cls(
            plan_id=p.plan_id,
            organization_code=p.organization_code,
            organization_name=p.organization_name,
            province=p.province,
            fiscal_year_be=p.fiscal_year_be,
            kind=p.kind,
            number=p.number,
            state=p.state,
            mode=p.mode,
            trigger_on=p.trigger_on,
            announced_on=p.announced_on,
            posted_on=p.posted_on,
            completed_on=p.completed_on,
            clocks=[ClockRead.of(c) for c in p.clocks],
        )


class ComplianceReport(BaseModel):
    fiscal_year_be: int
    plans: list[ComplianceRead]


class BreakRead(BaseModel):
    plan_id: int | None
    seq: int | None
    problem: str
    detail: str
    table: str | None = None
    row_id: int | None = None
    field: str | None = None


class VerifyRead(BaseModel):
    intact: bool
    plans_checked: int
    records_checked: int
    breaks: list[BreakRead]

    @classmethod
    def of(cls, report: VerifyReport) -> VerifyRead:
        return cls(
            intact=report.intact,
            plans_checked=report.plans_checked,
            records_checked=report.records_checked,
            breaks=[BreakRead(**b.as_dict()) for b in report.breaks],
        )


class YearCountsRead(BaseModel):
    """One fiscal year (`fiscal_year_be` null: the totals of the range): the plans, and per
    clock kind how many clocks stand in each status."""

    fiscal_year_be: int | None
    plans: int
    clocks: dict[str, dict[str, int]]

    @classmethod
    def of(cls, counts: YearCounts) -> YearCountsRead:
        return cls(
            fiscal_year_be=counts.fiscal_year_be,
            plans=counts.plans,
            clocks={
                kind.value: {s: counts.count(kind, s) for s in STATUSES}
                for kind in DeadlineKind
            },
        )


class ComplianceYearsReport(BaseModel):
    fiscal_year_from: int
    fiscal_year_to: int
    years: list[YearCountsRead]
    totals: YearCountsRead
    plans: list[ComplianceRead]

    @classmethod
    def of(cls, found: ComplianceYears, *, with_plans: bool) -> ComplianceYearsReport:
        return cls(
            fiscal_year_from=found.first_be,
            fiscal_year_to=found.last_be,
            years=[YearCountsRead.of(y) for y in found.years],
            totals=YearCountsRead.of(found.totals),
            plans=[ComplianceRead.of(p) for p in found.plans] if with_plans else [],
        )
