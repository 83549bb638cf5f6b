"""The only APScheduler import: ticks that drive the sweep, delivery, the daily digest and the
daily signed checkpoint of the log.

APScheduler ticks; the database is the truth (docs/architecture.md "The three flows"). Jobs live in
a memory job store (never pickled, never shared between processes), in the Asia/Bangkok time
zone, coalesced, one instance at a time, with a misfire grace: a tick that finds the previous
run still busy is skipped, and the next run picks up everything that is due, so nothing is
lost. Every process writes a heartbeat row, shown by /healthz.

Run it inside `localplan serve` (`start_scheduler` from the app lifespan) or alone with
`localplan scheduler`; any number of processes may run against one database.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as time_of_day
from types import FrameType

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from api import scheduler_settings as chosen
from api.keys import process_signer
from api.scheduler_ita import ita_tick
from api.settings import Settings
from models.alert import SchedulerHeartbeat
from models.clock import BANGKOK, Clock, SystemClock
from models.db import write_session
from models.log import LogCheckpoint
from notifications.admin_alerts import Episodes, tell_stale
from notifications.digest import DigestPolicy, create_digests
from notifications.outbox import DeliveryReport, drain
from notifications.senders import build_senders
from workflow.calendar import WorkingCalendar
from workflow.commands import Context
from workflow.log import sign_if_due
from workflow.sweeper import SweepReport, sweep

log = logging.getLogger(__name__)
HEARTBEAT_KEPT = timedelta(days=30)  # rows of processes not seen for this long are removed


@dataclass
class Ticks:
    """The work of one scheduler process, callable without APScheduler (tests, `--once`)."""

    settings: Settings
    engine: Engine
    ctx: Context
    instance_id: str

    def __post_init__(self) -> None:
        smtp = chosen.smtp_settings(self.settings)
        self.senders = build_senders(
            self.engine,
            self.ctx.clock,
            smtp=smtp,
            webhook=chosen.webhook_settings(self.settings),
            line=chosen.line_settings(self.settings),
        )
        self.sweeping = chosen.sweep_settings(self.settings)
        self.delivering = chosen.delivery_policy(self.settings)
        self.digest = (
            DigestPolicy(
                at=self.settings.digest_time,
                horizon_days=self.settings.digest_horizon_days,
                link_base=self.settings.public_url,
            )
            if self.settings.digest_enabled and smtp is not None
            else None
        )
        self._digest_done_on: object = None
        self.ita_done_on: object = None  # the local day of this process's ITA reminders
        self.signer = process_signer(self.settings.signing_key_file)
        self._checkpoint_slot: datetime | None = None
        self._failed_job: str | None = None  # the job whose failure the heartbeat shows
        self.episodes = Episodes(self.engine, self.clock, self.instance_id, frozenset(self.senders))
        self._delivery = threading.Lock()  # one drain at a time: the sweep job drains too

    @property
    def clock(self) -> Clock:
        return self.ctx.clock

    def sweep(self) -> SweepReport:
        report = sweep(self.engine, self.ctx, settings=self.sweeping)
        self._note(last_sweep_at=self.clock.now())
        if report.alerts:  # the morning's alerts go out now, not at the next delivery tick
            self.deliver()
        return report

    def deliver(self) -> DeliveryReport:
        with self._delivery:  # the leases keep processes apart; this keeps the threads apart
            report = drain(
                self.engine,
                self.clock,
                senders=self.senders,
                policy=self.delivering,
                owner=self.instance_id,
            )
        self._note(last_delivery_at=self.clock.now())
        if report.fanned_out or report.sent or report.retrying or report.failed:
            log.info(
                "delivery: %d message(s) fanned out, %d sent, %d to retry, %d failed",
                report.fanned_out,
                report.sent,
                report.retrying,
                report.failed,
            )
        return report

    def digests(self) -> int:
        """Queue the day's digests once per process and day (the rows make it once overall)."""
        if self.digest is None:
            return 0
        local = self.clock.now().astimezone(BANGKOK)
        if self._digest_done_on == local.date() or local.time() < self.digest.at:
            return 0
        added = create_digests(self.engine, self.clock, policy=self.digest)
        self._digest_done_on = local.date()
        return added

    def checkpoint(self) -> LogCheckpoint | None:
        """Sign the day's checkpoint at the first tick from `checkpoint_time` (Bangkok) when
        the log grew, once over all processes: a process without the key does nothing, one
        that finds the day's checkpoint signed (by any process) waits for the next day, and
        two racing for it are told apart by the database (`sign_if_due`)."""
        key = self.signer.key
        slot = checkpoint_slot(self.clock.now(), self.settings.checkpoint_time)
        if key is None or self._checkpoint_slot == slot:
            return None
        try:
            with write_session(self.engine) as session:
                point = sign_if_due(session, key=key, clock=self.clock, since=slot)
        except IntegrityError:  # another process froze the same leaves first and committed
            log.info("checkpoint of %s: signed by another process", slot.date())
            point = None
        self._checkpoint_slot = slot
        if point is not None:
            log.info("checkpoint signed: %d entries, root %s", point.size, point.root)
        return point

    def once(self) -> tuple[SweepReport, int, DeliveryReport]:
        """One full pass: sweep, digests, the ITA reminders, then delivery."""
        sweep, digests, _ = self.sweep(), self.digests(), ita_tick(self)
        return sweep, digests, self.deliver()

    def beat(self, *, stopped: bool = False, error: str | None = None) -> None:
        now = self.clock.now()
        with write_session(self.engine) as session:
            row = session.get(SchedulerHeartbeat, self.instance_id)
            if row is None:  # this process's first beat: forget processes long gone
                old = now - HEARTBEAT_KEPT
                for gone in session.exec(
                    select(SchedulerHeartbeat).where(col(SchedulerHeartbeat.beat_at) < old)
                ):
                    session.delete(gone)
                row = SchedulerHeartbeat(
                    instance_id=self.instance_id,
                    hostname=socket.gethostname()[:255],
                    pid=os.getpid(),
                    started_at=now,
                    beat_at=now,
                )
            row.beat_at = now
            row.stopped_at = now if stopped else None
            if error is not None:
                row.last_error = error[:2000]
                self._failed_job = error.split(":", 1)[0]
            session.add(row)

    def recovered(self, name: str) -> None:
        """Job `name` ran cleanly: the heartbeat's last error, if it was its failure, goes."""
        if self._failed_job == name:
            with write_session(self.engine) as session:
                row = session.get(SchedulerHeartbeat, self.instance_id)
                if row is not None and (row.last_error or "").startswith(f"{name}:"):
                    row.last_error = None
            self._failed_job = None

    def watch(self) -> None:
        """The heartbeat job: beat, and tell admins of other processes that stopped beating."""
        self.beat()
        stale = max(3 * self.settings.heartbeat_interval_seconds, 90.0)
        tell_stale(
            self.engine,
            self.clock,
            me=self.instance_id,
            stale_after_seconds=stale,
            channels=frozenset(self.senders),
        )

    def _note(self, **fields: datetime) -> None:
        with write_session(self.engine) as session:
            row = session.get(SchedulerHeartbeat, self.instance_id)
            if row is None:
                return
            for name, value in fields.items():
                setattr(row, name, value)
            row.beat_at = self.clock.now()
            session.add(row)


def checkpoint_slot(now: datetime, at: time_of_day) -> datetime:
    """The latest moment at or before `now` when the clock in Bangkok read `at`."""
    local = now.astimezone(BANGKOK)
    slot = datetime.combine(local.date(), at, tzinfo=BANGKOK)
    return slot if slot <= local else slot - timedelta(days=1)


def new_instance_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def build_ticks(
    settings: Settings,
    engine: Engine,
    *,
    clock: Clock | None = None,
    calendar: WorkingCalendar | None = None,
) -> Ticks:
    ctx = Context(settings.policy(), clock or SystemClock(), calendar)
    return Ticks(settings=settings, engine=engine, ctx=ctx, instance_id=new_instance_id())


class LocalplanScheduler:
    """A BackgroundScheduler around one process's Ticks."""

    def __init__(self, ticks: Ticks) -> None:
        # APScheduler is imported when a scheduler is built: `serve --no-scheduler` and
        # /healthz never need it, and importing it slowed every start of `serve`.
        from apscheduler.executors.pool import ThreadPoolExecutor  # type: ignore[import-untyped]
        from apscheduler.jobstores.memory import MemoryJobStore  # type: ignore[import-untyped]
        from apscheduler.schedulers.background import (  # type: ignore[import-untyped]
            BackgroundScheduler,
        )

        self.ticks = ticks
        cfg = ticks.settings
        self.scheduler = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(max_workers=4)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": cfg.scheduler_misfire_grace_seconds,
            },
            timezone=BANGKOK,
        )
        self._add("sweep", ticks.sweep, cfg.sweep_interval_seconds)
        self._add("deliver", ticks.deliver, cfg.delivery_interval_seconds)
        self._add("digest", ticks.digests, cfg.delivery_interval_seconds)
        self._add("ita", lambda: ita_tick(ticks), cfg.delivery_interval_seconds)
        self._add("heartbeat", ticks.watch, cfg.heartbeat_interval_seconds)
        if ticks.signer.key is not None:  # a process without the key never signs
            self._add("checkpoint", ticks.checkpoint, cfg.delivery_interval_seconds)

    def _add(self, name: str, work: Callable[[], object], seconds: float) -> None:
        from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]

        self.scheduler.add_job(
            _guarded(name, work, self.ticks),
            IntervalTrigger(seconds=seconds, timezone=BANGKOK),
            id=name,
            name=f"localplan {name}",
            next_run_time=SystemClock().now().astimezone(BANGKOK),  # at start: catch up now
            replace_existing=True,
        )

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    def start(self) -> None:
        self.ticks.beat()
        self.scheduler.start()
        log.info("scheduler %s started", self.ticks.instance_id)

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop ticking; with `wait`, let running jobs finish first (their units commit)."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=wait)
        try:
            self.ticks.beat(stopped=True)
        except Exception:  # the database may be gone at shutdown: nothing more to record
            log.exception("could not record the scheduler's stop")
        log.info("scheduler %s stopped", self.ticks.instance_id)


def _guarded(name: str, work: Callable[[], object], ticks: Ticks) -> Callable[[], None]:
    def run() -> None:
        try:
            work()
        except Exception as err:  # logged and kept on the heartbeat; the next tick tries again
            log.exception("scheduler job %s failed", name)
            try:
                ticks.beat(error=f"{name}: {type(err).__name__}: {err}")
                ticks.episodes.saw(name, f"{type(err).__name__}: {err}"[:500])
            except Exception:
                log.exception("could not record the failure of %s", name)
            return
        ticks.episodes.saw(name, None)
        ticks.recovered(name)

    return run


def start_scheduler(
    settings: Settings,
    engine: Engine,
    *,
    clock: Clock | None = None,
    calendar: WorkingCalendar | None = None,
) -> LocalplanScheduler:
    """For the app lifespan: build and start; call `.shutdown()` on the way out."""
    scheduler = LocalplanScheduler(build_ticks(settings, engine, clock=clock, calendar=calendar))
    scheduler.start()
    return scheduler


def run_foreground(settings: Settings, engine: Engine, *, once: bool = False) -> None:
    """`localplan scheduler`: tick until SIGTERM or SIGINT, then stop cleanly."""
    ticks = build_ticks(settings, engine)
    if once:
        ticks.beat()
        sweep_report, digests, delivery = ticks.once()
        ticks.checkpoint()
        ticks.beat(stopped=True)
        log.info(
            "once: %d alert(s), %d digest(s), %d sent, %d retrying, %d failed",
            len(sweep_report.alerts),
            digests,
            delivery.sent,
            delivery.retrying,
            delivery.failed,
        )
        return
    # The handler only flips a flag: taking a lock in a signal handler (Event.set) can deadlock
    # with the main thread holding that lock when the signal arrives.
    stopping: list[str] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signal.Signals(signum).name)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    scheduler = LocalplanScheduler(ticks)
    try:
        scheduler.start()
        while not stopping:
            time.sleep(0.2)
        log.info("signal %s: stopping", stopping[0])
    finally:
        scheduler.shutdown(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# --- health ---------------------------------------------------------------------------------
