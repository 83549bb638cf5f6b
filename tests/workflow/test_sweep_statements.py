"""The sweep's statements do not grow with the deadlines of a batch (docs/benchmarks.md "Speed,
fifth round: sweep"): the deadlines due together are claimed in one statement, their alerts
inserted in one, their next looks and their cursors written in one executemany each."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, event

from models.clock import FixedClock, bangkok_noon
from tests.factories import make_office
from tests.notifications.scenario import create_annual
from workflow.commands import Context
from workflow.sweeper import SweepReport, SweepSettings, sweep

OFFICES = 3  # each with its FY 2562 annual plan: a preparation clock due Sat 20 Oct 2018


def sweep_counted(engine: Engine, ctx: Context, day: date) -> tuple[SweepReport, Counter[str]]:
    """The sweep of `day` (08:00 in Bangkok) and its statements on the sweep's rows, by kind."""
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    clock.set(bangkok_noon(day) - timedelta(hours=4))
    seen: Counter[str] = Counter()

    def count(_c: Any, _cur: Any, sql: str, _p: Any, _ctx: Any, many: bool) -> None:
        for kind in (
            "SELECT deadline.id, deadline.plan_id",  # the claim
            "INSERT INTO outbox_message",
            "UPDATE deadline SET alert_on",
            "INSERT INTO deadline_alert_state",
            "UPDATE deadline_alert_state",
        ):
            if sql.startswith(kind):
                seen[f"{kind} (executemany)" if many else kind] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        report = sweep(engine, ctx, settings=SweepSettings())
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return report, seen


def test_a_batch_runs_each_statement_once(
    engine: Engine, ctx: Context, clock: FixedClock
) -> None:
    for n in range(OFFICES):
        create_annual(engine, ctx, make_office(engine, clock, f"66606{n:02d}"))
    first, seen = sweep_counted(engine, ctx, date(2018, 10, 13))  # the 7-day reminders
    assert len(first.alerts) == OFFICES and first.swept >= OFFICES
    assert seen == {
        "SELECT deadline.id, deadline.plan_id": 1,
        "INSERT INTO outbox_message": 1,
        "UPDATE deadline SET alert_on (executemany)": 1,
        "INSERT INTO deadline_alert_state (executemany)": 1,
    }
    again, seen = sweep_counted(engine, ctx, date(2018, 10, 17))  # the 3-day reminders
    assert len(again.alerts) == OFFICES
    assert seen == {
        "SELECT deadline.id, deadline.plan_id": 1,
        "INSERT INTO outbox_message": 1,
        "UPDATE deadline SET alert_on (executemany)": 1,
        "UPDATE deadline_alert_state (executemany)": 1,
    }
    assert sweep_counted(engine, ctx, date(2018, 10, 17))[1] == {}  # nothing due any more
