"""A poisoned deadline, written by hand into a real database: the sweep sets it aside once,
tells the admins, keeps sweeping the others, and /healthz says `degraded` until the row is
fixed or no longer due (docs/operations.md "Set-aside deadlines")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.app import create_app
from api.scheduler import _guarded, build_ticks
from api.settings import Settings
from models.alert import InAppAlert, SchedulerHeartbeat
from models.clock import FixedClock, bangkok_noon
from models.deadline import Deadline
from models.enums import Action, DeadlineKind
from models.fault import DeadlineFault
from models.outbox import OutboxMessage
from notifications.outbox import DeliveryPolicy, pump
from notifications.senders import build_senders
from tests.factories import Office, make_office, perform_action
from tests.notifications.scenario import create_annual
from workflow.commands import Context
from workflow.faults import ALERT_KIND
from workflow.sweeper import SweepReport, SweepSettings, sweep

SETTINGS = SweepSettings()
REMINDER_DAY = date(2018, 10, 13)  # 7 days before the preparation deadline of Sat 20 Oct


@pytest.fixture
def client(db_url: str, engine: Engine, clock: FixedClock) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=db_url), engine=engine, clock=clock)
    with TestClient(app) as test_client:
        yield test_client


def preparation(engine: Engine, plan_id: int) -> int:
    with Session(engine) as session:
        found = session.exec(
            select(Deadline.id).where(
                Deadline.plan_id == plan_id, Deadline.kind == DeadlineKind.PREPARATION
            )
        ).one()
        assert found is not None
        return found


def by_hand(engine: Engine, sql: str) -> None:
    """What someone with a database shell does: no product code involved."""
    with engine.begin() as conn:
        conn.exec_driver_sql(sql)


def sweep_on(engine: Engine, ctx: Context, day: date) -> SweepReport:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    clock.set(bangkok_noon(day) - timedelta(hours=4))  # 08:00 in Bangkok
    return sweep(engine, ctx, settings=SETTINGS)


def alerts_of(engine: Engine, deadline_id: int) -> list[str]:
    with Session(engine) as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.deadline_id == deadline_id)
            .order_by(col(OutboxMessage.id))
        )
        return [m.kind for m in rows]


def faults(engine: Engine) -> list[DeadlineFault]:
    with Session(engine) as session:
        return list(session.exec(select(DeadlineFault).order_by(col(DeadlineFault.id))))


def health(client: TestClient) -> tuple[str, list[dict[str, object]]]:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    return body["status"], body["set_aside"]


# 9999-12-31 (the issue's: an extension the web accepted) sorts last; 0001-01-01 sorts first,
# so the sweep meets it before the good row; an unreadable date only SQLite can store.
POISONS = ["9999-12-31", "0001-01-01", "2018-02-30"]


@pytest.mark.parametrize("poison", POISONS)
def test_a_poisoned_deadline_is_set_aside_once_and_the_others_are_swept(
    engine: Engine, ctx: Context, office: Office, clock: FixedClock, client: TestClient, poison: str
) -> None:
    if poison == "2018-02-30" and engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL cannot store an invalid date")
    good_plan = create_annual(engine, ctx, office)
    bad_plan = create_annual(engine, ctx, make_office(engine, clock, "6660604"))
    good, bad = preparation(engine, good_plan), preparation(engine, bad_plan)
    by_hand(engine, f"UPDATE deadline SET due_on = '{poison}' WHERE id = {bad}")

    first = sweep_on(engine, ctx, REMINDER_DAY)
    assert (first.set_aside, first.swept) == ([bad], 1)
    assert alerts_of(engine, good) == ["alert.reminder"]
    assert alerts_of(engine, bad) == [ALERT_KIND]
    [fault] = faults(engine)
    assert (fault.deadline_id, fault.plan_id, fault.tries, fault.cleared_at) == (
        bad,
        bad_plan,
        1,
        None,
    )
    error = "ValueError" if poison == "2018-02-30" else "OverflowError"
    assert fault.error.startswith(error)
    status, set_aside = health(client)
    assert status == "degraded"
    assert [(s["deadline_id"], s["plan_id"]) for s in set_aside] == [(bad, bad_plan)]
    assert str(set_aside[0]["error"]).startswith(error)

    again = sweep_on(engine, ctx, REMINDER_DAY)  # the next tick: passed over, nothing new
    assert (again.set_aside, again.swept, again.alerts) == ([bad], 0, [])
    assert faults(engine)[0].tries == 1
    later = sweep_on(engine, ctx, REMINDER_DAY + timedelta(days=1))  # tried once a new day
    assert later.set_aside == [bad]
    assert faults(engine)[0].tries == 2
    assert alerts_of(engine, bad) == [ALERT_KIND]  # still the one alert
    assert health(client)[0] == "degraded"

    by_hand(engine, f"UPDATE deadline SET due_on = '2018-10-20' WHERE id = {bad}")  # fixed
    fixed = sweep_on(engine, ctx, REMINDER_DAY + timedelta(days=1))
    assert (fixed.set_aside, fixed.cleared) == ([], [bad])
    assert alerts_of(engine, bad) == [ALERT_KIND, "alert.reminder"]
    [cleared] = faults(engine)
    assert cleared.cleared_because == "swept" and cleared.cleared_at is not None
    assert health(client) == ("ok", [])


def test_an_episode_ends_when_the_deadline_is_no_longer_due(
    engine: Engine, ctx: Context, office: Office, client: TestClient
) -> None:
    plan_id = create_annual(engine, ctx, office)
    bad = preparation(engine, plan_id)
    by_hand(engine, f"UPDATE deadline SET due_on = '9999-12-31' WHERE id = {bad}")
    assert sweep_on(engine, ctx, REMINDER_DAY).set_aside == [bad]
    perform_action(engine, ctx, plan_id, Action.WITHDRAW, office.executive, comment="ยกเลิก")
    report = sweep_on(engine, ctx, REMINDER_DAY)  # the withdrawal cancelled the clock
    assert (report.set_aside, report.cleared) == ([], [bad])
    assert [f.cleared_because for f in faults(engine)] == ["not_due"]
    assert health(client) == ("ok", [])


def test_the_admins_are_told_and_nobody_else(
    engine: Engine, ctx: Context, office: Office, clock: FixedClock
) -> None:
    other = make_office(engine, clock, "6660604")
    bad = preparation(engine, create_annual(engine, ctx, office))
    by_hand(engine, f"UPDATE deadline SET due_on = '9999-12-31' WHERE id = {bad}")
    sweep_on(engine, ctx, REMINDER_DAY)
    senders = build_senders(engine, clock)
    pump(engine, clock, senders=senders, policy=DeliveryPolicy(), owner="test")  # type: ignore[arg-type]
    with Session(engine) as session:
        told = session.exec(select(InAppAlert).where(InAppAlert.kind == ALERT_KIND)).all()
    assert sorted(a.user_id for a in told) == sorted(
        [office.admin.user_id, other.admin.user_id]  # every admin, whatever the organization
    )
    assert told[0].subject.startswith(f"ระบบพักกำหนดเวลาหมายเลข {bad}")
    assert "OverflowError" in told[0].body_text


def test_the_schedulers_tick_survives_and_its_heartbeat_stays_clean(
    db_url: str, engine: Engine, ctx: Context, office: Office, clock: FixedClock
) -> None:
    """Through api/scheduler.py's sweep job, as `localplan scheduler` runs it."""
    good = preparation(engine, create_annual(engine, ctx, office))
    bad = preparation(engine, create_annual(engine, ctx, make_office(engine, clock, "6660604")))
    by_hand(engine, f"UPDATE deadline SET due_on = '0001-01-01' WHERE id = {bad}")
    clock.set(bangkok_noon(REMINDER_DAY))
    ticks = build_ticks(Settings(database_url=db_url), engine, clock=clock, calendar=ctx.calendar)
    ticks.beat()
    assert ticks.sweep().set_aside == [bad]
    assert alerts_of(engine, good) == ["alert.reminder"]
    with Session(engine) as session:
        beat = session.get(SchedulerHeartbeat, ticks.instance_id)
        assert beat is not None and beat.last_error is None and beat.last_sweep_at is not None


def test_a_job_that_fails_and_then_runs_cleanly_clears_its_error_from_the_heartbeat(
    db_url: str, engine: Engine, ctx: Context, clock: FixedClock
) -> None:
    """`scheduler status` shows the heartbeat's last error: one that has healed must go, and
    another job's success must not hide a failure that is still there."""
    ticks = build_ticks(Settings(database_url=db_url), engine, clock=clock, calendar=ctx.calendar)
    ticks.beat()

    def broken() -> None:
        raise RuntimeError("disk full")

    def last_error() -> str | None:
        with Session(engine) as session:
            beat = session.get(SchedulerHeartbeat, ticks.instance_id)
            assert beat is not None
            return beat.last_error

    _guarded("sweep", broken, ticks)()
    assert last_error() == "sweep: RuntimeError: disk full"
    _guarded("deliver", lambda: None, ticks)()
    assert last_error() == "sweep: RuntimeError: disk full"
    _guarded("sweep", lambda: None, ticks)()
    assert last_error() is None
