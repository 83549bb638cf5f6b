"""The scheduler: APScheduler in this process with an injected clock, and several real
`localplan scheduler` processes on one database delivering each alert exactly once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from api.scheduler import LocalplanScheduler, build_ticks
from api.scheduler_status import scheduler_status
from api.settings import Settings
from models.alert import Channel, Delivery, InAppAlert, SchedulerHeartbeat
from models.audit import RefusedAttempt, TransitionRecord
from models.clock import FixedClock, SystemClock, today_bangkok
from models.deadline import Deadline
from models.enums import (
    Action,
    DeadlineKind,
    DeadlineStatus,
    OutboxStatus,
    PlanKind,
    PlanState,
    Role,
    TriggerKind,
)
from models.outbox import OutboxMessage
from models.plan import Plan
from tests.factories import Office, create, make_office, new_annual, perform_action
from tests.notifications.conftest import Hook, Mailbox
from tests.notifications.test_delivery import give_emails
from workflow import uow
from workflow.alert_policy import AlertPolicy, DeadlineFacts, due_alerts
from workflow.calendar import WorkingCalendar, fiscal_year_be, fiscal_year_bounds
from workflow.commands import Context, NewPlan, create_plan
from workflow.policy import WorkflowPolicy

PROCESSES = 3


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        pending_messages = session.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
        ).one()
        pending = session.exec(
            select(func.count()).select_from(Delivery).where(Delivery.status != OutboxStatus.SENT)
        ).one()
        sent = session.exec(
            select(func.count()).select_from(Delivery).where(Delivery.status == OutboxStatus.SENT)
        ).one()
        messages = session.exec(select(func.count()).select_from(OutboxMessage)).one()
    return {
        "pending_messages": pending_messages,
        "unsent": pending,
        "sent": sent,
        "messages": messages,
    }


# --- in this process --------------------------------------------------------------------------


def test_the_scheduler_ticks_beats_and_stops_cleanly(
    engine: Engine, db_url: str, ctx: Context, office: Office, hook: Hook, calendar: WorkingCalendar
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    create(engine, ctx, new_annual(office), office.staff)  # FY 2562: budget of Thu 20 Sep 2018
    clock.advance(timedelta(days=22))  # Sat 13 Oct 2018: the 7-day reminder is due
    settings = Settings(
        database_url=db_url,
        sweep_interval_seconds=0.2,
        delivery_interval_seconds=0.2,
        heartbeat_interval_seconds=0.2,
        alert_time="00:00",  # type: ignore[arg-type]
        webhook_url=hook.url,
        webhook_secret=hook.secret,  # type: ignore[arg-type]
    )
    scheduler = LocalplanScheduler(build_ticks(settings, engine, clock=clock, calendar=calendar))
    scheduler.start()
    try:
        jobs = {j.id: j for j in scheduler.scheduler.get_jobs()}
        assert set(jobs) == {"sweep", "deliver", "digest", "ita", "heartbeat"}
        assert all(j.coalesce and j.max_instances == 1 for j in jobs.values())
        assert all(j.misfire_grace_time == 300 for j in jobs.values())
        assert str(scheduler.scheduler.timezone) == "Asia/Bangkok"
        wait_for(lambda: len(hook.accepted) == 1, 20, "the webhook")
        wait_for(lambda: counts(engine)["sent"] == 4, 20, "in-app deliveries")
        assert scheduler_status(engine, clock).startswith("ok: 1 running")
    finally:
        scheduler.shutdown()
    assert not scheduler.running
    with Session(engine) as session:
        [beat] = session.exec(select(SchedulerHeartbeat)).all()
    assert beat.stopped_at is not None and beat.last_sweep_at and beat.last_delivery_at
    assert scheduler_status(engine, clock).startswith("not running: stopped at")
    assert hook.accepted[0]["kind"] == "alert.reminder"


# --- several processes ------------------------------------------------------------------------


def seed_for_today(engine: Engine, office: Office) -> tuple[date, int]:
    """Supplementary plans whose preparation deadlines fall around today, and one plan posted
    40 days ago (may come down since 9 days): real dates, since the processes use the real
    clock. Returns today and the posted plan's id."""
    clock = FixedClock(SystemClock().now())
    ctx = Context(WorkflowPolicy(), clock, None)
    today = today_bangkok(clock)
    for offset in (-3, 0, 1, 3, 7, 10):
        trigger = today - timedelta(days=30 - offset)
        new = _supplementary(office, trigger, f"แผนเพิ่มเติม {offset:+d}")
        uow.run(
            engine,
            clock,
            lambda s, n=new: create_plan(s, ctx, new=n, actor=office.staff),  # type: ignore[misc]
        )
    start = today - timedelta(days=60)
    new = _supplementary(office, start, "แผนเพิ่มเติมที่ปิดประกาศแล้ว")
    plan = uow.run(
        engine,
        clock,
        lambda s: create_plan(s, ctx, new=new, actor=office.staff, effective_on=start),
    )
    assert plan.id is not None
    moves = [
        (Action.SUBMIT, Role.STAFF, 58),
        (Action.APPROVE, Role.COMMITTEE, 56),
        (Action.ANNOUNCE, Role.EXECUTIVE, 50),
        (Action.POST, Role.STAFF, 40),
    ]
    for action, role, ago in moves:
        on = today - timedelta(days=ago)
        places = ("บอร์ดประชาสัมพันธ์",) if action is Action.POST else ()
        plan = perform_action(
            engine, ctx, plan, action, office.by_role(role), effective_on=on, places=places
        )
    assert plan.id is not None
    return today, plan.id


def _supplementary(office: Office, trigger: date, title: str) -> NewPlan:
    year = fiscal_year_be(trigger)
    assert fiscal_year_bounds(year)[0] <= trigger
    return NewPlan(
        organization_id=office.organization_id,
        kind=PlanKind.SUPPLEMENTARY,
        trigger_kind=TriggerKind.SUPPLEMENTARY_BUDGET,
        trigger_on=trigger,
        title=title,
        fiscal_year_be=year,
    )


def expected_alert_keys(engine: Engine, today: date) -> set[str]:
    with Session(engine) as session:
        rows = session.exec(select(Deadline).where(Deadline.status == DeadlineStatus.OPEN)).all()
    keys = set()
    for d in rows:
        facts = DeadlineFacts(DeadlineKind(d.kind), d.due_on, d.last_working_on, d.status)
        keys |= {a.key(d.id or 0) for a in due_alerts(facts, today=today, policy=AlertPolicy())}
    return keys


def spawn(tmp_path: Path, index: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).with_name("localplan")
    with (tmp_path / f"scheduler-{index}.log").open("wb") as log:  # the child keeps its copy
        return subprocess.Popen(
            [str(exe), "scheduler"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path
        )


@pytest.mark.slow
def test_several_scheduler_processes_deliver_each_alert_exactly_once(
    engine: Engine,
    db_url: str,
    office: Office,
    hook: Hook,
    mailbox: Mailbox,
    tmp_path: Path,
) -> None:
    clock = FixedClock(SystemClock().now())
    make_office(engine, clock, "6660604")  # another organization: its people get nothing
    give_emails(engine, clock, "staff-6660603", "executive-6660603", "auditor-6660603")
    today, posted_id = seed_for_today(engine, office)
    expected = expected_alert_keys(engine, today)
    assert len(expected) >= 6
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCALPLAN_")} | {
        "LOCALPLAN_DATABASE_URL": db_url,
        "LOCALPLAN_SWEEP_INTERVAL_SECONDS": "0.3",
        "LOCALPLAN_DELIVERY_INTERVAL_SECONDS": "0.3",
        "LOCALPLAN_HEARTBEAT_INTERVAL_SECONDS": "0.5",
        "LOCALPLAN_ALERT_TIME": "00:00",
        "LOCALPLAN_DIGEST_ENABLED": "false",
        "LOCALPLAN_SMTP_HOST": "127.0.0.1",
        "LOCALPLAN_SMTP_PORT": str(mailbox.port),
        "LOCALPLAN_SMTP_STARTTLS": "false",
        "LOCALPLAN_WEBHOOK_URL": hook.url,
        "LOCALPLAN_WEBHOOK_SECRET": hook.secret,
    }
    processes = [spawn(tmp_path, i, env) for i in range(PROCESSES)]
    started = time.monotonic()
    try:

        def settled() -> bool:
            c = counts(engine)
            return c["messages"] > len(expected) and c["pending_messages"] == 0 and c["unsent"] == 0

        def completed() -> bool:
            with Session(engine) as session:
                plan = session.get(Plan, posted_id)
                return plan is not None and plan.state == PlanState.POSTING_COMPLETE

        wait_for(completed, 60, "the automatic completion")
        wait_for(settled, 60, "every delivery")
        time.sleep(1.0)  # a few more ticks of every process: nothing may be added or resent
        assert settled()
    finally:
        for p in processes:
            p.send_signal(signal.SIGTERM)
        codes = [_stopped(p) for p in processes]
    elapsed = time.monotonic() - started
    logs = "\n".join((tmp_path / f"scheduler-{i}.log").read_text() for i in range(PROCESSES))
    assert codes == [0] * PROCESSES, logs
    with Session(engine) as session:
        messages = session.exec(select(OutboxMessage)).all()
        deliveries = session.exec(select(Delivery)).all()
        in_app = session.exec(select(InAppAlert)).all()
        completions = session.exec(
            select(TransitionRecord).where(TransitionRecord.action == Action.COMPLETE_POSTING)
        ).all()
        refused = session.exec(select(func.count()).select_from(RefusedAttempt)).one()
        beats = session.exec(select(SchedulerHeartbeat)).all()
    alert_keys = {m.idempotency_key for m in messages if m.kind.startswith("alert.")}
    assert alert_keys == expected
    assert {m.status for m in messages} == {OutboxStatus.SENT}
    by_channel = Counter(str(d.channel) for d in deliveries)
    webhook_ids = hook.delivery_ids()
    assert sorted(webhook_ids) == sorted(d.key for d in deliveries if d.channel == Channel.WEBHOOK)
    assert len(webhook_ids) == len(set(webhook_ids)) == len(messages)
    mail_ids = [str(m["X-Localplan-Delivery"]) for m in mailbox.messages]
    assert len(mail_ids) == len(set(mail_ids)) == by_channel["email"]
    assert len(in_app) == by_channel["in_app"] == len({a.delivery_id for a in in_app})
    assert [(c.plan_id, c.actor_role) for c in completions] == [(posted_id, Role.SYSTEM)]
    assert refused == 0
    assert len(beats) == PROCESSES and all(b.stopped_at is not None for b in beats)
    sent_by = [_sent_in(tmp_path / f"scheduler-{i}.log") for i in range(PROCESSES)]
    assert sum(sent_by) == len(deliveries)
    print(  # the figures for the report (pytest -s)
        f"\n{PROCESSES} processes, {elapsed:.1f} s: {len(alert_keys)} alerts, "
        f"{len(messages)} messages, deliveries {dict(by_channel)} sent by process {sent_by}, "
        "duplicates 0"
    )


def _sent_in(log: Path) -> int:
    found = re.findall(r"delivery: \d+ message\(s\) fanned out, (\d+) sent", log.read_text())
    return sum(int(n) for n in found)


@pytest.mark.slow
def test_scheduler_once_and_sigint(engine: Engine, db_url: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCALPLAN_")} | {
        "LOCALPLAN_DATABASE_URL": db_url
    }
    exe = str(Path(sys.executable).with_name("localplan"))
    done = subprocess.run(
        [exe, "scheduler", "--once"], env=env, capture_output=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert b"once: 0 alert(s)" in done.stderr
    with (tmp_path / "scheduler.log").open("wb") as log:
        process = subprocess.Popen(
            [exe, "scheduler"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path
        )
    try:
        wait_for(lambda: _beats(engine) >= 2, 90, "the heartbeat")
    finally:
        process.send_signal(signal.SIGINT)
        _stopped(process)
    out = (tmp_path / "scheduler.log").read_bytes()
    assert process.returncode == 0, out
    assert b"signal SIGINT: stopping" in out and b"stopped" in out
    with Session(engine) as session:
        rows = session.exec(
            select(SchedulerHeartbeat).order_by(col(SchedulerHeartbeat.started_at))
        ).all()
    assert all(r.stopped_at is not None for r in rows)


def _stopped(process: subprocess.Popen[bytes]) -> int | None:
    """Wait for a signalled process; kill it if it does not stop (never leave one behind)."""
    try:
        return process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
        return None


def _beats(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(SchedulerHeartbeat)).one())
