"""Login limits an attacker cannot turn against the owner: (username, address) and address
limits, a growing delay across addresses instead of a lock-out, `Retry-After` the time left,
and forwarded headers believed from named proxies only (docs/operations.md "Login limits")."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.settings import Settings
from models.clock import FixedClock
from tests.api.conftest import Team, problem
from workflow import uow
from workflow.account_admin import set_password
from workflow.calendar import WorkingCalendar

PASSWORD = "correct-horse-battery"
OWNER, ATTACKER, PROXY = "192.0.2.10", "198.51.100.7", "10.0.0.5"


@pytest.fixture
def owner(engine: Engine, clock: FixedClock, home: Team) -> str:
    name = home.office.admin.username  # anyone could try to lock out the admin
    uow.run(engine, clock, lambda s: set_password(s, clock=clock, username=name, password=PASSWORD))
    return name


@contextmanager
def from_address(app: FastAPI, address: str) -> Iterator[TestClient]:
    with TestClient(app, client=(address, 40000)) as client:
        yield client


def login(
    client: TestClient, username: str, password: str, **headers: str
) -> httpx2.Response:
    return client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}, headers=headers
    )


def test_an_attackers_failures_elsewhere_never_lock_the_owner_out(
    app: FastAPI, clock: FixedClock, owner: str
) -> None:
    for i in range(12):  # 12 addresses, a wrong password each: 12 failures on the username
        with from_address(app, f"198.51.100.{i + 1}") as attacker:
            problem(login(attacker, owner, "guess-guess-guess"), 401, "unauthenticated")
    with from_address(app, "198.51.100.1") as attacker:  # slowed: the capped delay
        slow = login(attacker, owner, PASSWORD)
        problem(slow, 429, "too_many_attempts")
        assert slow.headers["retry-after"] == "60"
    with from_address(app, OWNER) as own:
        assert login(own, owner, PASSWORD).status_code == 200  # at once, from their address
        problem(login(own, owner, "a-typo-a-typo"), 401, "unauthenticated")
        slowed = login(own, owner, PASSWORD)  # slowed down after their own miss, not locked
        problem(slowed, 429, "too_many_attempts")
        assert slowed.headers["retry-after"] == "60"  # 13 failures: 2 ** 8 s, capped
        clock.advance(timedelta(seconds=60))
        assert login(own, owner, PASSWORD).status_code == 200


def test_the_delay_grows_with_the_usernames_failures_across_addresses(
    app: FastAPI, clock: FixedClock, owner: str
) -> None:
    for i in range(6):  # one miss each from six addresses: 6 failures, 1 past the free 5
        with from_address(app, f"198.51.100.{i + 1}") as attacker:
            problem(login(attacker, owner, "guess-guess-guess"), 401, "unauthenticated")
    with from_address(app, "198.51.100.1") as attacker:
        first = login(attacker, owner, "guess-guess-guess")
        problem(first, 429, "too_many_attempts")
        assert first.headers["retry-after"] == "2"  # 1 s doubled once
        clock.advance(timedelta(seconds=2))
        problem(login(attacker, owner, "guess-guess-guess"), 401, "unauthenticated")
        assert login(attacker, owner, "guess-guess-guess").headers["retry-after"] == "4"


def test_retry_after_is_the_time_actually_left(app: FastAPI, clock: FixedClock, owner: str) -> None:
    with from_address(app, ATTACKER) as attacker:
        for _ in range(5):  # one a minute: 0, 1, 2, 3, 4
            problem(login(attacker, owner, "guess-guess-guess"), 401, "unauthenticated")
            clock.advance(timedelta(minutes=1))
        blocked = login(attacker, owner, PASSWORD)  # at minute 5: the first leaves at 15
        body = problem(blocked, 429, "too_many_attempts")
        assert blocked.headers["retry-after"] == str(10 * 60)
        assert "600 s" in body["reasons"][0]["en"]
        clock.advance(timedelta(minutes=9, seconds=59, milliseconds=500))
        assert login(attacker, owner, PASSWORD).headers["retry-after"] == "1"  # rounded up
        clock.advance(timedelta(milliseconds=500))
        assert login(attacker, owner, PASSWORD).status_code == 200


def test_one_address_is_limited_across_usernames(
    app: FastAPI, clock: FixedClock, owner: str
) -> None:
    with from_address(app, ATTACKER) as attacker:
        for i in range(20):  # LOCALPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS
            problem(login(attacker, f"guess{i}", "guess-guess-guess"), 401, "unauthenticated")
        blocked = login(attacker, owner, PASSWORD)
        problem(blocked, 429, "too_many_attempts")
        assert blocked.headers["retry-after"] == str(15 * 60)
    with from_address(app, OWNER) as own:
        assert login(own, owner, PASSWORD).status_code == 200


def proxied_app(
    settings: Settings, engine: Engine, clock: FixedClock, calendar: WorkingCalendar
) -> FastAPI:
    named = settings.model_copy(update={"trusted_proxies": [PROXY]})
    return create_app(named, engine=engine, clock=clock, calendar=calendar)


def test_x_forwarded_for_counts_only_from_a_named_proxy(
    settings: Settings,
    engine: Engine,
    clock: FixedClock,
    calendar: WorkingCalendar,
    app: FastAPI,
    owner: str,
) -> None:
    """Untrusted: rotating X-Forwarded-For does not dodge the per-address limit. Through the
    named proxy: each client counts alone, and `Forwarded` is read too."""
    with from_address(app, ATTACKER) as attacker:  # no proxy named (the default)
        for i in range(5):
            spoof = {"X-Forwarded-For": f"203.0.113.{i}"}
            problem(login(attacker, owner, "guess-guess-guess", **spoof), 401, "unauthenticated")
        dodge = login(attacker, owner, PASSWORD, **{"X-Forwarded-For": OWNER})
        problem(dodge, 429, "too_many_attempts")
    with from_address(proxied_app(settings, engine, clock, calendar), PROXY) as proxy:
        behind = {"X-Forwarded-For": f"{OWNER}, {PROXY}"}  # a chain ending in the proxy itself
        assert login(proxy, owner, PASSWORD, **behind).status_code == 200
        attacker_hdr = {"X-Forwarded-For": ATTACKER}
        problem(login(proxy, owner, PASSWORD, **attacker_hdr), 429, "too_many_attempts")
        forwarded = {"Forwarded": f'for="{ATTACKER}:4711";proto=https'}
        problem(login(proxy, owner, PASSWORD, **forwarded), 429, "too_many_attempts")
        assert login(proxy, owner, PASSWORD, Forwarded=f"for={OWNER}").status_code == 200
