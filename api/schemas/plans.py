"""Plans: create, read (with deadlines and the caller's actions), act, extend, history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from api.schemas.common import FiscalYear, Id, LegalDate, ReasonOut, Text, thai
from api.schemas.rules import Money, Stated, Version, ruled, text
from models.deadline import DeadlineExtension
from models.enums import Action, DeadlineKind, PlanKind, PlanState, TriggerKind
from models.organization import Organization
from models.store import PlanRow
from workflow import input_rules as rules
from workflow.queries import ActionOption
from workflow.scoped_reads import DeadlineView, PlanDetail
from workflow.table import CLOCKS, PLAN_ACTIONS, STATE_LABELS

# Built from the table, so the path's enum in OpenAPI is the table's actions in its order.
PlanAction = StrEnum("PlanAction", [(a.name, a.value) for a in PLAN_ACTIONS])  # type: ignore[misc]
PlanAction.__doc__ = (
    "The actions a person performs on an existing plan (the table's rows after create)."
)


# The clocks the law lets someone extend (clause 27), from the table: the extension path's enum.
ExtendableKind = StrEnum(  # type: ignore[misc]
    "ExtendableKind", [(k.name, k.value) for k, c in CLOCKS.items() if c.extendable_by]
)
ExtendableKind.__doc__ = "The deadlines that may be extended (clause 27)."


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organization_id: Id | None = Field(
        default=None, description="default: the caller's own organization"
    )
    kind: PlanKind
    trigger_kind: TriggerKind
    trigger_on: LegalDate = Field(description="B: the date of the trigger event")
    title: text("title", rules.TITLE_MAX)  # type: ignore[valid-type]
    fiscal_year_be: FiscalYear | None = Field(
        default=None, description="required for annual and supplementary plans"
    )
    trigger_note: text(  # type: ignore[valid-type]
        "trigger_note", rules.NOTE_MAX, multiline=True, required=False
    ) | None = None
    budget_baht: Money | None = None
    amends_plan_id: Id | None = Field(default=None, description="amendments only")
    effective_on: LegalDate | None = Field(default=None, description="default: today")
    comment: Text | None = None


PLAN_CREATE_EXAMPLES: dict[str, Any] = {
    "annual": {
        "summary": "Annual plan, FY 2562",
        "value": {
            "kind": "annual",
            "trigger_kind": "annual_budget",
            "trigger_on": "2018-09-20",
            "fiscal_year_be": 2562,
            "title": "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562",
            "trigger_note": "ข้อบัญญัติงบประมาณรายจ่ายประจำปี 2562 ประกาศ 20 ก.ย. 2561",
            "effective_on": "2018-09-21",
        },
    },
    "supplementary": {
        "summary": "Supplementary plan from accumulated funds",
        "value": {
            "kind": "supplementary",
            "trigger_kind": "accumulated_funds",
            "trigger_on": "2019-02-04",
            "fiscal_year_be": 2562,
            "title": "แผนการดำเนินงานเพิ่มเติม ครั้งที่ 1/2562",
            "budget_baht": "1250000.00",
        },
    },
    "amendment": {
        "summary": "Amendment of an announced plan (executive)",
        "value": {
            "kind": "amendment",
            "trigger_kind": "amendment_decision",
            "trigger_on": "2019-03-01",
            "title": "แผนการดำเนินงาน แก้ไข ครั้งที่ 1/2562",
            "amends_plan_id": 1,
        },
    },
}


class SignerInput(BaseModel):
    """Who signs the ประกาศ (announce): the executive by default, or an acting signer."""

    model_config = ConfigDict(extra="forbid")

    capacity: Literal["executive", "acting_for", "acting"] = Field(
        default="executive",
        description="executive; acting_for = ปฏิบัติราชการแทน; acting = รักษาราชการแทน",
    )
    name: str | None = Field(default=None, max_length=200, description="the signer's full name")
    position: str | None = Field(default=None, max_length=300, description="their position")


class ActionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_version: Version = Field(
        ge=0, le=2**31 - 1, description="the plan's `version` you saw"
    )
    effective_on: LegalDate | None = Field(
        default=None, description="the legal date the action takes effect; default: today"
    )
    comment: Text | None = Field(
        default=None, description="required to return, send back, withdraw"
    )
    places: Annotated[
        list[text("places", rules.PLACE_MAX, required=False)],  # type: ignore[valid-type]
        Stated({"maxItems": rules.PLACES_MAX}),
        AfterValidator(ruled(lambda v: list(rules.places(v)))),
    ] = Field(default_factory=list, description="posting places (post); repeats are folded")
    signer: SignerInput | None = Field(
        default=None, description="announce: who signs (default: the office's executive)"
    )


ACTION_EXAMPLES: dict[str, Any] = {
    "submit": {
        "summary": "submit / approve / announce / complete_posting",
        "value": {"expected_version": 1, "effective_on": "2018-10-01"},
    },
    "return_for_revision": {
        "summary": "return_for_revision / send_back / withdraw (a reason is required)",
        "value": {"expected_version": 2, "comment": "แก้ไขงบประมาณโครงการที่ 3"},
    },
    "post": {
        "summary": "post (at least one place)",
        "value": {
            "expected_version": 4,
            "effective_on": "2018-10-26",
            "places": ["บอร์ดประชาสัมพันธ์ อบต.", "เว็บไซต์ อบต."],
        },
    },
}


class ExtensionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_version: Version = Field(ge=0, le=2**31 - 1)
    new_due_on: LegalDate
    reason: text("reason", rules.COMMENT_MAX, multiline=True)  # type: ignore[valid-type]
    effective_on: LegalDate | None = None


EXTENSION_EXAMPLES: dict[str, Any] = {
    "extend": {
        "summary": "Extend the preparation deadline",
        "value": {
            "expected_version": 2,
            "new_due_on": "2018-11-05",
            "reason": "รอผลการพิจารณาของคณะกรรมการ",
            "effective_on": "2018-10-18",
        },
    }
}


class OrganizationRead(BaseModel):
    id: int
    code: str
    name: str
    province: str
    district: str

    @classmethod
    def of(cls, org: Organization) -> OrganizationRead:
        return cls(
            id=org.id or 0,
            code=org.code,
            name=org.name,
            province=org.province,
            district=org.district,
        )


class PlanRead(BaseModel):
    id: int
    organization: OrganizationRead
    fiscal_year_be: int
    kind: PlanKind
    number: int
    title: str
    state: PlanState
    state_th: str
    state_en: str
    version: int
    trigger_kind: TriggerKind
    trigger_on: date
    trigger_on_th: str
    trigger_note: str | None
    budget_baht: Decimal | None
    amends_plan_id: int | None
    superseded_by_plan_id: int | None
    last_effective_on: date
    announced_on: date | None
    announced_on_th: str | None
    posted_on: date | None
    posted_on_th: str | None
    posting_places: list[str]
    posting_complete_on: date | None
    posting_complete_on_th: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, plan: PlanRow, org: Organization) -> PlanRead:
        return cls(**plan_fields(plan, org))


def plan_fields(plan: PlanRow, org: Organization) -> dict[str, Any]:
    """The fields of `PlanRead` for a plan and its organization (a `PlanDetailRead` is made
    from them and its own in one validation, not from a `PlanRead` dumped again)."""
    state = PlanState(plan.state)
    return {
        "id": plan.id or 0,
        "organization": OrganizationRead.of(org),
        "fiscal_year_be": plan.fiscal_year_be,
        "kind": PlanKind(plan.kind),
        "number": plan.number,
        "title": plan.title,
        "state": state,
        "state_th": STATE_LABELS[state][0],
        "state_en": STATE_LABELS[state][1],
        "version": plan.version,
        "trigger_kind": TriggerKind(plan.trigger_kind),
        "trigger_on": plan.trigger_on,
        "trigger_on_th": format_or_dash(plan.trigger_on),
        "trigger_note": plan.trigger_note,
        "budget_baht": plan.budget_baht,
        "amends_plan_id": plan.amends_plan_id,
        "superseded_by_plan_id": plan.superseded_by_plan_id,
        "last_effective_on": plan.last_effective_on,
        "announced_on": plan.announced_on,
        "announced_on_th": thai(plan.announced_on),
        "posted_on": plan.posted_on,
        "posted_on_th": thai(plan.posted_on),
        "posting_places": [str(p) for p in plan.posting_places],
        "posting_complete_on": plan.posting_complete_on,
        "posting_complete_on_th": thai(plan.posting_complete_on),
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
    }


def format_or_dash(day: date) -> str:
    return thai(day) or "-"


class ExtensionRead(BaseModel):
    previous_due_on: date
    new_due_on: date
    new_due_on_th: str
    reason: str
    recorded_at: datetime

    @classmethod
    def of(cls, ext: DeadlineExtension) -> ExtensionRead:
        return cls(
            previous_due_on=ext.previous_due_on,
            new_due_on=ext.new_due_on,
            new_due_on_th=format_or_dash(ext.new_due_on),
            reason=ext.reason,
            recorded_at=ext.recorded_at,
        )


class DeadlineRead(BaseModel):
    kind: DeadlineKind
    label_th: str
    label_en: str
    clause: str
    start_on: date
    start_on_th: str
    days: int
    mode: str
    due_on: date = Field(description="for minimum_posting: the earliest removal date")
    due_on_th: str
    last_working_on: date = Field(description="the last working day on or before due_on")
    last_working_on_th: str
    extended: bool
    status: str
    overdue: bool
    closed_on: date | None
    closed_on_th: str | None
    can_extend: bool
    extensions: list[ExtensionRead]

    @classmethod
    def of(cls, view: DeadlineView) -> DeadlineRead:
        d = view.deadline
        clock = CLOCKS[DeadlineKind(d.kind)]
        return cls(
            kind=DeadlineKind(d.kind),
            label_th=clock.label_th,
            label_en=clock.label_en,
            clause=d.clause,
            start_on=d.start_on,
            start_on_th=format_or_dash(d.start_on),
            days=d.days,
            mode=str(d.mode),
            due_on=d.due_on,
            due_on_th=format_or_dash(d.due_on),
            last_working_on=d.last_working_on,
            last_working_on_th=format_or_dash(d.last_working_on),
            extended=d.extended,
            status=str(d.status),
            overdue=view.overdue,
            closed_on=d.closed_on,
            closed_on_th=thai(d.closed_on),
            can_extend=view.can_extend,
            extensions=[ExtensionRead.of(e) for e in view.extensions],
        )


class AllowedAction(BaseModel):
    action: Action
    label_th: str
    label_en: str
    clause: str
    reason_required: bool
    needs_places: bool
    available_today: bool
    blocked_by: list[ReasonOut] = Field(description="guards that already fail today")

    @classmethod
    def of(cls, option: ActionOption) -> AllowedAction:
        rule = option.rule
        return cls(
            action=rule.action,
            label_th=rule.label_th,
            label_en=rule.label_en,
            clause=rule.clause,
            reason_required=rule.reason_required,
            needs_places=rule.needs_places,
            available_today=not option.blocked_by,
            blocked_by=[ReasonOut(**r.as_dict()) for r in option.blocked_by],
        )


class PlanDetailRead(PlanRead):
    deadlines: list[DeadlineRead]
    allowed_actions: list[AllowedAction]

    @classmethod
    def of_detail(cls, detail: PlanDetail) -> PlanDetailRead:
        return cls(
            **plan_fields(detail.plan, detail.organization),
            deadlines=[DeadlineRead.of(v) for v in detail.deadlines],
            allowed_actions=[AllowedAction.of(o) for o in detail.actions],
        )


class PlanPage(BaseModel):
    items: list[PlanRead]
    next_cursor: str | None
