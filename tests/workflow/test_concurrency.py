"""Many writers at once on one database (threads, real connections, both engines)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from models.audit import RefusedAttempt, TransitionRecord
from models.enums import Action, PlanKind, PlanState, TriggerKind
from models.plan import Plan
from tests.factories import Office, attempt
from tests.helpers import walk
from workflow import uow
from workflow.audit import verify
from workflow.commands import Context, NewPlan, create_plan

THREADS = 12


def test_one_action_wins_and_the_rest_are_refused(
    engine: Engine, ctx: Context, office: Office
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.AWAITING_ANNOUNCEMENT)

    def announce(_: int) -> str:
        return attempt(engine, ctx, plan, Action.ANNOUNCE, office.executive)

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(announce, range(THREADS)))
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"stale_version", "invalid_transition"}
    with Session(engine) as s:
        records = s.exec(
            select(func.count()).where(
                TransitionRecord.plan_id == plan.id, TransitionRecord.action == "announce"
            )
        ).one()
        refused = s.exec(select(func.count()).where(RefusedAttempt.plan_id == plan.id)).one()
        assert (records, refused) == (1, THREADS - 1)
        assert verify(s).intact


def test_concurrent_creates_get_distinct_numbers(
    engine: Engine, ctx: Context, office: Office
) -> None:
    def create(i: int) -> int:
        new = NewPlan(
            office.organization_id,
            PlanKind.SUPPLEMENTARY,
            TriggerKind.AGENCY_PROJECTS,
            date(2018, 9, 20),
            f"เพิ่มเติม {i}",
            fiscal_year_be=2562,
        )
        plan = uow.run(
            engine, ctx.clock, lambda s: create_plan(s, ctx, new=new, actor=office.staff)
        )
        return plan.number

    with ThreadPoolExecutor(THREADS) as pool:
        numbers = sorted(pool.map(create, range(THREADS)))
    assert numbers == list(range(1, THREADS + 1))
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Plan)).one() == THREADS


def test_a_deadlock_victim_is_run_again(engine: Engine, ctx: Context, office: Office) -> None:
    """PostgreSQL aborts one side of a deadlock; the unit of work runs the command again."""
    import psycopg
    from sqlalchemy.exc import OperationalError

    calls: list[int] = []

    def command(session: Session) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("UPDATE plan …", {}, psycopg.errors.DeadlockDetected())
        return len(calls)

    assert uow.run(engine, ctx.clock, command) == 2

    def always(session: Session) -> int:
        raise OperationalError("UPDATE plan …", {}, psycopg.errors.DeadlockDetected())

    with pytest.raises(OperationalError):
        uow.run(engine, ctx.clock, always)
