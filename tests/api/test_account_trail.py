"""Accounts leave a trail: every change is an account event in the log, a reset or a
deactivation ends sessions and tokens (API tokens and web sessions), a deactivated user is
refused, and the actor check holds after all of it. Through the real API, web and CLI."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.account import AccountEvent, AccountEventKind
from models.clock import FixedClock
from models.enums import Role
from models.log import LogEntry
from tests.api.conftest import Team, problem
from tests.api.test_cli_accounts import run
from workflow import uow
from workflow.account_admin import change_own_password
from workflow.account_details import change_name
from workflow.accounts import actor_for, find_user
from workflow.log import verify_log
from workflow.verify_actors import verify_actors

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FIRST, SECOND, THIRD = "first-password-1", "second-password-2", "third-password-3"


def events(engine: Engine) -> list[AccountEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AccountEvent).order_by(col(AccountEvent.id))))


def login(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def web_session(app: FastAPI, username: str, password: str) -> TestClient:
    """A browser-like client signed in through the sign-in form."""
    browser = TestClient(app, follow_redirects=False)
    found = CSRF.search(browser.get("/signin").text)
    assert found is not None
    data = {"csrf_token": found.group(1), "username": username, "password": password}
    response = browser.post("/signin", data=data)
    assert response.status_code == 303, response.text
    return browser


def add_clerk(client: TestClient, home: Team) -> str:
    body = {
        "username": "laemrang.clerk",
        "role": "staff",
        "organization_code": home.code,
        "password": FIRST,
    }
    response = client.post("/api/v1/admin/users", json=body, headers=home.headers(Role.ADMIN))
    assert response.status_code == 201, response.text
    return "laemrang.clerk"


def test_every_kind_is_an_event_in_the_log_without_secrets(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team, away: Team
) -> None:
    admin = home.headers(Role.ADMIN)
    clerk = add_clerk(client, home)  # created, password_reset
    own = login(client, clerk, FIRST)  # token_created by the clerk
    users = f"/api/v1/admin/users/{clerk}"
    body = {"role": "committee", "organization_code": home.code}
    assert client.put(f"{users}/role", json=body, headers=admin).json()["role"] == "committee"
    auditor = home.office.auditor.username
    scope = {"scope_province": "พิษณุโลก", "scope_organization_codes": [home.code]}
    changed = client.put(f"/api/v1/admin/users/{auditor}/scope", json=scope, headers=admin)
    assert changed.status_code == 200, changed.text
    with Session(engine) as session:
        clerk_actor = actor_for(session, find_user(session, clerk))
    uow.run(
        engine,
        clock,
        lambda s: change_own_password(s, actor=clerk_actor, clock=clock, current=FIRST, new=SECOND),
    )
    assert client.get("/api/v1/me", headers=own).status_code == 200  # own change: still on
    assert client.put(f"{users}/password", json={"password": THIRD}, headers=admin).is_success
    assert client.post(f"{users}/deactivate", headers=admin).json()["is_active"] is False
    assert client.post(f"{users}/reactivate", headers=admin).json()["is_active"] is True
    uow.run(  # the web admin page's name correction (workflow/account_details.py)
        engine,
        clock,
        lambda s: change_name(
            s, actor=home.office.admin, clock=clock, username=clerk, full_name="นายใหม่ ใจดี"
        ),
    )

    trail = events(engine)
    assert {e.kind for e in trail} == set(AccountEventKind)
    mine = [(e.kind, e.actor_username) for e in trail if e.subject_username == clerk]
    admin_name = home.office.admin.username
    assert mine == [
        (AccountEventKind.CREATED, admin_name),
        (AccountEventKind.MEMBERSHIP_GRANTED, admin_name),  # the account's role, from today
        (AccountEventKind.PASSWORD_RESET, admin_name),
        (AccountEventKind.TOKEN_CREATED, clerk),
        (AccountEventKind.ROLE_CHANGED, admin_name),
        (AccountEventKind.MEMBERSHIP_ENDED, admin_name),  # the old role's last day: yesterday
        (AccountEventKind.MEMBERSHIP_GRANTED, admin_name),  # the new one from today
        (AccountEventKind.PASSWORD_CHANGED, clerk),
        (AccountEventKind.PASSWORD_RESET, admin_name),
        (AccountEventKind.TOKEN_REVOKED, admin_name),  # the reset ended the login token
        (AccountEventKind.DEACTIVATED, admin_name),
        (AccountEventKind.REACTIVATED, admin_name),
        (AccountEventKind.NAME_CHANGED, admin_name),
    ]
    role = next(e for e in trail if e.kind is AccountEventKind.ROLE_CHANGED)
    assert (role.details["before"]["role"], role.details["after"]["role"]) == ("staff", "committee")
    text = json.dumps([e.details for e in trail])
    assert not any(secret in text for secret in (FIRST, SECOND, THIRD, own["Authorization"][7:]))
    assert "hash" not in text and "$argon2" not in text
    with Session(engine) as session:
        logged = set(
            session.exec(select(LogEntry.row_id).where(LogEntry.table_name == "account_event"))
        )
        assert {e.id for e in trail} <= logged
        assert verify_log(session, public_keys={}) == []
        assert verify_actors(session) == []


def test_a_reset_and_a_deactivation_end_sessions_and_tokens(
    client: TestClient, app: FastAPI, home: Team
) -> None:
    admin = home.headers(Role.ADMIN)
    clerk = add_clerk(client, home)
    users = f"/api/v1/admin/users/{clerk}"
    token, browser = login(client, clerk, FIRST), web_session(app, clerk, FIRST)
    assert client.get("/api/v1/me", headers=token).status_code == 200
    assert browser.get("/dashboard").status_code == 200

    assert client.put(f"{users}/password", json={"password": SECOND}, headers=admin).is_success
    problem(client.get("/api/v1/me", headers=token), 401, "unauthenticated")
    assert browser.get("/dashboard").headers["location"].startswith("/signin")

    token, browser = login(client, clerk, SECOND), web_session(app, clerk, SECOND)
    assert client.post(f"{users}/deactivate", headers=admin).status_code == 200
    body = problem(client.get("/api/v1/me", headers=token), 403, "account_deactivated")
    assert "ถูกระงับ" in body["reasons"][0]["th"]
    assert browser.get("/dashboard").headers["location"].startswith("/signin")
    refused = client.post("/api/v1/auth/token", json={"username": clerk, "password": SECOND})
    problem(refused, 403, "account_deactivated")
    wrong = client.post("/api/v1/auth/token", json={"username": clerk, "password": "nope-nope-1"})
    problem(wrong, 401, "unauthenticated")  # a wrong password learns nothing more
    found = CSRF.search(browser.get("/signin").text)
    assert found is not None
    page = browser.post(
        "/signin", data={"csrf_token": found.group(1), "username": clerk, "password": SECOND}
    )
    assert page.status_code != 303 and "ถูกระงับ" in page.text
    problem(client.post(f"{users}/deactivate", headers=admin), 409, "conflict")

    assert client.post(f"{users}/reactivate", headers=admin).status_code == 200
    assert client.get("/api/v1/me", headers=login(client, clerk, SECOND)).status_code == 200
    problem(client.get("/api/v1/me", headers=token), 401, "unauthenticated")  # stays revoked


def test_an_admin_keeps_themself_and_the_last_admin(
    client: TestClient, home: Team, db_url: str
) -> None:
    admin, me = home.headers(Role.ADMIN), home.office.admin.username
    body = problem(
        client.post(f"/api/v1/admin/users/{me}/deactivate", headers=admin), 403, "forbidden"
    )
    assert body["reasons"][0]["code"] == "cannot_deactivate_self"
    staff = home.headers(Role.STAFF)
    clerk = home.office.committee.username
    problem(client.post(f"/api/v1/admin/users/{clerk}/deactivate", headers=staff), 403, "forbidden")
    problem(
        client.post("/api/v1/admin/users/ghost.user/deactivate", headers=admin), 404, "not_found"
    )
    code, _, err = run(db_url, "users", "deactivate", me)  # the operator: not themself
    assert code == 2 and "last_admin" in err


def test_users_deactivate_and_reactivate_from_the_cli(
    client: TestClient, engine: Engine, home: Team, db_url: str
) -> None:
    user = home.office.executive.username
    headers = home.headers(Role.EXECUTIVE)
    code, out, err = run(db_url, "users", "deactivate", user)
    assert code == 0 and f"user {user} deactivated" in out, err
    problem(client.get("/api/v1/me", headers=headers), 403, "account_deactivated")
    code, _, err = run(db_url, "users", "deactivate", user)
    assert code == 2 and "already_deactivated" in err
    code, out, err = run(db_url, "users", "reactivate", user)
    assert code == 0 and f"user {user} reactivated" in out, err
    code, _, err = run(db_url, "users", "deactivate", "ghost.user")
    assert code == 2 and "user_not_found" in err
    mine = [(e.kind, e.actor_username) for e in events(engine) if e.subject_username == user]
    assert [k for k, _ in mine][-3:] == [
        AccountEventKind.DEACTIVATED,
        AccountEventKind.TOKEN_REVOKED,
        AccountEventKind.REACTIVATED,
    ]
    assert all(name.startswith("cli:") for _, name in mine[-3:])
    code, out, err = run(
        db_url, "users", "set-role", user, "--role", "staff", "--organization", home.code
    )
    assert code == 0, err
    with Session(engine) as session:
        assert verify_actors(session) == []
