"""Delivery right after the commit (api/immediate.py): with no periodic tick at all (`serve
--no-scheduler`), a transition's e-mail reaches a real SMTP server on 127.0.0.1 within seconds;
in process, the worker runs a pass per wake and coalesces wakes."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx2
from sqlalchemy import Engine

from api.immediate import DeliveryWorker
from models.clock import SystemClock
from models.db import make_engine
from models.enums import PlanKind, Role
from notifications.contacts import set_email
from tests.factories import Office, make_office
from tests.helpers import new_plan
from tests.notifications.conftest import Mailbox
from tests.serve import ServeProcess
from workflow import uow
from workflow.account_admin import issue_token
from workflow.commands import Context, create_plan
from workflow.policy import WorkflowPolicy


def seed_office(engine: Engine, code: str) -> tuple[Office, int, str]:
    """An office whose committee has an e-mail address, a draft, and the staff's token."""
    clock = SystemClock()
    office = make_office(engine, clock, code)  # type: ignore[arg-type]
    ctx = Context(WorkflowPolicy(), clock)
    new = new_plan(office, PlanKind.SUPPLEMENTARY)
    plan = uow.run(engine, clock, lambda s: create_plan(s, ctx, new=new, actor=office.staff))
    uow.run(
        engine,
        clock,
        lambda s: set_email(
            s, username=office.committee.username, email="committee@laemrang.example", clock=clock
        ),
    )
    issued = uow.run(
        engine,
        clock,
        lambda s: issue_token(
            s,
            username=office.by_role(Role.STAFF).username,
            clock=clock,
            lifetime=timedelta(hours=1),
            label="immediate test",
        ),
    )
    assert plan.id is not None
    return office, plan.id, issued.token


def wait_until(condition: object, seconds: float) -> float:
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        if callable(condition) and condition():
            return time.monotonic() - began
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s")


def test_the_commit_sends_the_mail_without_any_tick(
    db_url: str, tmp_path: Path, mailbox: Mailbox
) -> None:
    engine = make_engine(db_url)
    try:
        _, plan_id, token = seed_office(engine, "7770701")
        service = ServeProcess.for_database(db_url, tmp_path)
        service.env.update(
            LOCALPLAN_SMTP_HOST="127.0.0.1",
            LOCALPLAN_SMTP_PORT=str(mailbox.port),
            LOCALPLAN_SMTP_STARTTLS="false",
            LOCALPLAN_DELIVERY_INTERVAL_SECONDS="3600",
        )
        service.start()  # --no-scheduler: no periodic delivery in any process
        try:
            time.sleep(0.5)  # the start pass finds nothing: the draft's message went no mail
            with mailbox.lock:
                mailbox.messages.clear()
            answer = httpx2.post(
                f"{service.base_url}/api/v1/plans/{plan_id}/actions/submit",
                json={"expected_version": 1},
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
            assert answer.status_code == 200, answer.text
            took = wait_until(lambda: len(mailbox.messages) >= 1, 10)
        finally:
            service.stop()
        with mailbox.lock:
            (message,) = mailbox.messages
        assert message["To"] == "committee@laemrang.example"
        assert took < 5, took
    finally:
        engine.dispose()


def test_wakes_during_a_pass_coalesce_into_one_more() -> None:
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def work() -> None:
        calls.append(1)
        started.set()
        release.wait(5)

    worker = DeliveryWorker(work)
    worker.start()  # the first pass runs at start
    assert started.wait(5)
    for _ in range(10):
        worker.wake()
    release.set()
    wait_until(lambda: worker.passes >= 2, 5)
    time.sleep(0.2)
    worker.stop()
    assert len(calls) == 2
