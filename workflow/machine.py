"""The only module that imports `transitions`: one shared, model-less machine from the table.

Plans are never bound to the machine (pytransitions issue 635; a machine per object costs
memory): events are fired on a small subject that carries the plan's state, and the caller
copies the result onto the row. Conditions re-check that the row of the table applies to the
plan's kind and the policy, so the machine refuses a move the table does not give.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from transitions import Machine, MachineError

from models.enums import Action, PlanKind, PlanState, ReportRound, ReportState
from workflow.policy import WorkflowPolicy
from workflow.table import RULES, Rule
from workflow.table_reports import REPORT_RULES, ReportRule


@dataclass
class Subject:
    """What the machine sees of a plan."""

    state: PlanState
    kind: PlanKind


class NoSuchMove(Exception):
    """The machine has no transition for this action from this state for this plan."""


def _condition(rule: Rule) -> Any:
    def applies(event: Any) -> bool:
        subject: Subject = event.model
        policy: WorkflowPolicy = event.kwargs["policy"]
        return rule.applies(subject.kind, policy)

    return applies


@lru_cache(maxsize=1)
def machine() -> Machine:
    built = Machine(
        model=None,
        states=list(PlanState),
        initial=PlanState.DRAFT,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
    )
    for rule in RULES:
        if rule.source is None:
            continue  # creation is not a move between states
        built.add_transition(
            trigger=rule.action.value,
            source=rule.source,
            dest=rule.dest,
            conditions=[_condition(rule)],
        )
    return built


def fire(subject: Subject, action: Action, policy: WorkflowPolicy) -> PlanState:
    """Fire `action` on `subject`; return the new state or raise NoSuchMove.

    The machine's answer depends on the state, the kind, the action and the policy only (no
    callbacks, conditions that read the table), so it is computed once per process for each
    of them (`_move`); the subject's state is set as firing it would."""
    moved = _move(subject.state, subject.kind, action, policy)
    if isinstance(moved, NoSuchMove):
        raise NoSuchMove(*moved.args)
    subject.state = moved
    return moved


@lru_cache(maxsize=1024)
def _move(
    state: PlanState, kind: PlanKind, action: Action, policy: WorkflowPolicy
) -> PlanState | NoSuchMove:
    """The machine fired once on a fresh subject: its new state, or the refusal it raised."""
    try:
        return _fire(Subject(state, kind), action, policy)
    except NoSuchMove as refused:
        return refused


def _fire(subject: Subject, action: Action, policy: WorkflowPolicy) -> PlanState:
    events = machine().events
    if action.value not in events:
        raise NoSuchMove(action.value)
    try:
        moved = events[action.value].trigger(subject, policy=policy)
    except MachineError as err:
        raise NoSuchMove(str(err)) from err
    if not moved:
        raise NoSuchMove(f"{action.value} does not apply to a {subject.kind} plan")
    return subject.state


@dataclass
class ReportSubject:
    """What the report machine sees of a monitoring report."""

    state: ReportState
    round: ReportRound


def _report_condition(rule: ReportRule) -> Any:
    def applies(event: Any) -> bool:
        subject: ReportSubject = event.model
        return rule.applies(subject.round)

    return applies


@lru_cache(maxsize=1)
def report_machine() -> Machine:
    """The second machine, from the reports' rows (workflow/table_reports.py)."""
    built = Machine(
        model=None,
        states=list(ReportState),
        initial=ReportState.DRAFT,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
    )
    for rule in REPORT_RULES:
        if rule.source is not None:
            built.add_transition(
                trigger=rule.action.value,
                source=rule.source,
                dest=rule.dest,
                conditions=[_report_condition(rule)],
            )
    return built


def fire_report(state: ReportState, round_: ReportRound, action: Action) -> ReportState:
    """Fire `action` on a report in `state`; the new state, or NoSuchMove."""
    events = report_machine().events
    if action.value not in events:
        raise NoSuchMove(action.value)
    subject = ReportSubject(state, round_)
    try:
        moved = events[action.value].trigger(subject)
    except MachineError as err:
        raise NoSuchMove(str(err)) from err
    if not moved:
        raise NoSuchMove(f"{action.value} does not apply to a {round_} report")
    return subject.state
