"""One function per command: lock, check, fire, record, schedule, enqueue.

Each command flushes and never commits: the caller's unit of work (workflow.uow) commits the
plan, its audit record, its deadlines and its outbox rows together, or none of them. A refused
command raises a DomainError carrying a Refusal, which the unit of work stores in its own
transaction (docs/architecture.md "One command, one transaction").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection

from models import store
from models.db import Tx, WriteUnit, unit_of
from models.enums import Action, DeadlineKind, DeadlineStatus, PlanKind, PlanState, Role
from models.fastsql import Encoded
from models.store import ClockRow, PlanWithClocks
from workflow import input_rules as rules
from workflow.actors import Actor
from workflow.audit import canonical
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
    role_reason,
    snapshot,
    start_clocks,
    tell,
)
from workflow.content_freeze import content_step
from workflow.corrections import correct_record
from workflow.creation import NewPlan, create_plan
from workflow.deadlines import closed_status
from workflow.errors import Forbidden, InvalidTransition, Refusal, reason
from workflow.evidence import Attaching, Upload, carried, carry
from workflow.extensions import extend_deadline
from workflow.guards import ActionInput, check
from workflow.machine import NoSuchMove, Subject, fire
from workflow.papers import announce_papers
from workflow.policy import WorkflowPolicy
from workflow.table import RULES, Rule, find_rule

__all__ = [
    "Context", "NewPlan", "correct_record", "create_plan", "extend_deadline", "perform", "quick"
]  # fmt: skip


def quick(action: Action, *, files: bool) -> bool:
    """Whether `perform` of `action` is a few indexed statements and nothing that takes long:
    not announcing (which renders the papers, workflow/papers.py) and no files carried (each
    hashed and stored with the record). Such a command may run on the server's event loop
    (api/deps.py `Services.write`)."""
    return action is not Action.ANNOUNCE and not files


def perform(
    session: Tx,
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
    signer: Mapping[str, Any] | None = None,
    evidence: Sequence[Upload] = (),
    attaching: Attaching | None = None,
) -> PlanWithClocks:
    """Perform one action of the table on a plan (clause 26), atomically with its record.

    Announcing records the signer (`signer`: name, position, capacity; by default the
    office's executive) and the rendered papers' SHA-256 (workflow/papers.py). `evidence`:
    files carried with the action (their `record_id` is ignored), attached to its record;
    under the `required` policy a person's action without them is refused (docs/domain.md
    "Evidence").

    Runs in a write session or a `WriteUnit` (`uow.run_unit`: no ORM session unless a step
    needs one: announcing, evidence, a clock's calendar, a scope the database must check).
    Returns the plan and its clocks as they now stand (what a fresh read would return): the
    rows are read and written through `models.store`, the hot path of the whole service."""
    effective_on = rules.optional_date(effective_on, field="effective_on")
    comment = rules.optional_text(
        comment, field="comment", max_length=rules.COMMENT_MAX, multiline=True
    )
    places = rules.places(places)
    unit = unit_of(session)
    start = open_on_plan(
        unit,
        ctx,
        action=action,
        plan_id=plan_id,
        actor=actor,
        effective_on=effective_on,
        request_id=request_id,
    )
    plan, refusal = start.plan, start.refusal
    permitted, candidates = _moves(action, plan.kind, ctx.policy)
    actor, refusal = in_role(actor, refusal, permitted, plan.organization_id)
    rule = _rule_for(plan.kind, plan.state, action, actor, ctx.policy, refusal, candidates)
    check_version(plan.version, expected_version, refusal)
    expected = ctx.evidence.required_of(action, actor.role is Role.SYSTEM)
    inp = _action_input(start, comment, places, expected, carried(evidence))
    check_guards(check(rule, inp), refusal)
    new_state = _fire(plan, action, ctx.policy, refusal)
    now = ctx.clock.now()
    # What the action changes in the plan, applied in one copy when the record is written.
    changes: dict[str, Any] = {
        "state": new_state, "last_effective_on": start.effective_on, "updated_at": now
    }  # fmt: skip
    details = _apply_effects(unit, ctx, start, rule, changes, places, now)
    step = content_step(start.conn, rule, plan.id)  # freeze or name the content (the table)
    details.update(step.details)
    if action is Action.ANNOUNCE:
        details |= announce_papers(
            unit.session(),
            ctx.renderer,
            plan=replace(plan, **changes),
            signer=signer,
            announced_on=start.effective_on,
            now=now,
            content=step.details.get("content"),
        )
    encoded = canonical(details)  # the one JSON of the details: hashed, stored and told
    entry = Entry(action, actor, start.effective_on, now, comment, request_id, Encoded(encoded))
    moved, record_id = record(start.conn, plan, changes, entry, from_state=plan.state)
    step.store(start.conn, plan_id=plan.id, record_id=record_id, now=now)
    if evidence:
        carry(unit.session(), ctx, plan_id=plan.id, actor=actor, record_id=record_id,
              uploads=evidence, how=attaching)
    if rule.notify:
        tell(
            start.conn,
            key=f"transition:{record_id}",
            kind=f"transition.{action.value}",
            plan=moved,
            audience=rule.notify,
            now=now,
            payload=Encoded(
                f'{{"action":"{action.value}","details":{encoded},"record_id":{record_id}}}'
            ),
        )
    return moved


def _action_input(
    start: Opening,
    comment: str | None,
    places: tuple[str, ...],
    expected: tuple[str, ...],
    evidence: tuple[tuple[str, str | None], ...],
) -> ActionInput:
    """What the guards look at: the dates, the inputs, the minimum posting period's end, the
    evidence the policy expects and the evidence carried."""
    minimum = start.plan.clock(DeadlineKind.MINIMUM_POSTING)
    return ActionInput(
        effective_on=start.effective_on,
        today=start.today,
        previous_on=start.plan.last_effective_on,
        comment=comment,
        places=places,
        removal_on=minimum.due_on if minimum else None,
        trigger_on=start.plan.trigger_on,
        expected=expected,
        carried=evidence,
    )


@lru_cache(maxsize=256)
def _moves(
    action: Action, kind: PlanKind, policy: WorkflowPolicy
) -> tuple[frozenset[Role], tuple[Rule, ...]]:
    """The roles the table lets do `action` to a plan of `kind` under `policy`, and its rows
    for it (read from the table once a process for each: the table is constant)."""
    candidates = tuple(r for r in RULES if r.action is action and r.applies(kind, policy))
    return frozenset(role for rule in candidates for role in rule.roles), candidates


@lru_cache(maxsize=1024)
def _rule_at(
    kind: PlanKind, state: PlanState, action: Action, policy: WorkflowPolicy
) -> Rule | None:
    return find_rule(kind, state, action, policy)  # once a process for each move


def _rule_for(
    kind: PlanKind,
    state: PlanState,
    action: Action,
    actor: Actor,
    policy: WorkflowPolicy,
    refusal: Refusal,
    candidates: tuple[Rule, ...],
) -> Rule:
    """The table's row for this move, if the actor's role may make it (clause 26);
    `candidates`: the table's rows for the action on this kind (`_moves`)."""
    if candidates and not any(actor.role in r.roles for r in candidates):
        raise refuse(refusal, Forbidden, role_reason(actor, candidates[0]))
    rule = _rule_at(kind, state, action, policy)
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


def _fire(
    plan: PlanWithClocks, action: Action, policy: WorkflowPolicy, refusal: Refusal
) -> PlanState:
    """The machine's move; the table and the machine disagreeing is a refusal, never half one."""
    try:
        return fire(Subject(plan.state, plan.kind), action, policy)
    except NoSuchMove as err:
        raise refuse(
            refusal, InvalidTransition, reason("invalid_transition", "ไม่สามารถทำขั้นตอนนี้ได้", str(err))
        ) from err


def _apply_effects(
    unit: WriteUnit,
    ctx: Context,
    start: Opening,
    rule: Rule,
    changes: dict[str, Any],
    places: tuple[str, ...],
    now: datetime,
) -> dict[str, Any]:
    """Set the dates the action reaches, close and start clocks (into `changes`, what the
    action changes in the plan); the record's details."""
    details: dict[str, Any] = {}
    plan = start.plan
    _set_dates(start.conn, rule, plan, changes, start.effective_on, places, details)
    clocks, late = _close_clocks(start.conn, rule, plan.clocks, start.effective_on, now)
    started = start_clocks(
        unit, start.conn, ctx, plan_id=plan.id, kinds=rule.starts, start_on=start.effective_on
    )
    clocks = (*clocks, *started)
    if late:
        details["late"] = late
    details["deadlines"] = [snapshot(c) for c in clocks]
    if clocks != plan.clocks:  # something closed or started (not approve)
        changes["clocks"] = clocks
    return details


def _set_dates(
    conn: Connection,
    rule: Rule,
    plan: PlanWithClocks,
    changes: dict[str, Any],
    effective_on: date,
    places: tuple[str, ...],
    details: dict[str, Any],
) -> None:
    """The date column the action sets (the table's `sets_date`), the places it posts at
    (into `changes`), and an announced amendment superseding its plan."""
    if rule.sets_date is not None:
        changes[rule.sets_date] = effective_on  # a date column of the plan
    if rule.action is Action.ANNOUNCE:
        amends = plan.amends_plan_id
        if amends is not None and store.supersede(conn, amends, plan.id):
            details["supersedes_plan_id"] = amends
    elif rule.action is Action.POST:
        kept = [p.strip() for p in places if p.strip()]
        details["places"] = kept
        changes["posting_places"] = tuple(kept)


def _close_clocks(
    conn: Connection,
    rule: Rule,
    clocks: tuple[ClockRow, ...],
    effective_on: date,
    now: datetime,
) -> tuple[tuple[ClockRow, ...], list[str]]:
    """Close the clocks the action closes (late ones noted), cancel the rest if it cancels;
    the clocks as they now stand and the kinds closed late."""
    by_kind = {clock.kind: clock for clock in clocks}
    late: list[str] = []
    for kind in rule.closes:
        clock = by_kind.get(kind)
        if clock is not None and clock.status is DeadlineStatus.OPEN:
            status = closed_status(kind, clock.due_on, effective_on)
            by_kind[kind] = _close(conn, clock, status, effective_on, now)
            if status is DeadlineStatus.LATE:
                late.append(kind.value)
    if rule.cancels_open:
        for kind, clock in by_kind.items():
            if clock.status is DeadlineStatus.OPEN:
                by_kind[kind] = _close(conn, clock, DeadlineStatus.CANCELLED, effective_on, now)
    return tuple(by_kind.values()), late


def _close(
    conn: Connection, clock: ClockRow, status: DeadlineStatus, on: date, now: datetime
) -> ClockRow:
    return store.move_clock(conn, clock, replace(clock, status=status, closed_on=on, closed_at=now))
