"""The scheduler's daily checkpoint: at the set hour in Bangkok, when the log grew, once over
every process (threads racing in one process, real `localplan scheduler` processes), and
never by a process without the key."""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import UTC, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.keys import init_key
from api.scheduler import LocalplanScheduler, Ticks, build_ticks, checkpoint_slot
from api.settings import Settings
from models.clock import BANGKOK, FixedClock
from models.enums import PlanKind, PlanState
from models.log import LogCheckpoint
from tests.factories import Office
from tests.helpers import walk
from tests.notifications.test_scheduler import spawn, wait_for
from workflow.commands import Context

NAME = "localplan.test/แหลมรัง"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "signing.key"
    init_key(path, name=NAME)
    return path


def ticks_for(
    db_url: str, engine: Engine, ctx: Context, key: Path | None, **extra: object
) -> Ticks:
    settings = Settings(
        database_url=db_url,
        signing_key_file=str(key) if key else None,
        digest_enabled=False,
        **extra,  # type: ignore[arg-type]
    )
    return build_ticks(settings, engine, clock=ctx.clock, calendar=ctx.calendar)


def stored(engine: Engine) -> list[LogCheckpoint]:
    with Session(engine) as s:
        return list(s.exec(select(LogCheckpoint).order_by(LogCheckpoint.id)).all())  # type: ignore[arg-type]


def at_bangkok(clock: FixedClock, day: datetime, hour: int, minute: int = 0) -> None:
    clock.set(day.replace(hour=hour, minute=minute, tzinfo=BANGKOK).astimezone(UTC))


def test_the_slot_is_the_last_set_hour_in_bangkok() -> None:
    one = time_of_day(1, 0)
    after = datetime(2026, 11, 30, 18, 30, tzinfo=UTC)  # 01:30 on 1 Dec in Bangkok
    assert checkpoint_slot(after, one) == datetime(2026, 12, 1, 1, 0, tzinfo=BANGKOK)
    before = datetime(2026, 11, 30, 17, 59, tzinfo=UTC)  # 00:59 on 1 Dec in Bangkok
    assert checkpoint_slot(before, one) == datetime(2026, 11, 30, 1, 0, tzinfo=BANGKOK)
    exactly = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    assert checkpoint_slot(exactly, one) == exactly


def test_one_checkpoint_a_day_at_the_set_hour_when_the_log_grew(
    db_url: str, engine: Engine, ctx: Context, office: Office, key_file: Path
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    day = datetime(2018, 12, 1)  # walking moves the clock: each step sets it after the walk
    grow = lambda: walk(engine, ctx, office, PlanKind.AMENDMENT, PlanState.ANNOUNCED)  # noqa: E731
    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.COMMITTEE_REVIEW)
    ticks = ticks_for(db_url, engine, ctx, key_file)
    at_bangkok(clock, day, 0, 30)
    first = ticks.checkpoint()  # 00:30: yesterday's 01:00 passed unsigned: caught up now
    assert first is not None and first.key_name == NAME
    grow()
    at_bangkok(clock, day, 0, 50)
    assert ticks.checkpoint() is None  # still the same day's slot: signed already
    at_bangkok(clock, day, 1, 0)
    second = ticks.checkpoint()  # the set hour: the log grew
    assert second is not None and second.size > first.size
    grow()
    at_bangkok(clock, day, 9, 0)
    assert ticks.checkpoint() is None  # one a day
    other = ticks_for(db_url, engine, ctx, key_file)  # another process, started later that day
    assert other.checkpoint() is None  # the day's checkpoint is in the database
    at_bangkok(clock, day + timedelta(days=1), 1, 5)
    third = ticks.checkpoint()
    assert third is not None and third.size > second.size
    at_bangkok(clock, day + timedelta(days=2), 1, 5)
    assert ticks.checkpoint() is None  # the log did not grow: nothing signed
    assert [p.size for p in stored(engine)] == [first.size, second.size, third.size]


def test_racing_processes_sign_the_day_once(
    db_url: str, engine: Engine, ctx: Context, office: Office, key_file: Path
) -> None:
    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    racers = [ticks_for(db_url, engine, ctx, key_file) for _ in range(4)]
    start = threading.Barrier(len(racers))
    results: list[object] = []

    def race(ticks: Ticks) -> None:
        start.wait()
        results.append(ticks.checkpoint())

    threads = [threading.Thread(target=race, args=(t,)) for t in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == len(racers)
    assert sum(r is not None for r in results) == 1
    assert len(stored(engine)) == 1


def test_a_process_without_the_key_never_signs(
    db_url: str, engine: Engine, ctx: Context, office: Office, tmp_path: Path
) -> None:
    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    open_to_all = tmp_path / "open.key"
    init_key(open_to_all, name=NAME)
    open_to_all.chmod(0o644)  # refused: a key others may read is not used
    for key in (None, open_to_all, tmp_path / "missing.key"):
        ticks = ticks_for(db_url, engine, ctx, key)
        assert ticks.signer.key is None and ticks.signer.reason
        assert ticks.checkpoint() is None
        jobs = {j.id for j in LocalplanScheduler(ticks).scheduler.get_jobs()}
        assert "checkpoint" not in jobs
    assert stored(engine) == []


def test_the_running_scheduler_signs_the_day(
    db_url: str, engine: Engine, ctx: Context, office: Office, key_file: Path
) -> None:
    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    ticks = ticks_for(
        db_url,
        engine,
        ctx,
        key_file,
        sweep_interval_seconds=0.2,
        delivery_interval_seconds=0.2,
        heartbeat_interval_seconds=0.2,
    )
    scheduler = LocalplanScheduler(ticks)
    scheduler.start()
    try:
        job = scheduler.scheduler.get_job("checkpoint")
        assert job is not None and job.coalesce and job.max_instances == 1
        wait_for(lambda: len(stored(engine)) == 1, 20, "the day's checkpoint")
        time.sleep(0.6)  # more ticks: nothing more that day
    finally:
        scheduler.shutdown()
    assert len(stored(engine)) == 1


@pytest.mark.slow
def test_several_scheduler_processes_sign_once(
    db_url: str, engine: Engine, ctx: Context, office: Office, key_file: Path, tmp_path: Path
) -> None:
    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCALPLAN_")} | {
        "LOCALPLAN_DATABASE_URL": db_url,
        "LOCALPLAN_SIGNING_KEY_FILE": str(key_file),
        "LOCALPLAN_CHECKPOINT_TIME": "00:00",
        "LOCALPLAN_SWEEP_INTERVAL_SECONDS": "0.3",
        "LOCALPLAN_DELIVERY_INTERVAL_SECONDS": "0.2",
        "LOCALPLAN_HEARTBEAT_INTERVAL_SECONDS": "0.5",
        "LOCALPLAN_DIGEST_ENABLED": "false",
    }
    processes = [spawn(tmp_path, i, env) for i in range(3)]
    try:
        wait_for(lambda: len(stored(engine)) >= 1, 60, "a checkpoint")
        time.sleep(2.0)  # every process ticks again: none may sign the day a second time
    finally:
        for p in processes:
            p.send_signal(signal.SIGTERM)
        codes = [p.wait(timeout=30) for p in processes]
    logs = "\n".join((tmp_path / f"scheduler-{i}.log").read_text() for i in range(3))
    assert codes == [0, 0, 0], logs
    [point] = stored(engine)
    assert point.key_name == NAME
    assert logs.count("checkpoint signed") == 1, logs
