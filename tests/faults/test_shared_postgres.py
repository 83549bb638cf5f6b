"""Two API processes and two scheduler processes on one PostgreSQL database under a mixed load
for a minute: zero 5xx, zero lost actions, zero duplicate alerts. Only 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from models.alert import Delivery, InAppAlert
from models.audit import TransitionRecord
from models.db import make_engine
from models.enums import OutboxStatus, Role
from tests.databases import databases, postgres_url
from tests.faults.test_kill_serve import Tally, client, seed
from tests.serve import LOCALPLAN, ServeProcess
from workflow.audit import verify

pytestmark = pytest.mark.slow
LOAD_SECONDS = float(os.environ.get("LOCALPLAN_FAULT_LOAD_SECONDS", "60"))
CLIENTS = 8


def reader(bases: list[str], token: str, tally: Tally, stop: threading.Event) -> None:
    """Reads beside the writes: alerts, lists and histories, alternating the processes."""
    paths = ["/api/v1/me/alerts", "/api/v1/plans?limit=20", "/api/v1/plans/1/history", "/healthz"]
    n = 0
    clients = [httpx2.Client(base_url=b, timeout=10) for b in bases]
    try:
        while not stop.is_set():
            answer = clients[n % 2].get(
                paths[n % len(paths)], headers={"Authorization": f"Bearer {token}"}
            )
            if answer.status_code >= 500:
                with tally.lock:
                    tally.server_errors.append(f"{answer.status_code} {answer.text[:200]}")
            n += 1
            time.sleep(0.05)
    finally:
        for c in clients:
            c.close()


def test_two_apis_and_two_schedulers_under_load(tmp_path: Path) -> None:
    postgres_url()  # skipped locally without a server, an error in CI
    url, drop = databases("postgresql").new()
    engine = make_engine(url)
    services = [ServeProcess.for_database(url, tmp_path / n) for n in ("a", "b")]
    schedulers: list[subprocess.Popen[bytes]] = []
    try:
        _, plans, tokens = seed(engine)
        env = {
            **os.environ,
            "LOCALPLAN_DATABASE_URL": url,
            "LOCALPLAN_DELIVERY_INTERVAL_SECONDS": "1",
            "LOCALPLAN_SWEEP_INTERVAL_SECONDS": "1",
        }
        for service in services:
            service.start()
        for n in range(2):
            with (tmp_path / f"scheduler-{n}.log").open("ab") as out:
                schedulers.append(
                    subprocess.Popen(
                        [LOCALPLAN, "scheduler"], env=env, stdout=out, stderr=subprocess.STDOUT
                    )
                )
        tally, stop = Tally(), threading.Event()
        bases = [s.base_url for s in services]
        threads = [
            threading.Thread(target=client, args=(bases[i % 2], plans, tokens, tally, stop, i))
            for i in range(CLIENTS)
        ]
        threads.append(
            threading.Thread(target=reader, args=(bases, tokens[Role.STAFF], tally, stop))
        )
        for thread in threads:
            thread.start()
        time.sleep(LOAD_SECONDS)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        def delivered() -> bool:
            with Session(engine) as s:
                return (
                    s.exec(
                        select(func.count())
                        .select_from(Delivery)
                        .where(Delivery.status == OutboxStatus.PENDING)
                    ).one()
                    == 0
                )

        deadline = time.monotonic() + 60
        while not delivered() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert delivered(), "the schedulers did not drain the outbox"
        with Session(engine) as s:
            assert verify(s).intact
            request_ids = Counter(
                s.exec(
                    select(TransitionRecord.request_id).where(
                        col(TransitionRecord.request_id).is_not(None)
                    )
                ).all()
            )
            per_alert = Counter(s.exec(select(InAppAlert.delivery_id)).all())
            per_recipient = Counter(
                s.exec(select(Delivery.message_id, Delivery.user_id, Delivery.channel)).all()
            )
            sent = s.exec(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.status == OutboxStatus.SENT)
            ).one()
        lost = [rid for rid in tally.acknowledged if request_ids[rid] != 1]
        print(
            f"\n[postgresql, 2 API + 2 schedulers, {LOAD_SECONDS:.0f} s] sent={tally.sent} "
            f"acknowledged={len(tally.acknowledged)} refused_409={tally.refused} "
            f"unanswered={tally.unanswered} server_errors={len(tally.server_errors)} "
            f"deliveries_sent={sent} in_app_alerts={sum(per_alert.values())}"
        )
        assert tally.server_errors == []  # zero 5xx
        assert tally.unanswered == 0
        assert lost == []  # zero lost actions, none recorded twice
        assert max(request_ids.values(), default=1) == 1
        assert max(per_alert.values(), default=1) == 1  # zero duplicate alerts
        assert max(per_recipient.values(), default=1) == 1
        assert len(tally.acknowledged) > 50 and sent > 0
    finally:
        for process in schedulers:
            process.terminate()
            process.wait(timeout=20)
        for service in services:
            service.stop()
        engine.dispose()
        drop()
