"""kill -9 of `localplan serve` in the middle of a stream of concurrent actions, ten times, on
both engines. After each restart nothing acknowledged is lost, nothing appears twice, every
chain verifies and every plan's state equals the replay of its history.

Bounded: a few seconds of load per round, only 127.0.0.1.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.audit import TransitionRecord
from models.clock import SystemClock
from models.db import make_engine
from models.enums import PlanKind, PlanState, Role
from tests.factories import Office, make_office
from tests.helpers import PLACES, new_plan
from tests.serve import ServeProcess
from workflow import uow
from workflow.account_admin import issue_token
from workflow.audit import verify
from workflow.commands import Context, create_plan
from workflow.policy import WorkflowPolicy

pytestmark = pytest.mark.slow
ROUNDS = 10
CLIENTS = 6
PLANS = 150
NEXT = {  # state → (action, role): the straight path through the table
    PlanState.DRAFT: ("submit", Role.STAFF),
    PlanState.COMMITTEE_REVIEW: ("approve", Role.COMMITTEE),
    PlanState.AWAITING_ANNOUNCEMENT: ("announce", Role.EXECUTIVE),
    PlanState.ANNOUNCED: ("post", Role.STAFF),
}


@dataclass
class Tally:
    sent: int = 0
    acknowledged: list[str] = field(default_factory=list)  # request ids answered 200
    refused: int = 0  # 409: lost the race, the plan moved on
    unanswered: int = 0  # connection dropped: may or may not have committed
    server_errors: list[str] = field(default_factory=list)
    startup_seconds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def seed(engine: Engine) -> tuple[Office, list[int], dict[Role, str]]:
    clock = SystemClock()
    office = make_office(engine, clock, "6660603")  # type: ignore[arg-type]
    ctx = Context(WorkflowPolicy(), clock)
    plan_ids = []
    for _ in range(PLANS):
        new = new_plan(office, PlanKind.SUPPLEMENTARY)
        plan = uow.run(
            engine, clock, lambda s, n=new: create_plan(s, ctx, new=n, actor=office.staff)
        )  # type: ignore[misc]
        plan_ids.append(plan.id or 0)
    tokens = {}
    for role in (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE):
        issued = uow.run(
            engine,
            clock,
            lambda s, r=role: issue_token(  # type: ignore[misc]
                s,
                username=office.by_role(r).username,
                clock=clock,
                lifetime=timedelta(days=1),
                label="fault test",
            ),
        )
        tokens[role] = issued.token
    return office, plan_ids, tokens


def client(
    base: str,
    plans: list[int],
    tokens: dict[Role, str],
    tally: Tally,
    stop: threading.Event,
    seed_value: int,
) -> None:
    rng = random.Random(seed_value)
    with httpx2.Client(base_url=base, timeout=5) as http:
        while not stop.is_set():
            plan_id = rng.choice(plans)
            try:
                seen = http.get(
                    f"/api/v1/plans/{plan_id}",
                    headers={"Authorization": f"Bearer {tokens[Role.STAFF]}"},
                )
            except httpx2.TransportError:
                time.sleep(0.05)
                continue
            if seen.status_code != 200:
                continue
            body = seen.json()
            step = NEXT.get(PlanState(body["state"]))
            if step is None:
                continue
            action, role = step
            request_id = uuid.uuid4().hex
            payload: dict[str, object] = {"expected_version": body["version"]}
            if action == "post":
                payload["places"] = list(PLACES)
            with tally.lock:
                tally.sent += 1
            try:
                answer = http.post(
                    f"/api/v1/plans/{plan_id}/actions/{action}",
                    json=payload,
                    headers={"Authorization": f"Bearer {tokens[role]}", "X-Request-ID": request_id},
                )
            except httpx2.TransportError:
                with tally.lock:
                    tally.unanswered += 1
                continue
            with tally.lock:
                if answer.status_code == 200:
                    tally.acknowledged.append(request_id)
                elif answer.status_code == 409:
                    tally.refused += 1
                else:
                    tally.server_errors.append(f"{answer.status_code} {answer.text[:200]}")


def test_kill_9_during_concurrent_actions(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    try:
        _, plans, tokens = seed(engine)
        service = ServeProcess.for_database(db_url, tmp_path)
        tally = Tally()
        rng = random.Random(20181025)
        try:
            for round_no in range(ROUNDS):
                began = time.monotonic()
                service.start()
                tally.startup_seconds.append(time.monotonic() - began)
                stop = threading.Event()
                workers = [
                    threading.Thread(
                        target=client,
                        args=(service.base_url, plans, tokens, tally, stop, round_no * 100 + i),
                    )
                    for i in range(CLIENTS)
                ]
                for worker in workers:
                    worker.start()
                time.sleep(rng.uniform(0.4, 1.2))
                service.kill()
                stop.set()
                for worker in workers:
                    worker.join(timeout=30)
            service.start()  # the service comes back after the last kill
        finally:
            service.stop()
        report(tally, engine, db_url)
    finally:
        engine.dispose()


def report(tally: Tally, engine: Engine, db_url: str) -> None:
    with Session(engine) as s:
        audit = verify(s)
        request_ids = s.exec(
            select(TransitionRecord.request_id).where(col(TransitionRecord.request_id).is_not(None))
        ).all()
    counts = Counter(request_ids)
    missing = [rid for rid in tally.acknowledged if counts[rid] != 1]
    engine_name = db_url.split(":", 1)[0]
    print(
        f"\n[{engine_name}] rounds={ROUNDS} sent={tally.sent} acknowledged="
        f"{len(tally.acknowledged)} found_in_history={len(tally.acknowledged) - len(missing)} "
        f"refused_409={tally.refused} unanswered={tally.unanswered} "
        f"records_with_request_id={len(request_ids)} "
        f"slowest_restart_s={max(tally.startup_seconds):.1f}"
    )
    assert audit.intact, audit.breaks  # chains verify, states equal their replay
    assert tally.server_errors == []
    assert missing == []  # every acknowledged action is in the history, exactly once
    assert max(counts.values(), default=1) == 1  # no action appears twice
    assert len(tally.acknowledged) > ROUNDS  # the load really ran in every round
    assert len(request_ids) <= len(tally.acknowledged) + tally.unanswered
