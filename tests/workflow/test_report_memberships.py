"""The monitoring reports' matrix for people of two roles (docs/domain.md "Memberships"), on
both engines: a clerk who sits on the monitoring committee, and a monitoring committee member
who is the executive. Naming no role, the one held role the report's rows permit acts; the
record names it; a refusal leaves no record."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.clock import FixedClock
from models.enums import Action, ReportRound, ReportState, Role
from models.report import ReportRecord
from tests.factories import Office
from tests.helpers import tick
from tests.report_factories import (
    FINDINGS,
    PLACES,
    REASON,
    attempt,
    monitoring_member,
    reload,
    walk,
)
from tests.workflow.test_memberships import two_roles
from tests.workflow.test_report_matrix import CASES, MOVES, expected, records, rows

PAIRS = [(Role.STAFF, Role.MONITORING_COMMITTEE), (Role.MONITORING_COMMITTEE, Role.EXECUTIVE)]


def want(round_: ReportRound, state: ReportState, action: Action,
         person: tuple[Role, Role]) -> str:  # fmt: skip
    """The table's answer for a person who names neither role: the one held role the action's
    rows permit decides; both: ambiguous; neither: the account's own role."""
    permitted = {r for rule in rows(round_, action) for r in rule.roles}
    fits = [r for r in person if r in permitted]
    if len(fits) > 1:
        return "role_ambiguous"
    return expected(round_, state, action, fits[0] if fits else person[0])


def last_role(engine: Engine, report_id: int) -> str:
    with Session(engine) as s:
        found = s.exec(select(ReportRecord).where(ReportRecord.report_id == report_id)
                       .order_by(col(ReportRecord.seq).desc())).first()  # fmt: skip
    assert found is not None
    return str(found.actor_role)


@pytest.mark.parametrize(("round_", "state"), CASES, ids=[f"{r}-{s}" for r, s in CASES])
@pytest.mark.parametrize("pair", PAIRS, ids=["staff+monitoring", "monitoring+executive"])
def test_report_matrix_of_a_person_with_two_roles(
    engine: Engine, clock: FixedClock, ctx: object, office: Office, pair: tuple[Role, Role],
    round_: ReportRound, state: ReportState,
) -> None:  # fmt: skip
    monitor = monitoring_member(engine, clock, office)
    person = two_roles(engine, clock, office, *pair)
    report = walk(engine, ctx, office, monitor, round_, state)  # type: ignore[arg-type]
    tick(clock, 31)
    kw = {"comment": REASON, "places": PLACES, **FINDINGS}
    for action in MOVES:
        wanted = want(round_, state, action, pair)
        if wanted == "ok":
            fresh = walk(engine, ctx, office, monitor, round_, state)  # type: ignore[arg-type]
            tick(clock, 31)
            got = attempt(engine, ctx, fresh, action, person, **kw)  # type: ignore[arg-type]
            (rule,) = [r for r in rows(round_, action) if r.source is state]
            after = reload(engine, fresh.id)
            assert (got, after.state, after.version) == ("ok", rule.dest, fresh.version + 1)
            (acted,) = [r for r in pair if r in rule.roles]
            assert last_role(engine, fresh.id) == acted.value  # the role acted in, recorded
        else:
            before = records(engine, report.id)
            got = attempt(engine, ctx, report, action, person, **kw)  # type: ignore[arg-type]
            assert got == wanted, (action, pair)
            assert records(engine, report.id) == before
            assert reload(engine, report.id).state is state
