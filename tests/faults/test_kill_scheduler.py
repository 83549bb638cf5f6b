"""kill -9 of a `localplan scheduler` process between claiming deliveries and sending them:
after the lease expires another process delivers them, and the in-app channel gets each one
exactly once. Real processes, a real HTTP receiver on 127.0.0.1, both engines, bounded."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import Counter
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from models.alert import Channel, Delivery, InAppAlert
from models.clock import SystemClock
from models.db import make_engine
from models.enums import Action, OutboxStatus, PlanKind
from tests.factories import make_office, perform_action
from tests.helpers import new_plan
from tests.serve import LOCALPLAN
from workflow import uow
from workflow.commands import Context, create_plan
from workflow.policy import WorkflowPolicy

pytestmark = pytest.mark.slow
LEASE_SECONDS = 4


class Receiver:
    """A webhook receiver whose first request hangs until released: the sender is stuck
    inside `send`, holding the leases of its whole batch."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.hanging = threading.Event()
        self.delivery_ids: list[str] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    first = not receiver.hanging.is_set()
                    receiver.hanging.set()
                if first:
                    receiver.release.wait(timeout=60)
                    return  # the sender is dead by now: nobody reads an answer
                with receiver.lock:
                    receiver.delivery_ids.append(self.headers.get("X-Localplan-Delivery", ""))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def scheduler(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [LOCALPLAN, "scheduler"], env=env, stdout=out, stderr=subprocess.STDOUT
        )


def wait_for(condition: object, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}:\n{log.read_text()[-3000:]}")


def seed(engine: Engine) -> None:
    """Three plans moved a step each: three transition messages to several people."""
    clock = SystemClock()
    office = make_office(engine, clock, "6660603")  # type: ignore[arg-type]
    ctx = Context(WorkflowPolicy(), clock)
    for _ in range(3):
        plan = uow.run(
            engine,
            clock,
            lambda s: create_plan(
                s, ctx, new=new_plan(office, PlanKind.SUPPLEMENTARY), actor=office.staff
            ),
        )
        perform_action(engine, ctx, plan, Action.SUBMIT, office.staff)


def in_app_stuck(engine: Engine) -> dict[int, datetime]:
    """In-app deliveries claimed by a process but not sent, with their lease expiry."""
    with Session(engine) as s:
        rows = s.exec(
            select(Delivery).where(
                Delivery.channel == Channel.IN_APP,
                Delivery.status == OutboxStatus.PENDING,
                col(Delivery.lease_owner).is_not(None),
            )
        ).all()
    return {d.id or 0: d.lease_until for d in rows if d.lease_until is not None}


def test_kill_9_between_claim_and_send(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    receiver = Receiver()
    log = tmp_path / "scheduler.log"
    env = {
        **os.environ,
        "LOCALPLAN_DATABASE_URL": db_url,
        "LOCALPLAN_DELIVERY_INTERVAL_SECONDS": "0.5",
        "LOCALPLAN_SWEEP_INTERVAL_SECONDS": "3600",
        "LOCALPLAN_DELIVERY_LEASE_SECONDS": str(LEASE_SECONDS),
        "LOCALPLAN_WEBHOOK_URL": receiver.url,
        "LOCALPLAN_WEBHOOK_SECRET": "s3cret",
        "LOCALPLAN_WEBHOOK_TIMEOUT_SECONDS": "60",
    }
    first = second = None
    try:
        seed(engine)
        first = scheduler(env, log)
        wait_for(receiver.hanging.is_set, 60, "the first webhook send", log)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = SystemClock().now()
        # Read once the process is dead, not while it hangs: its sweep job delivers the sweep's
        # alerts in a second thread beside the hanging tick (api/scheduler.py `Ticks.sweep`),
        # so a lease read earlier may belong to a batch that thread then sends before the kill.
        stuck = in_app_stuck(engine)
        assert stuck, "the batch holds in-app deliveries not yet sent"
        second = scheduler(env, log)

        def all_sent() -> bool:
            with Session(engine) as s:
                return (
                    s.exec(
                        select(func.count())
                        .select_from(Delivery)
                        .where(Delivery.status != OutboxStatus.SENT)
                    ).one()
                    == 0
                )

        wait_for(all_sent, 60, "every delivery sent by the second process", log)
        with Session(engine) as s:
            deliveries = s.exec(select(Delivery)).all()
            alerts = Counter(s.exec(select(InAppAlert.delivery_id)).all())
        in_app = [d for d in deliveries if d.channel is Channel.IN_APP]
        assert in_app and all(alerts[d.id] == 1 for d in in_app)  # once each, none twice
        assert sum(alerts.values()) == len(in_app)
        late = [d for d in in_app if d.id in stuck]
        # delivered, but only once the dead process's lease had run out
        assert all(d.sent_at is not None and d.sent_at >= stuck[d.id or 0] for d in late)
        assert all(d.sent_at is not None and d.sent_at > killed_at for d in late)
        webhooks = {d.key for d in deliveries if d.channel is Channel.WEBHOOK}
        assert set(receiver.delivery_ids) == webhooks  # each one arrived after the restart
        print(
            f"\n[{db_url.split(':', 1)[0]}] deliveries={len(deliveries)} in_app={len(in_app)} "
            f"in_app_after_lease={len(late)} webhook={len(webhooks)} "
            f"webhook_receipts={len(receiver.delivery_ids)}"
        )
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        receiver.close()
        engine.dispose()
