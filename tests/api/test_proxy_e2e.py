"""A real `localplan serve` (uvicorn) on 127.0.0.1: X-Forwarded-For from a peer nobody named is
ignored (uvicorn alone would believe it from 127.0.0.1), and from a named proxy it is the
client the login limits count (docs/operations.md "Reverse proxies")."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import Engine

from models.clock import FixedClock
from tests.factories import Office
from tests.serve import ServeProcess
from workflow import uow
from workflow.account_admin import set_password

pytestmark = pytest.mark.slow
PASSWORD = "correct-horse-battery"
OWNER, ATTACKER = "192.0.2.10", "198.51.100.7"


@contextmanager
def serving(db_url: str, workdir: Path, **env: str) -> Iterator[httpx2.Client]:
    serve = ServeProcess({**os.environ, "LOCALPLAN_DATABASE_URL": db_url, **env}, workdir / "log")
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        serve.start()
        with httpx2.Client(base_url=serve.base_url, timeout=30) as http:
            yield http
    finally:
        serve.stop()


def login(http: httpx2.Client, username: str, password: str, forwarded: str) -> httpx2.Response:
    return http.post(
        "/api/v1/auth/token",
        data={"username": username, "password": password},
        headers={"X-Forwarded-For": forwarded},
    )


@pytest.fixture
def owners(engine: Engine, clock: FixedClock, office: Office) -> tuple[str, str]:
    """Two accounts with passwords (one per server, so the first's failures do not slow the
    second's username)."""
    names = office.admin.username, office.staff.username
    for name in names:
        uow.run(
            engine,
            clock,
            lambda s, n=name: set_password(s, clock=clock, username=n, password=PASSWORD),  # type: ignore[misc]
        )
    return names


def test_forwarded_for_counts_only_from_a_named_proxy(
    db_url: str, tmp_path: Path, owners: tuple[str, str]
) -> None:
    owner, other = owners
    with serving(db_url, tmp_path / "plain") as http:  # nobody named: 127.0.0.1 is the client
        for i in range(5):
            assert login(http, owner, "guess-guess-guess", f"203.0.113.{i}").status_code == 401
        dodged = login(http, owner, PASSWORD, OWNER)
        assert dodged.status_code == 429, dodged.text
        assert int(dodged.headers["retry-after"]) > 800  # about the whole window, not 60
    proxied = {"LOCALPLAN_TRUSTED_PROXIES": '["127.0.0.1"]'}
    log = tmp_path / "proxied" / "log"
    with serving(db_url, tmp_path / "proxied", **proxied) as http:
        for _ in range(5):
            assert login(http, other, "guess-guess-guess", ATTACKER).status_code == 401
        assert login(http, other, PASSWORD, ATTACKER).status_code == 429
        assert login(http, other, PASSWORD, f"{OWNER}, 127.0.0.1").status_code == 200
    assert f"{OWNER}:0 - \"POST /api/v1/auth/token" in log.read_text()  # the access log too
