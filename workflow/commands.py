"""One function per command: lock, check, fire, record, schedule, enqueue.

Each command flushes and never commits: the caller's unit of work (workflow.uow) commits the
plan, its audit record, its deadlines and its outbox rows together, or none of them. A refused
command raises a DomainError carrying a Refusal, which the unit of work stores in its own
transaction (DESIGN.md "The three flows").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.clock import Clock, today_bangkok
from models.deadline import Deadline, DeadlineExtension
from models.enums import (
    Action,
    DeadlineKind,
    DeadlineStatus,
    PlanKind,
    PlanState,
    Role,
    TriggerKind,
)
from models.organization import Organization
from models.plan import Plan
from workflow import audit
from workflow.actors import Actor
from workflow.calendar import WorkingCalendar, fiscal_year_bounds
from workflow.deadlines import closed_status, terms
from workflow.errors import (
    DomainError,
    Forbidden,
    GuardRefused,
    InvalidTransition,
    NotFound,
    Reason,
    Refusal,
    StaleVersion,
    ValidationFailed,
    reason,
)
from workflow.guards import ActionInput, check, not_in_future, reason_given
from workflow.machine import NoSuchMove, Subject, fire
from workflow.notices import enqueue
from workflow.overlay import load_calendar
from workflow.policy import WorkflowPolicy
from workflow.table import CLOCKS, RULES, TRIGGERS, Rule, find_rule

LIVE_AMENDABLE = (PlanState.ANNOUNCED, PlanState.POSTED, PlanState.POSTING_COMPLETE)
OPEN_STATES = (PlanState.DRAFT, PlanState.COMMITTEE_REVIEW, PlanState.AWAITING_ANNOUNCEMENT)


@dataclass(frozen=True)
class Context:
    """What every command needs besides the session: the rules in force and the time."""

    policy: WorkflowPolicy
    clock: Clock
    calendar: WorkingCalendar | None = None  # None: the seed plus the overlay in the database

    def calendar_for(self, session: Session) -> WorkingCalendar:
        return self.calendar if self.calendar is not None else load_calendar(session)


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


def _refusing(refusal: Refusal, error: type[DomainError], *reasons: Reason) -> DomainError:
    return error(list(reasons), refusal=refusal)


# --- create ---------------------------------------------------------------------------------


def create_plan(
    session: Session,
    ctx: Context,
    *,
    new: NewPlan,
    actor: Actor,
    effective_on: date | None = None,
    comment: str | None = None,
    request_id: str | None = None,
) -> Plan:
    """Create a draft plan (clause 26 (1)); an annual or supplementary one starts its
    preparation clock at the trigger date (clause 27)."""
    today = today_bangkok(ctx.clock)
    effective_on = effective_on or today
    refusal = Refusal(
        Action.CREATE.value,
        actor.user_id,
        actor.username,
        actor.role,
        organization_id=None,
        effective_on=effective_on,
        request_id=request_id,
    )
    # Lock the organization: numbering and the one-annual-plan rule read, then write.
    org = session.get(Organization, new.organization_id, with_for_update=True)
    if org is None:
        raise _refusing(
            refusal,
            NotFound,
            reason("organization_not_found", "ไม่พบหน่วยงาน", "no such organization"),
        )
    refusal = replace(refusal, organization_id=org.id)
    rule = find_rule(new.kind, None, Action.CREATE, ctx.policy)
    assert rule is not None  # every kind has a create row
    if actor.role not in rule.roles or not actor.belongs_to(new.organization_id):
        raise _refusing(refusal, Forbidden, _role_reason(actor, rule))
    fiscal_year, amended = _check_new_plan(session, new, refusal)
    problems = [
        r
        for r in (
            not_in_future(ActionInput(effective_on, today, None)),
            _trigger_not_future(new.trigger_on, today),
        )
        if r
    ]
    if problems:
        raise _refusing(refusal, GuardRefused, *problems)
    now = ctx.clock.now()
    plan = Plan(
        organization_id=new.organization_id,
        fiscal_year_be=fiscal_year,
        kind=new.kind,
        number=_next_number(session, new.organization_id, fiscal_year, new.kind),
        title=new.title.strip(),
        state=PlanState.DRAFT,
        version=0,
        head_hash=audit.GENESIS,
        trigger_kind=new.trigger_kind,
        trigger_on=new.trigger_on,
        trigger_note=new.trigger_note,
        budget_baht=new.budget_baht,
        amends_plan_id=new.amends_plan_id,
        last_effective_on=effective_on,
        posting_places=[],
        created_at=now,
        updated_at=now,
    )
    session.add(plan)
    session.flush()
    calendar = ctx.calendar_for(session)
    started = [_start(session, plan, kind, new.trigger_on, ctx, calendar) for kind in rule.starts]
    details: dict[str, Any] = {
        "trigger": {
            "kind": new.trigger_kind.value,
            "on": new.trigger_on.isoformat(),
            "note": new.trigger_note,
        },
        "deadlines": [_snapshot(d) for d in started],
    }
    if amended is not None:
        details["amends_plan_id"] = amended.id
    audit.append(
        session,
        plan=plan,
        action=Action.CREATE,
        from_state=None,
        actor=actor,
        effective_on=effective_on,
        recorded_at=now,
        comment=comment,
        request_id=request_id,
        details=details,
    )
    session.flush()
    return plan


def _check_new_plan(session: Session, new: NewPlan, refusal: Refusal) -> tuple[int, Plan | None]:
    """Input checks that need the database: returns the fiscal year and the amended plan."""
    if not new.title.strip():
        raise _refusing(
            refusal,
            ValidationFailed,
            reason("title_required", "ต้องระบุชื่อแผน", "a title is required"),
        )
    if new.trigger_kind not in TRIGGERS[new.kind]:
        allowed = ", ".join(sorted(t.value for t in TRIGGERS[new.kind]))
        raise _refusing(
            refusal,
            ValidationFailed,
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
        raise _refusing(
            refusal,
            ValidationFailed,
            reason(
                "amends_only_for_amendment",
                "ระบุแผนที่แก้ไขได้เฉพาะแผนแก้ไข",
                "only an amendment names the plan it amends",
            ),
        )
    if new.fiscal_year_be is None:
        raise _refusing(
            refusal,
            ValidationFailed,
            reason("fiscal_year_required", "ต้องระบุปีงบประมาณ", "a fiscal year is required"),
        )
    start, end = fiscal_year_bounds(new.fiscal_year_be)
    if not (start.replace(year=start.year - 1) <= new.trigger_on <= end):
        raise _refusing(
            refusal,
            ValidationFailed,
            reason(
                "trigger_outside_fiscal_year",
                f"วันที่ประกาศงบประมาณไม่อยู่ในช่วงของปีงบประมาณ {new.fiscal_year_be}",
                f"the trigger date is outside fiscal year {new.fiscal_year_be} (BE)",
            ),
        )
    if new.kind is PlanKind.ANNUAL and _live_annual_exists(session, new):
        raise _refusing(
            refusal,
            GuardRefused,
            reason(
                "annual_plan_exists",
                f"มีแผนการดำเนินงานประจำปี {new.fiscal_year_be} อยู่แล้ว",
                f"an annual plan for fiscal year {new.fiscal_year_be} already exists",
            ),
        )
    return new.fiscal_year_be, None


def _amended_plan(session: Session, new: NewPlan, refusal: Refusal) -> Plan:
    amended = session.get(Plan, new.amends_plan_id) if new.amends_plan_id else None
    if amended is None or amended.organization_id != new.organization_id:
        raise _refusing(
            refusal,
            ValidationFailed,
            reason("amended_plan_not_found", "ไม่พบแผนที่จะแก้ไข", "the plan to amend was not found"),
        )
    if amended.state not in LIVE_AMENDABLE or amended.superseded_by_plan_id is not None:
        raise _refusing(
            refusal,
            GuardRefused,
            reason(
                "plan_not_amendable",
                "แก้ไขได้เฉพาะแผนที่ประกาศใช้แล้วและยังไม่ถูกแทนที่",
                "only an announced plan that has not been superseded can be amended",
            ),
        )
    pending = session.exec(
        select(Plan.id).where(Plan.amends_plan_id == amended.id, col(Plan.state).in_(OPEN_STATES))
    ).first()
    if pending is not None:
        raise _refusing(
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
            "trigger_in_future", "วันที่เริ่มนับต้องไม่เป็นวันในอนาคต", "the trigger date is in the future"
        )
    return None


# --- actions --------------------------------------------------------------------------------


def perform(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    action: Action,
    actor: Actor,
    expected_version: int,
    effective_on: date | None = None,
    comment: str | None = None,
    places: tuple[str, ...] = (),
    request_id: str | None = None,
) -> Plan:
    """Perform one action of the table on a plan (clause 26), atomically with its record."""
    today = today_bangkok(ctx.clock)
    effective_on = effective_on or today
    refusal = Refusal(
        action.value,
        actor.user_id,
        actor.username,
        actor.role,
        plan_id=plan_id,
        effective_on=effective_on,
        request_id=request_id,
    )
    plan = _load_visible(session, plan_id, actor, refusal)
    refusal = replace(refusal, organization_id=plan.organization_id)
    kind, state = PlanKind(plan.kind), PlanState(plan.state)
    rule = _rule_for(kind, state, action, actor, ctx.policy, refusal)
    if expected_version != plan.version:
        raise _refusing(
            refusal,
            StaleVersion,
            reason(
                "stale_version",
                f"แผนถูกแก้ไขไปแล้ว (ฉบับที่ {plan.version})",
                f"the plan is at version {plan.version}, not {expected_version}",
            ),
        )
    deadlines = _deadlines(session, plan)
    minimum = deadlines.get(DeadlineKind.MINIMUM_POSTING)
    problems = check(
        rule,
        ActionInput(
            effective_on=effective_on,
            today=today,
            previous_on=plan.last_effective_on,
            comment=comment,
            places=places,
            removal_on=minimum.due_on if minimum else None,
        ),
    )
    if problems:
        raise _refusing(refusal, GuardRefused, *problems)
    try:
        new_state = fire(Subject(state, kind), action, ctx.policy)
    except NoSuchMove as err:  # the table and the machine disagree: refuse, never half-move
        raise _refusing(
            refusal, InvalidTransition, reason("invalid_transition", "ไม่สามารถทำขั้นตอนนี้ได้", str(err))
        ) from err
    now = ctx.clock.now()
    plan.state, plan.last_effective_on, plan.updated_at = new_state, effective_on, now
    details = _apply_effects(session, ctx, plan, rule, deadlines, effective_on, places)
    record = audit.append(
        session,
        plan=plan,
        action=action,
        from_state=state,
        actor=actor,
        effective_on=effective_on,
        recorded_at=now,
        comment=comment,
        request_id=request_id,
        details=details,
    )
    session.add(plan)
    session.flush()
    if rule.notify:
        enqueue(
            session,
            key=f"transition:{record.id}",
            kind=f"transition.{action.value}",
            plan=plan,
            audience=rule.notify,
            now=now,
            payload={"record_id": record.id, "action": action.value, "details": details},
        )
        session.flush()
    return plan


def _load_visible(session: Session, plan_id: int, actor: Actor, refusal: Refusal) -> Plan:
    plan = session.exec(select(Plan).where(Plan.id == plan_id).with_for_update()).first()
    if plan is None:
        raise _refusing(
            replace(refusal, plan_id=None),
            NotFound,
            reason("plan_not_found", "ไม่พบแผน", "no such plan"),
        )
    if not actor.belongs_to(plan.organization_id) and not _auditor_sees(actor, session, plan):
        raise _refusing(
            replace(refusal, organization_id=plan.organization_id),
            NotFound,
            reason("plan_not_found", "ไม่พบแผน", "no such plan"),
        )
    return plan


def _auditor_sees(actor: Actor, session: Session, plan: Plan) -> bool:
    if plan.organization_id in actor.scope_organization_ids:
        return True
    if actor.scope_province is None:
        return False
    org = session.get(Organization, plan.organization_id)
    return org is not None and org.province == actor.scope_province


def _role_reason(actor: Actor, rule: Rule) -> Reason:
    roles = ", ".join(sorted(r.value for r in rule.roles))
    return reason(
        "role_not_allowed",
        f"บทบาท {actor.role.value} ไม่มีสิทธิ์ทำขั้นตอนนี้ (ต้องเป็น {roles})",
        f"role {actor.role.value} may not {rule.action.value} (needs {roles})",
    )


def _rule_for(
    kind: PlanKind,
    state: PlanState,
    action: Action,
    actor: Actor,
    policy: WorkflowPolicy,
    refusal: Refusal,
) -> Rule:
    candidates = [r for r in RULES if r.action is action and r.applies(kind, policy)]
    if candidates and not any(actor.role in r.roles for r in candidates):
        raise _refusing(refusal, Forbidden, _role_reason(actor, candidates[0]))
    rule = find_rule(kind, state, action, policy)
    if rule is None or rule.source is None:
        raise _refusing(
            refusal,
            InvalidTransition,
            reason(
                "invalid_transition",
                f"ทำขั้นตอน {action.value} จากสถานะ {state.value} ไม่ได้",
                f"{action.value} is not possible from {state.value} for a {kind.value} plan",
            ),
        )
    if actor.role not in rule.roles:
        raise _refusing(refusal, Forbidden, _role_reason(actor, rule))
    return rule


def _apply_effects(
    session: Session,
    ctx: Context,
    plan: Plan,
    rule: Rule,
    deadlines: dict[DeadlineKind, Deadline],
    effective_on: date,
    places: tuple[str, ...],
) -> dict[str, Any]:
    """Set the dates the action reaches, close and start clocks; return the record details."""
    details: dict[str, Any] = {}
    if rule.action is Action.ANNOUNCE:
        plan.announced_on = effective_on
        if plan.amends_plan_id is not None:
            amended = session.get(Plan, plan.amends_plan_id)
            if amended is not None and amended.superseded_by_plan_id is None:
                amended.superseded_by_plan_id = plan.id
                session.add(amended)
                details["supersedes_plan_id"] = amended.id
    elif rule.action is Action.POST:
        plan.posted_on = effective_on
        plan.posting_places = [p.strip() for p in places if p.strip()]
        details["places"] = plan.posting_places
    elif rule.action is Action.COMPLETE_POSTING:
        plan.posting_complete_on = effective_on
    now = ctx.clock.now()
    late: list[str] = []
    for kind in rule.closes:
        deadline = deadlines.get(kind)
        if deadline is not None and deadline.status is DeadlineStatus.OPEN:
            status = closed_status(kind, deadline.due_on, effective_on)
            _close(session, deadline, status, effective_on, now)
            if status is DeadlineStatus.LATE:
                late.append(kind.value)
    if rule.cancels_open:
        for deadline in deadlines.values():
            if deadline.status is DeadlineStatus.OPEN:
                _close(session, deadline, DeadlineStatus.CANCELLED, effective_on, now)
    calendar = ctx.calendar_for(session) if rule.starts else None
    for kind in rule.starts:
        assert calendar is not None
        deadlines[kind] = _start(session, plan, kind, effective_on, ctx, calendar)
    if late:
        details["late"] = late
    details["deadlines"] = [_snapshot(d) for d in deadlines.values()]
    return details


def _deadlines(session: Session, plan: Plan) -> dict[DeadlineKind, Deadline]:
    rows = session.exec(
        select(Deadline).where(Deadline.plan_id == plan.id).order_by(col(Deadline.id))
    ).all()
    return {DeadlineKind(d.kind): d for d in rows}


def _start(
    session: Session,
    plan: Plan,
    kind: DeadlineKind,
    start_on: date,
    ctx: Context,
    calendar: WorkingCalendar,
) -> Deadline:
    t = terms(kind, start_on, policy=ctx.policy, calendar=calendar)
    assert plan.id is not None
    deadline = Deadline(
        plan_id=plan.id,
        kind=kind,
        start_on=start_on,
        days=t.days,
        mode=ctx.policy.counting_mode,
        conservative=ctx.policy.conservative_minimum_posting,
        clause=t.clause,
        base_due_on=t.base_due_on,
        due_on=t.due_on,
        last_working_on=t.last_working_on,
        status=DeadlineStatus.OPEN,
        created_at=ctx.clock.now(),
    )
    session.add(deadline)
    session.flush()
    return deadline


def _close(
    session: Session, deadline: Deadline, status: DeadlineStatus, closed_on: date, now: Any
) -> None:
    deadline.status, deadline.closed_on, deadline.closed_at = status, closed_on, now
    session.add(deadline)


def _snapshot(deadline: Deadline) -> dict[str, Any]:
    """The deadline as it stood, for the audit record."""
    return {
        "kind": DeadlineKind(deadline.kind).value,
        "start_on": deadline.start_on.isoformat(),
        "due_on": deadline.due_on.isoformat(),
        "last_working_on": deadline.last_working_on.isoformat(),
        "mode": str(deadline.mode),
        "status": DeadlineStatus(deadline.status).value,
        "closed_on": deadline.closed_on.isoformat() if deadline.closed_on else None,
    }


# --- extend a deadline ----------------------------------------------------------------------


def extend_deadline(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    kind: DeadlineKind,
    actor: Actor,
    expected_version: int,
    new_due_on: date,
    reason_text: str,
    effective_on: date | None = None,
    request_id: str | None = None,
) -> Deadline:
    """The executive extends an open preparation deadline (clause 27): any number of times,
    each one a record in the plan's chain."""
    today = today_bangkok(ctx.clock)
    effective_on = effective_on or today
    refusal = Refusal(
        Action.EXTEND_DEADLINE.value,
        actor.user_id,
        actor.username,
        actor.role,
        plan_id=plan_id,
        effective_on=effective_on,
        request_id=request_id,
    )
    plan = _load_visible(session, plan_id, actor, refusal)
    refusal = replace(refusal, organization_id=plan.organization_id)
    clock_rule = CLOCKS[kind]
    if actor.role not in clock_rule.extendable_by:
        raise _refusing(
            refusal,
            Forbidden,
            reason(
                "role_not_allowed",
                "เฉพาะผู้บริหารท้องถิ่นขยายเวลาได้" if clock_rule.extendable_by else "กำหนดเวลานี้ขยายไม่ได้",
                f"role {actor.role.value} may not extend the {kind.value} deadline",
            ),
        )
    deadline = _deadlines(session, plan).get(kind)
    if deadline is None or deadline.status is not DeadlineStatus.OPEN:
        raise _refusing(
            refusal,
            InvalidTransition,
            reason(
                "deadline_not_open",
                "ไม่มีกำหนดเวลาที่ยังเปิดอยู่ให้ขยาย",
                f"the plan has no open {kind.value} deadline to extend",
            ),
        )
    if expected_version != plan.version:
        raise _refusing(
            refusal,
            StaleVersion,
            reason(
                "stale_version",
                f"แผนถูกแก้ไขไปแล้ว (ฉบับที่ {plan.version})",
                f"the plan is at version {plan.version}, not {expected_version}",
            ),
        )
    inp = ActionInput(effective_on, today, plan.last_effective_on, comment=reason_text)
    problems = [
        r
        for r in (not_in_future(inp), reason_given(inp), _later_than(new_due_on, deadline.due_on))
        if r
    ]
    if problems:
        raise _refusing(refusal, GuardRefused, *problems)
    now = ctx.clock.now()
    previous = deadline.due_on
    deadline.due_on, deadline.extended = new_due_on, True
    deadline.last_working_on = ctx.calendar_for(session).last_working_on_or_before(new_due_on)
    session.add(deadline)
    plan.updated_at = now
    details = {
        "deadline": kind.value,
        "previous_due_on": previous.isoformat(),
        "new_due_on": new_due_on.isoformat(),
        "clause": clock_rule.clause,
    }
    record = audit.append(
        session,
        plan=plan,
        action=Action.EXTEND_DEADLINE,
        from_state=PlanState(plan.state),
        actor=actor,
        effective_on=effective_on,
        recorded_at=now,
        comment=reason_text,
        request_id=request_id,
        details=details,
    )
    session.add(plan)
    session.flush()
    assert deadline.id is not None and record.id is not None
    session.add(
        DeadlineExtension(
            deadline_id=deadline.id,
            record_id=record.id,
            previous_due_on=previous,
            new_due_on=new_due_on,
            reason=reason_text,
            recorded_at=now,
        )
    )
    enqueue(
        session,
        key=f"transition:{record.id}",
        kind="deadline.extended",
        plan=plan,
        audience=(Role.STAFF, Role.COMMITTEE),
        now=now,
        deadline_id=deadline.id,
        payload={"record_id": record.id, "details": details},
    )
    session.flush()
    return deadline


def _later_than(new_due_on: date, due_on: date) -> Reason | None:
    if new_due_on <= due_on:
        return reason(
            "extension_not_later",
            "วันครบกำหนดใหม่ต้องหลังวันครบกำหนดเดิม",
            f"the new due date must be after {due_on.isoformat()}",
        )
    return None
