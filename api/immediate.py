"""Delivery right after the commit (docs/operations.md "Alerts"): a command's outbox messages
are handed to a delivery thread of the same process as soon as its transaction commits.

`Services.run` wakes the worker after every committed command; the worker runs one delivery
pass (fan-out, then send) with the same claims as the periodic tick (`FOR UPDATE SKIP LOCKED`
on PostgreSQL, leases everywhere), so any number of API and scheduler processes deliver each
message exactly once. Wakes that arrive during a pass are coalesced into one more pass. The
periodic tick (`localplan scheduler`, or the scheduler inside `serve`) stays the safety net for
what a crash or a channel that is down leaves behind.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import Engine

from api.scheduler_settings import delivery_policy, line_settings, smtp_settings, webhook_settings
from api.settings import Settings
from models.clock import Clock
from notifications.outbox import DeliveryReport, drain
from notifications.senders import build_senders

log = logging.getLogger(__name__)


def delivery_pass(
    settings: Settings, engine: Engine, clock: Clock, *, owner: str
) -> Callable[[], DeliveryReport]:
    """One delivery pass with the channels the settings configure, leased to `owner`."""
    senders = build_senders(
        engine,
        clock,
        smtp=smtp_settings(settings),
        webhook=webhook_settings(settings),
        line=line_settings(settings),
    )
    policy = delivery_policy(settings)
    for sender in senders.values():  # slow imports (line-bot-sdk: seconds) off the start
        if hasattr(sender, "prepare"):
            threading.Thread(target=sender.prepare, name="localplan-prepare", daemon=True).start()

    def run() -> DeliveryReport:
        report = drain(engine, clock, senders=senders, policy=policy, owner=owner)
        if report.fanned_out or report.sent or report.failed:
            log.info(
                "immediate delivery: %d message(s) fanned out, %d sent, %d to retry, %d failed",
                report.fanned_out,
                report.sent,
                report.retrying,
                report.failed,
            )
        return report

    return run


class DeliveryWorker:
    """A daemon thread that runs `work` once per wake (wakes during a run: one more run)."""

    def __init__(self, work: Callable[[], object], *, name: str = "localplan-deliver") -> None:
        self._work = work
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self.passes = 0

    def start(self) -> None:
        """Start and run a first pass: what a previous process left pending goes out now."""
        self._thread.start()
        self.wake()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=timeout)

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            if self._stop.is_set():
                return
            self._wake.clear()
            try:
                self._work()
            except Exception:  # logged; the next wake or the periodic tick tries again
                log.exception("immediate delivery failed")
            self.passes += 1
