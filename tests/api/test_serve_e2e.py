"""End to end: a real `localplan serve` process on 127.0.0.1 (demo data, log in, act, read
history, an API token from the CLI, revoke it, stop), bounded in time."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest

from tests.serve import LOCALPLAN, ServeProcess

pytestmark = pytest.mark.slow


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LOCALPLAN, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@dataclass
class Server:
    base_url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path
    demo_tokens: dict[str, str]  # role → the token `localplan demo` printed


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    env = {**os.environ, "LOCALPLAN_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    seeded = cli(env, "demo")
    assert seeded.returncode == 0, seeded.stderr
    demo_tokens: dict[str, str] = {}  # the first token of each role (the clerk's staff
    for line in seeded.stdout.splitlines():  # token comes after the staff member's)
        if len(parts := line.split()) == 3 and parts[2].startswith("lp_"):
            demo_tokens.setdefault(parts[0], parts[2])
    serve = ServeProcess(env, tmp_path / "serve.log")
    try:
        serve.start()
        assert serve.process is not None
        yield Server(serve.base_url, env, serve.process, serve.log, demo_tokens)
    finally:
        serve.stop()


def test_serve_login_act_history_stop(server: Server) -> None:
    with httpx2.Client(base_url=server.base_url, timeout=10) as http:
        health = http.get("/healthz").json()
        assert health == {
            "status": "ok",
            "database": "ok",
            "migrations_current": True,
            "scheduler": "not configured",
            "signing": {
                "signs": False,
                "key_name": None,
                "key_id": None,
                "reason": "no signing key is set (LOCALPLAN_SIGNING_KEY_FILE)",
            },
            "set_aside": [],
        }
        # The README's example: the staff token printed by `localplan demo` reads plan 1.
        assert set(server.demo_tokens) == {
            "staff", "committee", "executive", "monitoring_committee", "auditor", "admin"
        }
        readme = http.get(
            "/api/v1/plans/1", headers={"Authorization": f"Bearer {server.demo_tokens['staff']}"}
        )
        assert readme.status_code == 200 and readme.json()["state"] == "posting_complete"

        login = http.post(
            "/api/v1/auth/token",
            data={"username": "laemrang.committee", "password": "demo-password-2562"},
        )
        assert login.status_code == 200, login.text
        committee = {"Authorization": f"Bearer {login.json()['access_token']}"}

        items = http.get("/api/v1/plans", headers=committee).json()["items"]
        # the FY 2562 plan, all done, and the demo's plan of today, under committee review
        assert sorted(p["state"] for p in items) == ["committee_review", "posting_complete"]
        plans = [p for p in items if p["state"] == "committee_review"]
        plan = http.get(f"/api/v1/plans/{plans[0]['id']}", headers=committee).json()
        assert [a["action"] for a in plan["allowed_actions"]] == [
            "return_for_revision",
            "approve",
        ]
        approved = http.post(
            f"/api/v1/plans/{plan['id']}/actions/approve",
            json={"expected_version": plan["version"]},
            headers={**committee, "X-Request-ID": "e2e-approve-1"},
        )
        assert approved.status_code == 200, approved.text
        assert approved.headers["x-request-id"] == "e2e-approve-1"
        assert approved.json()["state"] == "awaiting_announcement"

        history = http.get(f"/api/v1/plans/{plan['id']}/history", headers=committee).json()
        last = history["records"][-1]
        assert (last["action"], last["request_id"]) == ("approve", "e2e-approve-1")
        assert last["details"].get("late", []) == []  # the plan of today is on time

        # An API token from the CLI works at once, and stops working when revoked.
        created = cli(server.env, "tokens", "create", "--username", "phichit.auditor")
        assert created.returncode == 0, created.stderr
        auditor = {"Authorization": f"Bearer {created.stdout.strip()}"}
        verify = http.get("/api/v1/audit/verify", headers=auditor)
        assert verify.status_code == 200 and verify.json()["intact"] is True
        revoked = cli(server.env, "tokens", "revoke", "--username", "phichit.auditor")
        assert revoked.returncode == 0, revoked.stderr
        assert http.get("/api/v1/me", headers=auditor).status_code == 401

    # A graceful stop: uvicorn finishes the lifespan, then exits (recent versions re-raise
    # the signal, so the status is 0 or -SIGTERM).
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=15) in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in server.log.read_text()
