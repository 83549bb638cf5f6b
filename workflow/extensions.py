"""Extending a legal clock: the executive's power under clause 27."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlmodel import Session

from models import store
from models.enums import (
    Action,
    DeadlineKind,
    DeadlineStatus,
    Role,
)
from models.store import ClockRow, PlanWithClocks
from workflow import input_rules as rules
from workflow.actors import Actor
from workflow.command_base import (
    Context,
    Entry,
    Opening,
    check_guards,
    check_version,
    in_role,
    open_on_plan,
    record,
    refuse,
    tell,
)
from workflow.errors import (
    Forbidden,
    InvalidTransition,
    Reason,
    Refusal,
    ValidationFailed,
    reason,
)
from workflow.evidence import Attaching, Upload, carried, carry
from workflow.guards import (
    ActionInput,
    evidence_carried,
    not_before_previous,
    not_before_trigger,
    not_extendable,
    not_extender,
    not_in_future,
    reason_given,
)
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
    evidence: Sequence[Upload] = (),
    attaching: Attaching | None = None,
) -> PlanWithClocks:
    """The executive extends an open preparation deadline (clause 27): any number of times,
    each one a record in the plan's chain. Returns the plan and its clocks as they now stand."""
    new_due_on = rules.legal_date(new_due_on, field="new_due_on")
    effective_on = rules.optional_date(effective_on, field="effective_on")
    reason_text = rules.optional_text(
        reason_text, field="reason", max_length=rules.COMMENT_MAX, multiline=True
    ) or ""
    start = open_on_plan(
        session,
        ctx,
        action=Action.EXTEND_DEADLINE,
        plan_id=plan_id,
        actor=actor,
        effective_on=effective_on,
        request_id=request_id,
    )
    plan, refusal = start.plan, start.refusal
    permitted = CLOCKS[kind].extendable_by
    actor, refusal = in_role(actor, refusal, permitted, plan.organization_id)
    _check_extendable(kind, actor, refusal)
    clock = _open_clock(plan, kind, refusal)
    check_version(plan.version, expected_version, refusal)
    inp = ActionInput(
        start.effective_on,
        start.today,
        plan.last_effective_on,
        comment=reason_text,
        trigger_on=plan.trigger_on,
        expected=ctx.evidence.required_of(Action.EXTEND_DEADLINE, actor.role is Role.SYSTEM),
        carried=carried(evidence),
    )
    dates = [not_in_future(inp), not_before_trigger(inp), not_before_previous(inp)]
    later = _later_than(new_due_on, clock.due_on)
    check_guards([*dates, reason_given(inp), later, evidence_carried(inp)], refusal)
    last_working_on = ctx.calendar_for(session).last_working_on_or_before(new_due_on)
    extended = replace(clock, due_on=new_due_on, extended=True, last_working_on=last_working_on)
    entry = Entry(
        Action.EXTEND_DEADLINE,
        actor,
        start.effective_on,
        ctx.clock.now(),
        reason_text,
        request_id,
        {
            "deadline": kind.value,
            "previous_due_on": clock.due_on.isoformat(),
            "new_due_on": new_due_on.isoformat(),
            "clause": CLOCKS[kind].clause,
        },
    )
    moved, record_id = _write(start, clock, extended, entry)
    carry(session, ctx, plan_id=plan_id, actor=actor, record_id=record_id, uploads=evidence,
          how=attaching)
    return moved


def _write(
    start: Opening, clock: ClockRow, extended: ClockRow, entry: Entry
) -> tuple[PlanWithClocks, int]:
    """Move the clock, record the extension in the plan's chain and in its own table, and
    tell the staff and the committee; the plan as it now stands and the record's id."""
    conn, plan, now = start.conn, start.plan, entry.recorded_at
    extended = store.move_clock(conn, clock, extended)
    clocks = tuple(extended if c.id == clock.id else c for c in plan.clocks)
    moved = replace(plan, updated_at=now, clocks=clocks)
    moved, record_id = record(conn, plan, moved, entry, from_state=plan.state)
    store.insert_values(
        conn,
        store.EXTENSION,
        {
            "deadline_id": clock.id,
            "record_id": record_id,
            "previous_due_on": clock.due_on,
            "new_due_on": extended.due_on,
            "reason": entry.comment,
            "recorded_at": now,
        },
    )
    tell(
        conn,
        key=f"transition:{record_id}",
        kind="deadline.extended",
        plan=moved,
        audience=CLOCKS[clock.kind].extension_told,
        now=now,
        deadline_id=clock.id,
        payload={"record_id": record_id, "details": entry.details},
    )
    return moved, record_id


def _check_extendable(kind: DeadlineKind, actor: Actor, refusal: Refusal) -> None:
    """Only a clock the law lets someone extend, and only by that role (clause 27)."""
    clock_rule = CLOCKS[kind]
    if not clock_rule.extendable_by:  # the law gives no one this power (clause 26 (2))
        raise refuse(refusal, ValidationFailed, not_extendable(kind))
    if actor.role not in clock_rule.extendable_by:
        raise refuse(refusal, Forbidden, not_extender(clock_rule, actor.role))


def _open_clock(plan: PlanWithClocks, kind: DeadlineKind, refusal: Refusal) -> ClockRow:
    """The plan's open clock of `kind`, the one to extend."""
    clock = plan.clock(kind)
    if clock is None or clock.status is not DeadlineStatus.OPEN:
        raise refuse(
            refusal,
            InvalidTransition,
            reason(
                "deadline_not_open",
                "ไม่มีกำหนดเวลาที่ยังเปิดอยู่ให้ขยาย",
                f"the plan has no open {kind.value} deadline to extend",
            ),
        )
    return clock


def _later_than(new_due_on: date, due_on: date) -> Reason | None:
    if new_due_on <= due_on:
        return reason(
            "extension_not_later",
            "วันครบกำหนดใหม่ต้องหลังวันครบกำหนดเดิม",
            f"the new due date must be after {due_on.isoformat()}",
        )
    return None
