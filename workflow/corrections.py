"""Correcting a record: a field of an earlier action set right by a record of its own, in the
plan's chain, with the deadlines it counts recomputed (docs/domain.md "Corrections").

The workflow table (`workflow.table_corrections.CORRECTIONS`) says which field of which action
may be corrected and by whom; nothing is erased or updated in place but the plan's own row and its
open clocks, as a calendar change moves them (workflow/overlay.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlmodel import Session

from models import store
from models.audit import TransitionRecord
from models.enums import Action, DeadlineStatus
from models.store import ClockRow, PlanWithClocks
from workflow import corrected as cv
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
    snapshot,
    tell,
)
from workflow.correction_rules import Wanted, check_correction, clean_value
from workflow.deadlines import closed_status, terms
from workflow.errors import Forbidden, GuardRefused, Refusal, reason
from workflow.policy import WorkflowPolicy
from workflow.table_corrections import CORRECTIONS, Correction, correction_for


def correct_record(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    seq: int,
    field: str,
    value: object,
    reason_text: str,
    actor: Actor,
    expected_version: int,
    request_id: str | None = None,
) -> PlanWithClocks:
    """Correct `field` of the plan's record number `seq` to `value`, for `reason_text`: a
    record of its own in the chain and a `record_correction` row, the plan's column and the
    clocks the value counts moved, and the roles that may correct told, in one transaction."""
    wanted = clean_value(field, value)  # the input rules (workflow/correction_rules.py)
    why = (
        rules.free_text(reason_text, field="reason", max_length=rules.COMMENT_MAX, multiline=True)
        or ""
    )
    start = open_on_plan(
        session,
        ctx,
        action=Action.CORRECT,
        plan_id=plan_id,
        actor=actor,
        effective_on=None,
        request_id=request_id,
    )
    plan, refusal = start.plan, start.refusal
    records = _records(start.conn, plan.id)
    target = _target(records, seq, refusal)
    allowed = correction_for(target.action, wanted.field)
    permitted = allowed.roles if allowed is not None else frozenset()
    actor, refusal = in_role(actor, refusal, permitted, plan.organization_id)
    row = _row(target, wanted.field, actor, refusal)
    check_version(plan.version, expected_version, refusal)
    corrected = cv.corrections_by_seq(records)
    before = cv.value_in_force(target, wanted.field, corrected)
    check_guards(
        check_correction(row, target, records, corrected, before, wanted, plan, start.today),
        refusal,
    )
    moved, clocks = _apply(session, ctx, start, row, target, before, wanted, records)
    details: dict[str, Any] = {
        "corrects": {"seq": target.seq, "record_id": target.id, "action": target.action},
        "field": wanted.field,
        "before": before,
        "after": wanted.json,
        "deadlines": [snapshot(c) for c in clocks],
    }
    now = ctx.clock.now()
    entry = Entry(Action.CORRECT, actor, start.today, now, why, request_id, details)
    moved = replace(moved, updated_at=now)
    moved, record_id = record(start.conn, plan, moved, entry, from_state=plan.state)
    store.insert_values(
        start.conn,
        store.CORRECTION,
        {
            "plan_id": plan.id,
            "record_id": record_id,
            "corrects_record_id": target.id,
            "field": wanted.field,
            "before": before,
            "after": wanted.json,
            "reason": why,
            "recorded_at": now,
        },
    )
    tell(
        start.conn,
        key=f"transition:{record_id}",
        kind="transition.correct",
        plan=moved,
        audience=tuple(sorted(row.roles)),
        now=now,
        payload={
            "record_id": record_id,
            "action": Action.CORRECT.value,
            "comment": why,
            "details": details,
        },
    )
    return moved


def correctable(records: list[TransitionRecord]) -> list[tuple[TransitionRecord, Correction]]:
    """Each (record, field row) of the table a plan's records offer, in chain order (what
    the plan page lists; the command still decides)."""
    return [(r, c) for r in records for c in CORRECTIONS if c.action.value == r.action]


_RECORDS = (
    sa.select(store.RECORD)
    .where(store.RECORD.c.plan_id == sa.bindparam("id"))
    .order_by(store.RECORD.c.seq)
)


def _records(conn: Connection, plan_id: int) -> list[TransitionRecord]:
    return [TransitionRecord(**dict(r._mapping)) for r in conn.execute(_RECORDS, {"id": plan_id})]


def _target(records: list[TransitionRecord], seq: int, refusal: Refusal) -> TransitionRecord:
    found = next((r for r in records if r.seq == seq), None)
    if found is None:
        raise refuse(
            refusal,
            GuardRefused,
            reason(
                "record_not_found",
                f"ไม่พบรายการบันทึกลำดับที่ {seq} ของแผนนี้",
                f"the plan has no record number {seq}",
            ),
        )
    return found


def _row(target: TransitionRecord, field: str, actor: Actor, refusal: Refusal) -> Correction:
    """The table's row for this field of this action, if the actor's role may use it."""
    row = correction_for(target.action, field)
    if row is None:
        raise refuse(
            refusal,
            GuardRefused,
            reason(
                "not_correctable",
                f"แก้ไข {field} ของขั้นตอน {target.action} ไม่ได้",
                f"{field} of a {target.action} record cannot be corrected",
            ),
        )
    if actor.role not in row.roles:
        roles = ", ".join(sorted(r.value for r in row.roles))
        raise refuse(
            refusal,
            Forbidden,
            reason(
                "role_not_allowed",
                f"บทบาท {actor.role.value} ไม่มีสิทธิ์แก้ไขข้อมูลนี้ (ต้องเป็น {roles})",
                f"role {actor.role.value} may not correct {field} of {target.action} "
                f"(needs {roles})",
            ),
        )
    return row


def _apply(
    session: Session,
    ctx: Context,
    start: Opening,
    row: Correction,
    target: TransitionRecord,
    before: Any,
    wanted: Wanted,
    records: list[TransitionRecord],
) -> tuple[PlanWithClocks, list[ClockRow]]:
    """The plan's column and last legal date, and the clocks the value counts, moved; the
    plan as it now stands and the clocks that changed."""
    plan = start.plan
    if row.column == "posting_places":
        plan = replace(plan, posting_places=tuple(wanted.json))
    elif row.column is not None:
        dates: dict[str, Any] = {row.column: wanted.on}  # a date column of the plan
        plan = replace(plan, **dates)
    after = cv.corrections_by_seq(records)
    after.setdefault(target.seq, {})[row.field] = wanted.json
    acts = [r for r in records if r.action not in cv.NOT_PLAN_ACTIONS]
    plan = replace(plan, last_effective_on=cv.effective_on(acts[-1], after))
    changed = _move_clocks(session, ctx, start, row, before, wanted)
    by_id = {c.id: c for c in changed}
    return replace(plan, clocks=tuple(by_id.get(c.id, c) for c in plan.clocks)), changed


def _move_clocks(
    session: Session, ctx: Context, start: Opening, row: Correction, before: Any, wanted: Wanted
) -> list[ClockRow]:
    """Count the clocks the action started again from the new date (an extended one keeps
    its due date), and judge the ones it closed again on it (met or late)."""
    if wanted.on is None:
        return []
    calendar = ctx.calendar_for(session)
    changed = []
    for clock in start.plan.clocks:
        new = clock
        if clock.kind in row.restarts and clock.status is DeadlineStatus.OPEN:
            policy = WorkflowPolicy(
                counting_mode=clock.mode, conservative_minimum_posting=clock.conservative
            )
            fresh = terms(clock.kind, wanted.on, policy=policy, calendar=calendar)
            due = clock.due_on if clock.extended else fresh.due_on
            new = replace(
                clock,
                start_on=wanted.on,
                base_due_on=fresh.base_due_on,
                due_on=due,
                last_working_on=calendar.last_working_on_or_before(due),
            )
        elif clock.kind in row.recloses and clock.closed_on == _day(before):
            status = closed_status(clock.kind, clock.due_on, wanted.on)
            new = replace(clock, closed_on=wanted.on, status=status)
        if new != clock:
            changed.append(store.move_clock(start.conn, clock, new))
    return changed


def _day(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None
