"""Commands on plans the caller may not see: answered as a missing plan, written into no plan's
trail, counted against the caller, 429 with the time left when flooding
(docs/operations.md "Commands on plans outside one's scope")."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx2
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from models.audit import RefusedAttempt
from models.clock import FixedClock
from models.enums import Role
from models.throttle import UnseenAttempt
from tests.api.conftest import Team, act, annual_body, create_plan, problem
from workflow import uow
from workflow.account_admin import set_password

LIMIT = 20  # LOCALPLAN_UNSEEN_MAX_ATTEMPTS
MISSING = 987654
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def submit(client: TestClient, team: Team, plan_id: int, **extra: Any) -> httpx2.Response:
    return client.post(
        f"/api/v1/plans/{plan_id}/actions/submit",
        json={"expected_version": 1, **extra},
        headers=team.headers(Role.STAFF),
    )


def refused_rows(engine: Engine, **where: int) -> int:
    with Session(engine) as session:
        query = select(func.count()).select_from(RefusedAttempt)
        for name, value in where.items():
            query = query.where(col(getattr(RefusedAttempt, name)) == value)
        return int(session.exec(query).one())


def executive_page(
    client: TestClient, engine: Engine, clock: FixedClock, team: Team, plan_id: int
) -> str:
    """The plan's web page as the organization's executive sees it (signed in)."""
    name, password = team.office.executive.username, "executive-password-1"
    uow.run(engine, clock, lambda s: set_password(s, clock=clock, username=name, password=password))
    found = CSRF.search(client.get("/signin").text)
    assert found is not None
    data = {"csrf_token": found.group(1), "username": name, "password": password}
    assert client.post("/signin", data=data, follow_redirects=False).status_code == 303
    page = client.get(f"/plans/{plan_id}")
    client.cookies.clear()
    assert page.status_code == 200
    return page.text


def without_request_id(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "request_id"}


def test_flooding_another_organizations_plans_writes_nothing_there_and_ends_in_429(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team, away: Team
) -> None:
    theirs = create_plan(client, away)
    missing = problem(submit(client, home, MISSING), 404, "not_found")
    foreign = problem(submit(client, home, theirs), 404, "not_found")
    assert without_request_id(foreign) == without_request_id(missing)  # no existence oracle
    for i in range(LIMIT - 2):
        problem(submit(client, home, theirs, comment=f"x{i}"), 404, "not_found")

    flooded = submit(client, home, theirs)
    body = problem(flooded, 429, "too_many_attempts")
    assert flooded.headers["retry-after"] == str(15 * 60)  # every attempt was just now
    assert body["reasons"][0]["code"] == "too_many_unseen_attempts"
    clock.advance(timedelta(minutes=10, seconds=30))
    later = submit(client, home, MISSING)  # a missing plan: the same count, the time left
    problem(later, 429, "too_many_attempts")
    assert later.headers["retry-after"] == str(4 * 60 + 30)

    assert refused_rows(engine, organization_id=away.office.organization_id) == 0
    assert refused_rows(engine, plan_id=theirs) == 0
    history = client.get(f"/api/v1/plans/{theirs}/history", headers=away.headers(Role.EXECUTIVE))
    assert history.status_code == 200 and history.json()["refused"] == []
    page = executive_page(client, engine, clock, away, theirs)
    refused = page[page.index('id="refused"') :]
    assert "ไม่พบรายการ" in refused and home.office.staff.username not in refused
    with Session(engine) as session:  # counted against the caller, up to the limit
        counted = session.exec(select(UnseenAttempt)).all()
    assert len(counted) == LIMIT
    assert {a.user_id for a in counted} == {home.office.staff.user_id}
    assert {a.plan_id for a in counted} == {theirs, MISSING}

    clock.advance(timedelta(minutes=5))  # the window has passed: 404 again
    problem(submit(client, home, theirs), 404, "not_found")


def test_the_flood_does_not_stop_work_on_ones_own_plans(
    client: TestClient, engine: Engine, home: Team, away: Team
) -> None:
    mine = create_plan(client, home)
    for _ in range(LIMIT):
        problem(submit(client, home, MISSING), 404, "not_found")
    problem(submit(client, home, MISSING), 429, "too_many_attempts")
    assert act(client, home, Role.STAFF, mine, "submit").status_code == 200


def test_refusals_on_visible_plans_stay_in_the_plans_trail(
    client: TestClient, engine: Engine, home: Team
) -> None:
    mine = create_plan(client, home)
    problem(act(client, home, Role.COMMITTEE, mine, "submit"), 403, "forbidden")
    problem(act(client, home, Role.COMMITTEE, mine, "approve"), 409, "invalid_transition")
    assert refused_rows(engine, plan_id=mine) == 2
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(UnseenAttempt)).one() == 0


def test_creating_a_plan_in_another_organization_writes_nothing_there(
    client: TestClient, engine: Engine, home: Team, away: Team
) -> None:
    """Creation has no plan yet: another organization (or none) is answered as not found,
    written into nobody's trail, and counted against the caller like a plan's command."""
    headers = home.headers(Role.STAFF)
    for organization_id in (away.office.organization_id, MISSING):
        body = annual_body(organization_id=organization_id)
        problem(client.post("/api/v1/plans", json=body, headers=headers), 404, "not_found")
    assert refused_rows(engine, organization_id=away.office.organization_id) == 0
    assert refused_rows(engine) == 0
    with Session(engine) as session:
        counted = session.exec(select(UnseenAttempt)).all()
    assert [(a.user_id, a.plan_id) for a in counted] == [(home.office.staff.user_id, None)] * 2
