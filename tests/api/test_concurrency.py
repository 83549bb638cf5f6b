"""Twenty people press the same button at once: one wins, the rest get a clean 409."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx2
from fastapi.testclient import TestClient

from models.enums import Role
from tests.api.conftest import Team, create_plan

THREADS = 20


def test_same_action_same_version_from_20_threads(client: TestClient, home: Team) -> None:
    plan_id = create_plan(client, home)
    start = threading.Barrier(THREADS)

    def submit(i: int) -> httpx2.Response:
        start.wait(timeout=30)
        return client.post(
            f"/api/v1/plans/{plan_id}/actions/submit",
            json={"expected_version": 1},
            headers={**home.headers(Role.STAFF), "X-Request-ID": f"race-{i}"},
        )

    began = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        responses = list(pool.map(submit, range(THREADS)))
    elapsed = time.perf_counter() - began

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: THREADS - 1}, statuses
    codes = Counter(r.json()["code"] for r in responses if r.status_code == 409)
    assert set(codes) <= {"stale_version", "invalid_transition"}, codes
    winner = next(r for r in responses if r.status_code == 200)

    history = client.get(f"/api/v1/plans/{plan_id}/history", headers=home.headers(Role.AUDITOR))
    body = history.json()
    submits = [r for r in body["records"] if r["action"] == "submit"]
    assert len(submits) == 1 and body["version"] == 2 and body["state"] == "committee_review"
    assert submits[0]["request_id"] == winner.headers["x-request-id"]
    refused = [r for r in body["refused"] if r["action"] == "submit"]
    assert len(refused) == THREADS - 1  # every loser's attempt is on record, with its id
    assert {r["request_id"] for r in refused} | {submits[0]["request_id"]} == {
        f"race-{i}" for i in range(THREADS)
    }
    verify = client.get("/api/v1/audit/verify", headers=home.headers(Role.AUDITOR)).json()
    assert verify["intact"] is True
    print(f"\n20 concurrent submits: {dict(statuses)} {dict(codes)} in {elapsed * 1000:.0f} ms")


def test_same_extension_from_20_threads_is_stale_for_all_but_one(
    client: TestClient, home: Team
) -> None:
    """An extension leaves the state as it is, so the losers are refused on the version."""
    plan_id = create_plan(client, home)
    start = threading.Barrier(THREADS)

    def extend(i: int) -> httpx2.Response:
        start.wait(timeout=30)
        return client.post(
            f"/api/v1/plans/{plan_id}/deadlines/preparation/extensions",
            json={"expected_version": 1, "new_due_on": f"2018-11-{i + 1:02d}", "reason": "ขยาย"},
            headers=home.headers(Role.EXECUTIVE),
        )

    with ThreadPoolExecutor(THREADS) as pool:
        responses = list(pool.map(extend, range(THREADS)))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: THREADS - 1}, statuses
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"stale_version"}
    history = client.get(f"/api/v1/plans/{plan_id}/history", headers=home.headers(Role.AUDITOR))
    extensions = [r for r in history.json()["records"] if r["action"] == "extend_deadline"]
    assert len(extensions) == 1
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=home.headers(Role.STAFF)).json()
    winner = next(r for r in responses if r.status_code == 201).json()
    assert plan["deadlines"][0]["due_on"] == winner["due_on"]
    assert len(plan["deadlines"][0]["extensions"]) == 1
