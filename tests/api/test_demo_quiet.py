"""The demo's first screen is not red (docs/guide/README.md): its FY 2562 plan went the whole
way, every clock met, so a sweep on today's date raises nothing overdue for it, while the plan
of today has its preparation deadline this week."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.demo import seed
from models.clock import FixedClock, today_bangkok
from models.deadline import Deadline
from models.enums import DeadlineStatus, PlanState
from models.outbox import OutboxMessage
from models.plan import Plan
from workflow.commands import Context
from workflow.sweeper import SweepSettings, sweep


def test_a_sweep_after_the_demo_raises_no_overdue_alert_for_the_past_plan(
    engine: Engine, ctx: Context
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(2026, 12, 1, 5, 0, tzinfo=UTC))  # the scheduler's first run, today
    result = seed(engine, ctx)
    report = sweep(engine, ctx, settings=SweepSettings())
    with Session(engine) as session:
        past = session.get(Plan, result.plan_id)
        assert past is not None and past.state is PlanState.POSTING_COMPLETE
        clocks = session.exec(select(Deadline).where(Deadline.plan_id == past.id)).all()
        assert {(d.kind, d.status) for d in clocks} == {
            ("preparation", DeadlineStatus.MET),
            ("posting", DeadlineStatus.MET),
            ("minimum_posting", DeadlineStatus.MET),
        }
        kinds = session.exec(
            select(OutboxMessage.plan_id, OutboxMessage.kind).where(
                col(OutboxMessage.kind).like("alert.%")
            )
        ).all()
        current = session.exec(select(Plan).where(Plan.id != past.id)).one()
        due = session.exec(select(Deadline).where(Deadline.plan_id == current.id)).one()
    assert not [k for k in kinds if k[0] == past.id]  # nothing at all for the past plan
    assert "alert.overdue" not in {k for _, k in kinds}
    assert 0 <= (due.due_on - today_bangkok(clock)).days <= 7  # what is due this week
    assert report.completed == []
