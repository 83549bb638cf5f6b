"""Extending a legal clock: the executive's power under clause 27."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlmodel import Session

from models.clock import today_bangkok
from models.deadline import Deadline, DeadlineExtension
from models.enums import (
    Action,
    DeadlineKind,
    DeadlineStatus,
    PlanState,
)
from workflow import audit
from workflow.actors import Actor
from workflow.command_kit import (
    Context,
    check_version,
    load_visible,
    plan_deadlines,
    refuse,
)
from workflow.errors import (
    Forbidden,
    GuardRefused,
    InvalidTransition,
    Reason,
    Refusal,
    ValidationFailed,
    reason,
)
from workflow.guards import ActionInput, not_extendable, not_extender, not_in_future, reason_given
from workflow.notices import enqueue
from workflow.table import CLOCKS


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
    plan = load_visible(session, plan_id, actor, refusal)
    refusal = replace(refusal, organization_id=plan.organization_id)
    clock_rule = CLOCKS[kind]
    if not clock_rule.extendable_by:  # the law gives no one this power (clause 26 (2))
        raise refuse(refusal, ValidationFailed, not_extendable(kind))
    if actor.role not in clock_rule.extendable_by:
        raise refuse(refusal, Forbidden, not_extender(clock_rule, actor.role))
    deadline = plan_deadlines(session, plan).get(kind)
    if deadline is None or deadline.status is not DeadlineStatus.OPEN:
        raise refuse(
            refusal,
            InvalidTransition,
            reason(
                "deadline_not_open",
                "ไม่มีกำหนดเวลาที่ยังเปิดอยู่ให้ขยาย",
                f"the plan has no open {kind.value} deadline to extend",
            ),
        )
    check_version(plan.version, expected_version, refusal)
    inp = ActionInput(effective_on, today, plan.last_effective_on, comment=reason_text)
    problems = [
        r
        for r in (not_in_future(inp), reason_given(inp), _later_than(new_due_on, deadline.due_on))
        if r
    ]
    if problems:
        raise refuse(refusal, GuardRefused, *problems)
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
        audience=clock_rule.extension_told,
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
