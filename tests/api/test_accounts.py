"""Passwords, login tokens, API tokens and the failed-login limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.app import create_app
from api.settings import Settings
from models.clock import FixedClock
from models.enums import Role
from models.organization import User
from models.token import ApiToken
from tests.api.conftest import Team, problem
from workflow import uow
from workflow.account_admin import revoke_tokens, set_password
from workflow.calendar import WorkingCalendar
from workflow.credentials import PASSWORDS, hash_token

PASSWORD = "correct-horse-battery"


@pytest.fixture
def staff_name(engine: Engine, clock: FixedClock, home: Team) -> str:
    name = home.office.staff.username
    uow.run(engine, clock, lambda s: set_password(s, clock=clock, username=name, password=PASSWORD))
    return name


def login(client: TestClient, username: str, password: str, *, form: bool = True) -> Response:
    data = {"username": username, "password": password}
    if form:
        return client.post("/api/v1/auth/token", data=data)
    return client.post("/api/v1/auth/token", json=data)


def test_password_is_stored_as_argon2_never_in_clear(engine: Engine, staff_name: str) -> None:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == staff_name)).one()
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert PASSWORDS.verify(PASSWORD, user.password_hash)


@pytest.mark.parametrize("form", [True, False], ids=["form", "json"])
def test_login_gives_a_working_token_that_expires(
    client: TestClient, engine: Engine, clock: FixedClock, staff_name: str, form: bool
) -> None:
    response = login(client, staff_name, PASSWORD, form=form)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["access_token"].startswith("lp_")
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    me = client.get("/api/v1/me", headers=headers).json()
    assert (me["username"], me["role"], me["organization"]["code"]) == (
        staff_name,
        "staff",
        "6660603",
    )
    with Session(engine) as session:  # stored hashed
        row = session.exec(
            select(ApiToken).where(ApiToken.token_hash == hash_token(body["access_token"]))
        ).one()
    assert row.label == "login" and body["access_token"] not in (row.token_hash, row.prefix)
    clock.advance(timedelta(minutes=480, seconds=1))  # LOCALPLAN_LOGIN_TOKEN_MINUTES default
    problem(client.get("/api/v1/me", headers=headers), 401, "unauthenticated")


def test_wrong_password_and_unknown_user_look_the_same(client: TestClient, staff_name: str) -> None:
    wrong = problem(login(client, staff_name, "nope-nope-nope"), 401, "unauthenticated")
    unknown = problem(login(client, "nobody", "nope-nope-nope"), 401, "unauthenticated")
    assert wrong["reasons"] == unknown["reasons"]
    assert wrong["reasons"][0]["code"] == "invalid_credentials"


def test_failed_logins_are_limited_per_username(
    client: TestClient, clock: FixedClock, staff_name: str
) -> None:
    for _ in range(5):
        problem(login(client, staff_name, "wrong-password-x"), 401, "unauthenticated")
    blocked = login(client, staff_name, PASSWORD)
    body = problem(blocked, 429, "too_many_attempts")
    assert blocked.headers["retry-after"] == "900"  # all five failed just now: the window left
    assert "900 s" in body["reasons"][0]["en"]
    clock.advance(timedelta(minutes=16))  # the window has passed
    assert login(client, staff_name, PASSWORD).status_code == 200


def test_failed_logins_are_limited_per_address(
    settings: Settings,
    engine: Engine,
    clock: FixedClock,
    calendar: WorkingCalendar,
    staff_name: str,
) -> None:
    """Misses over many usernames from one address block that address (limit lowered to 3
    here; the default is LOCALPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS=20)."""
    strict = settings.model_copy(update={"login_max_failures_per_address": 3})
    app = create_app(strict, engine=engine, clock=clock, calendar=calendar)
    with TestClient(app) as client:
        for i in range(3):
            problem(login(client, f"guess{i}", "wrong-password-x"), 401, "unauthenticated")
        problem(login(client, staff_name, PASSWORD), 429, "too_many_attempts")


def test_revoked_and_inactive_accounts_lose_access(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team
) -> None:
    headers = home.headers(Role.EXECUTIVE)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    username = home.office.executive.username
    count = uow.run(engine, clock, lambda s: revoke_tokens(s, clock=clock, username=username))
    assert count == 1
    problem(client.get("/api/v1/me", headers=headers), 401, "unauthenticated")

    def deactivate(session: Session) -> None:
        user = session.exec(select(User).where(User.username == home.office.staff.username)).one()
        user.is_active = False
        session.add(user)

    uow.run(engine, clock, deactivate)
    problem(client.get("/api/v1/me", headers=home.headers(Role.STAFF)), 403, "account_deactivated")


def test_admin_creates_a_user_who_can_log_in(client: TestClient, home: Team) -> None:
    admin = home.headers(Role.ADMIN)
    created = client.post(
        "/api/v1/admin/users",
        json={
            "username": "laemrang.clerk",
            "role": "staff",
            "organization_code": home.code,
            "password": "first-password-1",
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert created.json()["has_password"] is True
    assert login(client, "laemrang.clerk", "first-password-1").status_code == 200
    changed = client.put(
        "/api/v1/admin/users/laemrang.clerk/password",
        json={"password": "second-password-2"},
        headers=admin,
    )
    assert changed.status_code == 200
    assert login(client, "laemrang.clerk", "second-password-2").status_code == 200
    again = client.post(
        "/api/v1/admin/users",
        json={"username": "laemrang.clerk", "role": "staff", "organization_code": home.code},
        headers=admin,
    )
    assert problem(again, 409, "conflict")["reasons"][0]["code"] == "username_taken"
    short = client.put(
        "/api/v1/admin/users/laemrang.clerk/password", json={"password": "short"}, headers=admin
    )
    assert problem(short, 422, "validation_error")["reasons"][0]["field"] == "password"
    missing = client.put(
        "/api/v1/admin/users/ghost/password", json={"password": "long-enough-pw"}, headers=admin
    )
    problem(missing, 404, "not_found")
