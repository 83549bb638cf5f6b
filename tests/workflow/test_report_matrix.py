"""The monitoring reports' state × action × role matrix, derived from their rows
(workflow/table_reports.py), on both engines: every allowed move works, every other one is
refused with the right code and leaves no record."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from models.clock import FixedClock
from models.enums import Action, ReportRound, ReportState, Role
from models.report import ReportRecord
from tests.factories import Office
from tests.helpers import tick
from tests.report_factories import (
    FINDINGS,
    PLACES,
    REASON,
    actor_of,
    attempt,
    monitoring_member,
    path_to,
    reload,
    walk,
)
from workflow.machine import report_machine
from workflow.table_reports import REPORT_ACTIONS, REPORT_RULES, REPORT_TERMINAL, ReportRule

ROLES = [Role.STAFF, Role.COMMITTEE, Role.MONITORING_COMMITTEE, Role.EXECUTIVE, Role.AUDITOR,
         Role.SYSTEM]
MOVES = [*REPORT_ACTIONS, Action.SEND_BACK]  # and one action no report row has
CASES = [(r, s) for r in ReportRound for s in ReportState if path_to(r, s) is not None]


def rows(round_: ReportRound, action: Action) -> list[ReportRule]:
    return [r for r in REPORT_RULES if r.action is action and r.applies(round_)]


def expected(round_: ReportRound, state: ReportState, action: Action, role: Role) -> str:
    """As the regulation reads: no row takes the action → invalid_transition; my row here →
    ok; the move here, or my role never takes the action → forbidden; my action but not from
    here → invalid_transition."""
    of_action = rows(round_, action)
    if not of_action:
        return "invalid_transition"  # no row of a report takes this action at all
    here = [r for r in of_action if r.source is state]
    if any(role in r.roles for r in here):
        return "ok"
    if here or not any(role in r.roles for r in of_action):
        return "forbidden"
    return "invalid_transition"


def records(engine: Engine, report_id: int) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).where(ReportRecord.report_id == report_id)).one()


@pytest.mark.parametrize(("round_", "state"), CASES, ids=[f"{r}-{s}" for r, s in CASES])
def test_report_matrix(engine: Engine, clock: FixedClock, ctx: object, office: Office,
                       round_: ReportRound, state: ReportState) -> None:
    monitor = monitoring_member(engine, clock, office)
    report = walk(engine, ctx, office, monitor, round_, state)  # type: ignore[arg-type]
    tick(clock, 31)
    kw = {"comment": REASON, "places": PLACES, **FINDINGS}
    for action in MOVES:
        for role in ROLES:
            want = expected(round_, state, action, role)
            actor = actor_of(office, monitor, role)
            if want == "ok":
                fresh = walk(engine, ctx, office, monitor, round_, state)  # type: ignore[arg-type]
                tick(clock, 31)
                got = attempt(engine, ctx, fresh, action, actor, **kw)  # type: ignore[arg-type]
                after = reload(engine, fresh.id)
                (rule,) = [r for r in rows(round_, action) if r.source is state]
                assert (got, after.state, after.version) == ("ok", rule.dest, fresh.version + 1)
            else:
                before = records(engine, report.id)
                got = attempt(engine, ctx, report, action, actor, **kw)  # type: ignore[arg-type]
                assert got == want, (action, role)
                assert records(engine, report.id) == before
                assert reload(engine, report.id).state is state


def test_the_machine_is_the_table() -> None:
    """Every non-create row is one transition of the report machine, and nothing else is."""
    machine = report_machine()
    got = {
        (t.source, t.dest, name)
        for name, event in machine.events.items()
        for ts in event.transitions.values()
        for t in ts
    }
    want = {(r.source.name, r.dest.name, r.action.value) for r in REPORT_RULES
            if r.source is not None}  # transitions names enum states by their names
    assert got == want
    assert frozenset({ReportState.WITHDRAWN, ReportState.POSTING_COMPLETE}) == REPORT_TERMINAL


def test_every_row_cites_a_clause() -> None:
    assert all(r.clause.startswith("ข้อ ") for r in REPORT_RULES)
