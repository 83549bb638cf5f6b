"""One function per command: lock, check, fire, record, schedule, enqueue.

Each command flushes and never commits: the caller's unit of work (workflow.uow) commits the
plan, its audit record, its deadlines and its outbox rows together, or none of them. A refused
command raises a DomainError carrying a Refusal, which the unit of work stores in its own
transaction (docs/architecture.md "One command, one transaction").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from models.clock import today_bangkok
from models.enums import (
    Action,
    DeadlineKind,
    DeadlineStatus,
    PlanKind,
    PlanState,
)
from models.plan import Plan
from workflow import audit
from workflow import plan_store as store
from workflow.actors import Actor
from workflow.command_kit import (
    MAX_ID,
    Context,
    auditor_sees,
    check_version,
    deadline_values,
    not_found,
    refuse,
    role_reason,
    snapshot,
)
from workflow.creation import NewPlan, create_plan
from workflow.deadlines import closed_status
from workflow.errors import (
    Forbidden,
    GuardRefused,
    InvalidTransition,
    NotFound,
    Refusal,
    reason,
)
from workflow.extensions import extend_deadline
from workflow.guards import ActionInput, check
from workflow.machine import NoSuchMove, Subject, fire
from workflow.notices import message
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
    """Perform one action of the table on a plan (clause 26), atomically with its record.

    Returns the plan as it now stands, outside the session. The rows are read and written
    with Core statements (workflow.plan_store): the hot path of the whole service."""
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
    if session.new or session.dirty or session.deleted:
        session.flush()  # the caller's pending ORM changes go first, as autoflush would
    conn = session.connection()
    plan, deadlines = _lock_visible(session, conn, plan_id, actor, refusal)
    refusal = replace(refusal, organization_id=plan["organization_id"])
    kind, state = PlanKind(plan["kind"]), PlanState(plan["state"])
    rule = _rule_for(kind, state, action, actor, ctx.policy, refusal)
    old_version = plan["version"]
    check_version(old_version, expected_version, refusal)
    minimum = deadlines.get(DeadlineKind.MINIMUM_POSTING)
    problems = check(
        rule,
        ActionInput(
            effective_on=effective_on,
            today=today,
            previous_on=plan["last_effective_on"],
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
    plan.update(state=new_state, last_effective_on=effective_on, updated_at=now)
    details = _apply_effects(session, conn, ctx, plan, rule, deadlines, effective_on, places)
    record = audit.next_record(
        plan_id=plan_id,
        organization_id=plan["organization_id"],
        version=old_version,
        head_hash=plan["head_hash"],
        action=action,
        from_state=state,
        to_state=new_state,
        actor=actor,
        effective_on=effective_on,
        recorded_at=now,
        comment=comment,
        request_id=request_id,
        details=details,
    )
    record_id = store.insert(conn, store.RECORD, record)
    plan.update(version=record["seq"], head_hash=record["hash"])
    store.move_plan(conn, plan, old_version)
    if rule.notify:
        store.insert(
            conn,
            store.OUTBOX,
            message(
                key=f"transition:{record_id}",
                kind=f"transition.{action.value}",
                organization_id=plan["organization_id"],
                plan_id=plan_id,
                audience=rule.notify,
                now=now,
                payload={"record_id": record_id, "action": action.value, "details": details},
            ),
        )
    store.forget_loaded(session)
    return store.detached_plan(plan)


def _lock_visible(
    session: Session, conn: Connection, plan_id: int, actor: Actor, refusal: Refusal
) -> tuple[dict[str, Any], dict[DeadlineKind, store.ClockRow]]:
    found = store.lock_plan(conn, plan_id) if 0 < plan_id <= MAX_ID else None
    if found is None:
        raise refuse(replace(refusal, plan_id=None), NotFound, not_found())
    plan = found[0]
    org_id = plan["organization_id"]
    if not actor.belongs_to(org_id) and not auditor_sees(actor, session, org_id):
        raise refuse(replace(refusal, organization_id=org_id), NotFound, not_found())
    return found


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
    conn: Connection,
    ctx: Context,
    plan: dict[str, Any],
    rule: Rule,
    deadlines: dict[DeadlineKind, store.ClockRow],
    effective_on: date,
    places: tuple[str, ...],
) -> dict[str, Any]:
    """Set the dates the action reaches, close and start clocks; return the record details."""
    details: dict[str, Any] = {}
    if rule.sets_date is not None:
        plan[rule.sets_date] = effective_on
    if rule.action is Action.ANNOUNCE:
        amends = plan["amends_plan_id"]
        if amends is not None and store.supersede(conn, amends, plan["id"]):
            details["supersedes_plan_id"] = amends
    elif rule.action is Action.POST:
        plan["posting_places"] = [p.strip() for p in places if p.strip()]
        details["places"] = plan["posting_places"]
    now = ctx.clock.now()
    late: list[str] = []
    for kind in rule.closes:
        deadline = deadlines.get(kind)
        if deadline is not None and deadline.status is DeadlineStatus.OPEN:
            status = closed_status(kind, deadline.due_on, effective_on)
            store.close(conn, deadline, status, effective_on, now)
            if status is DeadlineStatus.LATE:
                late.append(kind.value)
    if rule.cancels_open:
        for deadline in deadlines.values():
            if deadline.status is DeadlineStatus.OPEN:
                store.close(conn, deadline, DeadlineStatus.CANCELLED, effective_on, now)
    calendar = ctx.calendar_for(session) if rule.starts else None
    for kind in rule.starts:
        assert calendar is not None
        values = deadline_values(plan["id"], kind, effective_on, ctx, calendar)
        values["id"] = store.insert(conn, store.DEADLINE, values)
        deadlines[kind] = store.ClockRow(
            values["id"],
            kind,
            effective_on,
            values["due_on"],
            values["last_working_on"],
            values["mode"],
            DeadlineStatus.OPEN,
        )
    if late:
        details["late"] = late
    details["deadlines"] = [snapshot(d) for d in deadlines.values()]
    return details
