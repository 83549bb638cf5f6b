"""Creating a plan: the draft of clause 26 (1), or an amendment started by the executive
(clause 27), numbered per organization, fiscal year and kind."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import store
from models.clock import today_bangkok
from models.enums import (
    Action,
    PlanKind,
    PlanState,
    TriggerKind,
)
from models.organization import Organization
from models.plan import Plan
from models.store import NEW, ClockRow, PlanRow, PlanWithClocks
from workflow import audit
from workflow import input_rules as rules
from workflow.actors import Actor
from workflow.calendar import fiscal_year_bounds
from workflow.command_base import (
    Context,
    Entry,
    NotVisible,
    check_guards,
    in_role,
    not_found,
    record,
    refusal_for,
    refuse,
    role_reason,
    sees,
    snapshot,
    start_clocks,
)
from workflow.errors import (
    Forbidden,
    GuardRefused,
    NotFound,
    Reason,
    Refusal,
    reason,
)
from workflow.guards import ActionInput, not_before_trigger, not_in_future
from workflow.table import PRE_ANNOUNCEMENT, TRIGGERS, find_rule

LIVE_AMENDABLE = (PlanState.ANNOUNCED, PlanState.POSTED, PlanState.POSTING_COMPLETE)


@dataclass(frozen=True)
class NewPlan:
    organization_id: int
    kind: PlanKind
    trigger_kind: TriggerKind
    trigger_on: date
    title: str
    fiscal_year_be: int | None = None  # amendments take their plan's fiscal year
    trigger_note: str | None = None
    budget_baht: Decimal | None = None
    amends_plan_id: int | None = None


def create_plan(
    session: Session,
    ctx: Context,
    *,
    new: NewPlan,
    actor: Actor,
    effective_on: date | None = None,
    comment: str | None = None,
    request_id: str | None = None,
) -> PlanWithClocks:
    """Create a draft plan (clause 26 (1)); an annual or supplementary one starts its
    preparation clock at the trigger date (clause 27). Returns the plan as stored."""
    new = clean_new_plan(new)  # the input rules (workflow/input_rules.py), before anything
    effective_on = rules.optional_date(effective_on, field="effective_on")
    comment = rules.optional_text(
        comment, field="comment", max_length=rules.COMMENT_MAX, multiline=True
    )
    today = today_bangkok(ctx.clock)
    effective_on = effective_on or today
    refusal = refusal_for(Action.CREATE, actor, effective_on=effective_on, request_id=request_id)
    org = _lock_organization(session, new.organization_id, refusal)
    refusal = replace(refusal, organization_id=org.id)
    if not sees(actor, session, org.id or 0):  # not written into that organization's trail
        raise NotVisible([not_found()], attempt=refusal)
    rule = find_rule(new.kind, None, Action.CREATE, ctx.policy)
    assert rule is not None  # every kind has a create row
    actor, refusal = in_role(actor, refusal, rule.roles, new.organization_id)
    if actor.role not in rule.roles or not actor.belongs_to(new.organization_id):
        raise refuse(refusal, Forbidden, role_reason(actor, rule))
    fiscal_year, amended = _check_new_plan(session, new, refusal)
    check_guards(
        [
            not_in_future(ActionInput(effective_on, today, None)),
            not_before_trigger(ActionInput(effective_on, today, None, trigger_on=new.trigger_on)),
            _trigger_not_future(new.trigger_on, today),
        ],
        refusal,
    )
    now = ctx.clock.now()
    conn = session.connection()
    number = _next_number(session, new.organization_id, fiscal_year, new.kind)
    plan = store.PLANS.insert(conn, _draft(new, fiscal_year, number, effective_on, now))
    started = start_clocks(
        session, conn, ctx, plan_id=plan.id, kinds=rule.starts, start_on=new.trigger_on
    )
    details = _details(new, started, amended)
    details["plan"] = plan_fields(plan)
    entry = Entry(Action.CREATE, actor, effective_on, now, comment, request_id, details)
    created = replace(plan, clocks=tuple(started))
    return record(conn, plan, created, entry, from_state=None)[0]


def clean_new_plan(new: NewPlan) -> NewPlan:
    """The new plan as the input rules leave it: title and note trimmed, text without
    control characters, legal dates, fiscal year and budget in range (InvalidInput)."""
    title = rules.free_text(new.title, field="title", max_length=rules.TITLE_MAX)
    assert title is not None
    return replace(
        new,
        title=title,
        trigger_on=rules.legal_date(new.trigger_on, field="trigger_on"),
        trigger_note=rules.optional_text(
            new.trigger_note, field="trigger_note", max_length=rules.NOTE_MAX, multiline=True
        ),
        fiscal_year_be=None
        if new.fiscal_year_be is None
        else rules.fiscal_year(new.fiscal_year_be, field="fiscal_year_be"),
        budget_baht=None
        if new.budget_baht is None
        else rules.money(new.budget_baht, field="budget_baht"),
    )


def _details(
    new: NewPlan, started: list[ClockRow], amended: PlanRow | None
) -> dict[str, Any]:
    """What the creation record says: the trigger, the clocks started, the plan amended."""
    details: dict[str, Any] = {
        "trigger": {
            "kind": new.trigger_kind.value,
            "on": new.trigger_on.isoformat(),
            "note": new.trigger_note,
        },
        "deadlines": [snapshot(c) for c in started],
    }
    if amended is not None:
        details["amends_plan_id"] = amended.id
    return details


def plan_fields(plan: PlanRow) -> dict[str, Any]:
    """The plan row's fields its creation record vouches for (clause 26 (1), 27), so that
    `audit verify` can rebuild the row from the chain (docs/integrity.md); money as a string."""
    return {
        "fiscal_year_be": plan.fiscal_year_be,
        "kind": plan.kind.value,
        "number": plan.number,
        "title": plan.title,
        "budget_baht": None if plan.budget_baht is None else str(plan.budget_baht),
        "amends_plan_id": plan.amends_plan_id,
    }


def _lock_organization(session: Session, organization_id: int, refusal: Refusal) -> Organization:
    """Lock the organization: numbering and the one-annual-plan rule read, then write."""
    org = session.get(Organization, organization_id, with_for_update={"key_share": True})
    if org is None:  # like another organization's: no trail to write into, counted instead
        raise NotVisible(
            [reason("organization_not_found", "ไม่พบหน่วยงาน", "no such organization")],
            attempt=refusal,
        )
    return org


def _draft(
    new: NewPlan, fiscal_year: int, number: int, effective_on: date, now: datetime
) -> PlanWithClocks:
    """The new plan's row before its first record (version 0, the chain's genesis)."""
    return PlanWithClocks(
        id=NEW,
        organization_id=new.organization_id,
        fiscal_year_be=fiscal_year,
        kind=new.kind,
        number=number,
        title=new.title.strip(),
        state=PlanState.DRAFT,
        version=0,
        head_hash=audit.GENESIS,
        trigger_kind=new.trigger_kind,
        trigger_on=new.trigger_on,
        trigger_note=new.trigger_note,
        budget_baht=new.budget_baht,
        amends_plan_id=new.amends_plan_id,
        superseded_by_plan_id=None,
        last_effective_on=effective_on,
        announced_on=None,
        posted_on=None,
        posting_places=(),
        posting_complete_on=None,
        created_at=now,
        updated_at=now,
    )


def _check_new_plan(
    session: Session, new: NewPlan, refusal: Refusal
) -> tuple[int, PlanRow | None]:
    """Input checks that need the database: returns the fiscal year and the amended plan."""
    if new.trigger_kind not in TRIGGERS[new.kind]:
        allowed = ", ".join(sorted(t.value for t in TRIGGERS[new.kind]))
        raise refuse(
            refusal,
            GuardRefused,
            reason(
                "trigger_kind_invalid",
                f"เหตุที่เริ่มแผนประเภทนี้ต้องเป็น {allowed}",
                f"a {new.kind.value} plan is started by {allowed}",
            ),
        )
    if new.kind is PlanKind.AMENDMENT:
        amended = _amended_plan(session, new, refusal)
        return amended.fiscal_year_be, amended
    if new.amends_plan_id is not None:
        raise refuse(
            refusal,
            GuardRefused,
            reason(
                "amends_only_for_amendment",
                "ระบุแผนที่แก้ไขได้เฉพาะแผนแก้ไข",
                "only an amendment names the plan it amends",
            ),
        )
    if new.fiscal_year_be is None:
        raise refuse(
            refusal,
            GuardRefused,
            reason("fiscal_year_required", "ต้องระบุปีงบประมาณ", "a fiscal year is required"),
        )
    start, end = fiscal_year_bounds(new.fiscal_year_be)
    if not (start.replace(year=start.year - 1) <= new.trigger_on <= end):
        raise refuse(
            refusal,
            GuardRefused,
            reason(
                "trigger_outside_fiscal_year",
                f"วันที่เกิดเหตุไม่อยู่ในช่วงของปีงบประมาณ {new.fiscal_year_be}",
                f"the trigger date is outside fiscal year {new.fiscal_year_be} (BE)",
            ),
        )
    if new.kind is PlanKind.ANNUAL and _live_annual_exists(session, new):
        raise refuse(
            refusal,
            GuardRefused,
            reason(
                "annual_plan_exists",
                f"มีแผนการดำเนินงานประจำปี {new.fiscal_year_be} อยู่แล้ว",
                f"an annual plan for fiscal year {new.fiscal_year_be} already exists",
            ),
        )
    return new.fiscal_year_be, None


def _amended_plan(session: Session, new: NewPlan, refusal: Refusal) -> PlanRow:
    conn = session.connection()
    amended = store.PLANS.row(conn, new.amends_plan_id) if new.amends_plan_id else None
    if amended is None or amended.organization_id != new.organization_id:
        raise refuse(
            refusal,
            NotFound,
            reason("amended_plan_not_found", "ไม่พบแผนที่จะแก้ไข", "the plan to amend was not found"),
        )
    if amended.state not in LIVE_AMENDABLE or amended.superseded_by_plan_id is not None:
        raise refuse(
            refusal,
            GuardRefused,
            reason(
                "plan_not_amendable",
                "แก้ไขได้เฉพาะแผนที่ประกาศใช้แล้วและยังไม่ถูกแทนที่",
                "only an announced plan that has not been superseded can be amended",
            ),
        )
    pending = session.exec(
        select(Plan.id).where(
            Plan.amends_plan_id == amended.id, col(Plan.state).in_(PRE_ANNOUNCEMENT)
        )
    ).first()
    if pending is not None:
        raise refuse(
            refusal,
            GuardRefused,
            reason(
                "amendment_in_progress",
                f"มีแผนแก้ไขที่ยังไม่ประกาศอยู่แล้ว (รหัส {pending})",
                f"amendment {pending} of this plan is still in progress",
            ),
        )
    return amended


def _live_annual_exists(session: Session, new: NewPlan) -> bool:
    found = session.exec(
        select(Plan.id).where(
            Plan.organization_id == new.organization_id,
            Plan.fiscal_year_be == new.fiscal_year_be,
            Plan.kind == PlanKind.ANNUAL,
            Plan.state != PlanState.WITHDRAWN,
        )
    ).first()
    return found is not None


def _next_number(session: Session, organization_id: int, fiscal_year: int, kind: PlanKind) -> int:
    """ครั้งที่ n: per organization, fiscal year and kind, assigned by the system."""
    top = session.exec(
        select(func.max(Plan.number)).where(
            Plan.organization_id == organization_id,
            Plan.fiscal_year_be == fiscal_year,
            Plan.kind == kind,
        )
    ).one()
    return int(top or 0) + 1


def _trigger_not_future(trigger_on: date, today: date) -> Reason | None:
    if trigger_on > today:
        return reason(
            "trigger_in_future", "วันที่เกิดเหตุต้องไม่เป็นวันในอนาคต", "the trigger date is in the future"
        )
    return None
