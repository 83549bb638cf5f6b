"""One function per command: lock, check, fire, record, schedule, enqueue.

Each command flushes and never commits: the caller's unit of work (workflow.uow) commits the
plan, its audit record, its deadlines and its outbox rows together, or none of them. A refused
command raises a DomainError carrying a Refusal, which the unit of work stores in its own
transaction (DESIGN.md "The three flows").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session

from models.clock import today_bangkok
from models.deadline import Deadline
from models.enums import (
    Action,
    DeadlineKind,
    DeadlineStatus,
    PlanKind,
    PlanState,
)
from models.plan import Plan
from workflow import audit
from workflow.actors import Actor
from workflow.command_kit import (
    Context,
    check_version,
    close_deadline,
    load_visible,
    plan_deadlines,
    refuse,
    role_reason,
    snapshot,
    start_deadline,
)
from workflow.creation import NewPlan, create_plan
from workflow.deadlines import closed_status
from workflow.errors import (
    Forbidden,
    GuardRefused,
    InvalidTransition,
    Refusal,
    reason,
)
from workflow.extensions import extend_deadline
from workflow.guards import ActionInput, check
from workflow.machine import NoSuchMove, Subject, fire
from workflow.notices import enqueue
from workflow.policy import WorkflowPolicy
from workflow.table import RULES, Rule, find_rule

__all__ = ["Context", "NewPlan", "create_plan", "extend_deadline", "perform"]


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
    plan = load_visible(session, plan_id, actor, refusal)
    refusal = replace(refusal, organization_id=plan.organization_id)
    kind, state = PlanKind(plan.kind), PlanState(plan.state)
    rule = _rule_for(kind, state, action, actor, ctx.policy, refusal)
    check_version(plan, expected_version, refusal)
    deadlines = plan_deadlines(session, plan)
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
        raise refuse(refusal, GuardRefused, *problems)
    try:
        new_state = fire(Subject(state, kind), action, ctx.policy)
    except NoSuchMove as err:  # the table and the machine disagree: refuse, never half-move
        raise refuse(
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
        raise refuse(refusal, Forbidden, role_reason(actor, candidates[0]))
    rule = find_rule(kind, state, action, policy)
    if rule is None or rule.source is None:
        raise refuse(
            refusal,
            InvalidTransition,
            reason(
                "invalid_transition",
                f"ทำขั้นตอน {action.value} จากสถานะ {state.value} ไม่ได้",
                f"{action.value} is not possible from {state.value} for a {kind.value} plan",
            ),
        )
    if actor.role not in rule.roles:
        raise refuse(refusal, Forbidden, role_reason(actor, rule))
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
            close_deadline(session, deadline, status, effective_on, now)
            if status is DeadlineStatus.LATE:
                late.append(kind.value)
    if rule.cancels_open:
        for deadline in deadlines.values():
            if deadline.status is DeadlineStatus.OPEN:
                close_deadline(session, deadline, DeadlineStatus.CANCELLED, effective_on, now)
    calendar = ctx.calendar_for(session) if rule.starts else None
    for kind in rule.starts:
        assert calendar is not None
        deadlines[kind] = start_deadline(session, plan, kind, effective_on, ctx, calendar)
    if late:
        details["late"] = late
    details["deadlines"] = [snapshot(d) for d in deadlines.values()]
    return details
