"""Exactly-once on the immediate path (api/immediate.py): two `localplan serve --no-scheduler`
processes deliver their own commands' alerts as they commit, on one PostgreSQL database, beside
a `localplan scheduler` whose periodic tick is first off, then every half second. Real SMTP
and LINE receivers on 127.0.0.1; every e-mail, LINE push and in-app alert arrives once."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from models.alert import Delivery, InAppAlert, LineContact
from models.clock import SystemClock
from models.db import make_engine, write_session
from models.enums import OutboxStatus, Role
from notifications.contacts import set_email
from tests.databases import databases, postgres_url
from tests.faults import test_kill_serve as kill_serve
from tests.faults.test_kill_serve import Tally, client, seed
from tests.notifications.conftest import Mailbox
from tests.notifications.line_fixtures import GROUP, line
from tests.serve import LOCALPLAN, ServeProcess

__all__ = ["line"]
pytestmark = pytest.mark.slow  # two servers and two schedulers: about two minutes
LOAD_SECONDS = float(os.environ.get("LOCALPLAN_IMMEDIATE_LOAD_SECONDS", "6"))


def pending(engine: Engine) -> int:
    with Session(engine) as s:
        return int(
            s.exec(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.status == OutboxStatus.PENDING)
            ).one()
        )


def load(bases: list[str], plans: list[int], tokens: dict[Role, str], seconds: float) -> Tally:
    tally, stop = Tally(), threading.Event()
    threads = [
        threading.Thread(target=client, args=(bases[i % 2], plans, tokens, tally, stop, i))
        for i in range(4)
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    return tally


def left(engine: Engine) -> str:
    with Session(engine) as s:
        rows = s.exec(select(Delivery).where(Delivery.status == OutboxStatus.PENDING)).all()
        statuses = Counter(str(d) for d in s.exec(select(Delivery.status)).all())
    shown = [(str(d.channel), d.kind, d.created_at.isoformat()) for d in rows[:3]]
    return f"{shown} {dict(statuses)}"


def drained(engine: Engine, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while pending(engine) and time.monotonic() < deadline:
        time.sleep(0.2)
    return pending(engine) == 0


def contacts(engine: Engine, office_id: int, people: list[str]) -> None:
    clock = SystemClock()
    with write_session(engine) as session:
        for username in people:
            set_email(session, username=username, email=f"{username}@laemrang.example", clock=clock)
        now = clock.now()
        session.add(
            LineContact(
                line_id=GROUP,
                kind="group",
                last_event="join",
                first_seen_at=now,
                last_seen_at=now,
                organization_id=office_id,
                linked_at=now,
            )
        )


def test_two_apis_and_a_scheduler_deliver_each_alert_once(
    tmp_path: Path, mailbox: Mailbox, line: tuple[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    postgres_url()  # skipped locally without a server, an error in CI
    monkeypatch.setattr(kill_serve, "PLANS", 40)  # the sweep's overdue alerts: a burst of 40
    receiver, host = line
    url, drop = databases("postgresql").new()
    engine = make_engine(url)
    services = [ServeProcess.for_database(url, tmp_path / n) for n in ("a", "b")]
    schedulers: list[subprocess.Popen[bytes]] = []
    env = {
        **os.environ,
        "LOCALPLAN_DATABASE_URL": url,
        "LOCALPLAN_SMTP_HOST": "127.0.0.1",
        "LOCALPLAN_SMTP_PORT": str(mailbox.port),
        "LOCALPLAN_SMTP_STARTTLS": "false",
        "LOCALPLAN_LINE_CHANNEL_TOKEN": "dev-token",
        "LOCALPLAN_LINE_API_HOST": host,
        "LOCALPLAN_DIGEST_ENABLED": "false",
    }

    def scheduler(interval: str) -> None:
        with (tmp_path / f"scheduler-{interval}.log").open("ab") as out:
            schedulers.append(
                subprocess.Popen(
                    [LOCALPLAN, "scheduler"],
                    env={**env, "LOCALPLAN_DELIVERY_INTERVAL_SECONDS": interval},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )

    try:
        office, plans, tokens = seed(engine)
        people = [office.by_role(r).username for r in (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE)]
        contacts(engine, office.organization_id, people)
        for service in services:
            service.env.update(env)
            service.start()
        scheduler("3600")  # its start pass, then no tick for an hour
        bases = [s.base_url for s in services]
        # Each phase acts on its own half of the plans: a plan takes four actions and is then
        # done, so a fast first phase on all of them (150 of the 160) left the second nothing
        # to race the scheduler's tick with.
        halves = plans[: len(plans) // 2], plans[len(plans) // 2 :]
        first = load(bases, halves[0], tokens, LOAD_SECONDS)
        assert drained(engine, 60), f"the commits alone did not deliver: {left(engine)}"
        scheduler("0.5")  # now a tick every half second races the immediate path
        second = load(bases, halves[1], tokens, LOAD_SECONDS)
        assert drained(engine, 60), "the outbox was not drained"
        time.sleep(1)  # anything sent twice would arrive now
        with Session(engine) as s:
            per_alert = Counter(s.exec(select(InAppAlert.delivery_id)).all())
            by_status = Counter(s.exec(select(Delivery.status)).all())
        mails = Counter(str(m["X-Localplan-Delivery"]) for m in mailbox.messages)
        acted = len(first.acknowledged) + len(second.acknowledged)
        print(
            f"\n[postgresql, 2 API + 1 scheduler] actions={acted} in_app={len(per_alert)} "
            f"mails={len(mails)} line_pushes={len(receiver.pushes)} statuses={dict(by_status)}"
        )
        assert first.server_errors == second.server_errors == []
        assert len(first.acknowledged) > 10 and len(second.acknowledged) > 10
        assert max(per_alert.values()) == 1 and max(mails.values()) == 1
        assert receiver.repeats == 0 and receiver.problems == []
        assert by_status[OutboxStatus.FAILED] == 0
        assert len(receiver.pushes) == by_status[OutboxStatus.SENT] - len(per_alert) - len(mails)
    finally:
        for process in schedulers:
            process.terminate()
            process.wait(timeout=20)
        for service in services:
            service.stop()
        engine.dispose()
        drop()
