"""HTTP fixtures: the real app on the per-test SQLite file, with bearer tokens for two offices
(home in พิจิตร, away in พิษณุโลก), each with a person in every role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api.app import create_app
from api.settings import Settings
from models.clock import FixedClock, bangkok_noon
from models.enums import Role
from tests.factories import Office, make_office
from workflow import uow
from workflow.account_admin import issue_token
from workflow.calendar import WorkingCalendar

HOME_CODE, AWAY_CODE = "6660603", "6650101"
ROLES = (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN)
REASON = "ขอให้ปรับปรุงรายละเอียดโครงการ"
PLACES = ["บอร์ดประชาสัมพันธ์ที่ทำการ อบต.", "เว็บไซต์ อบต."]


@dataclass
class Team:
    """An office and a bearer token for each of its people."""

    office: Office
    code: str
    tokens: dict[Role, str]

    def headers(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def make_team(engine: Engine, clock: FixedClock, code: str, province: str) -> Team:
    office = make_office(engine, clock, code, province)

    def issue(session: Session) -> dict[Role, str]:
        return {
            role: issue_token(
                session,
                username=office.by_role(role).username,
                clock=clock,
                lifetime=timedelta(days=3650),
                label="test",
            ).token
            for role in ROLES
        }

    return Team(office, code, uow.run(engine, clock, issue))


def token_headers(engine: Engine, clock: FixedClock, username: str) -> dict[str, str]:
    issued = uow.run(
        engine,
        clock,
        lambda s: issue_token(
            s, username=username, clock=clock, lifetime=timedelta(days=3650), label="test"
        ),
    )
    return {"Authorization": f"Bearer {issued.token}"}


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url)


@pytest.fixture
def app(
    settings: Settings, engine: Engine, clock: FixedClock, calendar: WorkingCalendar
) -> FastAPI:
    return create_app(settings, engine=engine, clock=clock, calendar=calendar)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def home(engine: Engine, clock: FixedClock) -> Team:
    return make_team(engine, clock, HOME_CODE, "พิจิตร")


@pytest.fixture
def away(engine: Engine, clock: FixedClock) -> Team:
    return make_team(engine, clock, AWAY_CODE, "พิษณุโลก")


def on(clock: FixedClock, day: date) -> str:
    """Move the fixed clock to midday of a legal date; return the date as ISO text."""
    clock.set(bangkok_noon(day))
    return day.isoformat()


def problem(response: httpx2.Response, status: int, code: str) -> dict[str, Any]:
    """Assert a problem+json response with this status and code; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["code"] == code, body
    assert body["type"] == f"urn:localplan:problem:{code}"
    assert all(r["th"] and r["en"] for r in body["reasons"]), body
    return body


def annual_body(year: int = 2562, **extra: object) -> dict[str, Any]:
    return {
        "kind": "annual",
        "trigger_kind": "annual_budget",
        "trigger_on": f"{year - 544}-09-20",
        "fiscal_year_be": year,
        "title": f"แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. {year}",
        **extra,
    }


def create_plan(client: TestClient, team: Team, body: dict[str, Any] | None = None) -> int:
    response = client.post(
        "/api/v1/plans", json=body or annual_body(), headers=team.headers(Role.STAFF)
    )
    assert response.status_code == 201, response.text
    plan_id: int = response.json()["id"]
    return plan_id


def version(client: TestClient, team: Team, plan_id: int) -> int:
    response = client.get(f"/api/v1/plans/{plan_id}", headers=team.headers(Role.STAFF))
    assert response.status_code == 200, response.text
    found: int = response.json()["version"]
    return found


def act(
    client: TestClient,
    team: Team,
    role: Role,
    plan_id: int,
    action: str,
    **body: object,
) -> httpx2.Response:
    """POST an action with the plan's current version unless one is given."""
    payload = {"expected_version": version(client, team, plan_id), **body}
    return client.post(
        f"/api/v1/plans/{plan_id}/actions/{action}", json=payload, headers=team.headers(role)
    )
