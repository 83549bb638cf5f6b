"""The authorization matrix: every endpoint × caller role (or none) × own/foreign organization,
with the exact status and problem code (docs/domain.md "Roles"; issue 3 item 3).

The caller always belongs to the home office (พิจิตร; its auditor's scope is the province);
the target is the home office ("own") or the away office in พิษณุโลก ("foreign").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from models.clock import FixedClock
from models.enums import PlanKind, Role, TriggerKind
from tests.api.conftest import ROLES, Team, annual_body, problem, token_headers
from workflow import uow
from workflow.commands import Context, NewPlan, create_plan

STAFF, COMMITTEE, EXECUTIVE, AUDITOR, ADMIN = ROLES
ORG_ROLES = (STAFF, COMMITTEE, EXECUTIVE)


@dataclass
class World:
    client: TestClient
    home: Team
    away: Team
    plans: dict[str, int]  # organization code → a draft supplementary plan


@dataclass(frozen=True)
class Call:
    world: World
    caller: Role | None
    target: Team

    @property
    def headers(self) -> dict[str, str]:
        return {} if self.caller is None else self.world.home.headers(self.caller)

    @property
    def plan(self) -> int:
        return self.world.plans[self.target.code]

    def get(self, url: str, **params: object) -> httpx2.Response:
        return self.world.client.get(url, params=params, headers=self.headers)

    def send(self, method: str, url: str, body: dict[str, Any] | None = None) -> httpx2.Response:
        return self.world.client.request(method, url, json=body, headers=self.headers)


# An expectation: (status, problem code) for errors; (status, count) for 2xx, where count is
# what `Endpoint.count` reads from the body (None: not checked).
Expected = tuple[int, str | int | None]


@dataclass(frozen=True)
class Endpoint:
    name: str
    call: Callable[[Call], httpx2.Response]
    expect: Callable[[Role, bool], Expected]
    count: Callable[[dict[str, Any], Call], int] | None = None


def sees_plan(role: Role, own: bool) -> bool:
    return own and role in (*ORG_ROLES, AUDITOR)


def plan_read(role: Role, own: bool) -> Expected:
    return (200, None) if sees_plan(role, own) else (404, "not_found")


def acting(allowed: Role, success: int) -> Callable[[Role, bool], Expected]:
    def expect(role: Role, own: bool) -> Expected:
        if not sees_plan(role, own):
            return 404, "not_found"
        return (success, None) if role is allowed else (403, "forbidden")

    return expect


def only(
    allowed: Role, success: int = 200, count: int | None = None
) -> Callable[[Role, bool], Expected]:
    return lambda role, own: (success, count) if role is allowed else (403, "forbidden")


def everyone(count: int | None = None) -> Callable[[Role, bool], Expected]:
    return lambda role, own: (200, count)


def in_scope_count(role: Role, own: bool) -> Expected:
    return (200, 1 if sees_plan(role, own) else 0)


def auditor_scoped(role: Role, own: bool) -> Expected:
    if role is not AUDITOR:
        return 403, "forbidden"
    return 200, 1 if own else 0


def create_expect(role: Role, own: bool) -> Expected:
    return (201, None) if role is STAFF and own else (403, "forbidden")


ENDPOINTS = (
    Endpoint(
        "POST /plans",
        lambda c: c.send(
            "POST", "/api/v1/plans", annual_body(organization_id=c.target.office.organization_id)
        ),
        create_expect,
    ),
    Endpoint(
        "GET /plans",
        lambda c: c.get("/api/v1/plans", organization=c.target.code),
        in_scope_count,
        lambda body, c: len(body["items"]),
    ),
    Endpoint("GET /plans/{id}", lambda c: c.get(f"/api/v1/plans/{c.plan}"), plan_read),
    Endpoint(
        "GET /plans/{id}/history", lambda c: c.get(f"/api/v1/plans/{c.plan}/history"), plan_read
    ),
    Endpoint(
        "GET /plans/{id}/state",
        lambda c: c.get(f"/api/v1/plans/{c.plan}/state", at="2018-09-22T00:00:00Z"),
        plan_read,
    ),
    Endpoint(
        "POST /plans/{id}/actions/submit",
        lambda c: c.send("POST", f"/api/v1/plans/{c.plan}/actions/submit", {"expected_version": 1}),
        acting(STAFF, 200),
    ),
    Endpoint(
        "POST /plans/{id}/deadlines/preparation/extensions",
        lambda c: c.send(
            "POST",
            f"/api/v1/plans/{c.plan}/deadlines/preparation/extensions",
            {"expected_version": 1, "new_due_on": "2018-11-01", "reason": "รอมติที่ประชุม"},
        ),
        acting(EXECUTIVE, 201),
    ),
    Endpoint(
        "GET /audit/transitions",
        lambda c: c.get("/api/v1/audit/transitions", organization=c.target.code),
        auditor_scoped,
        lambda body, c: len(body["items"]),
    ),
    Endpoint(
        "GET /audit/transitions?format=csv",
        lambda c: c.get("/api/v1/audit/transitions", organization=c.target.code, format="csv"),
        auditor_scoped,
        lambda body, c: int(body["lines"]) - 1,
    ),
    Endpoint(
        "GET /audit/compliance",
        lambda c: c.get("/api/v1/audit/compliance", fiscal_year=2562),
        auditor_scoped,
        lambda body, c: sum(p["organization_code"] == c.target.code for p in body["plans"]),
    ),
    Endpoint(
        "GET /audit/verify",
        lambda c: c.get("/api/v1/audit/verify"),
        only(AUDITOR, count=1),
        lambda body, c: int(body["plans_checked"]),
    ),
    Endpoint(
        "GET /calendar/deadlines",
        lambda c: c.get("/api/v1/calendar/deadlines", announced_on="2018-10-25"),
        everyone(),
    ),
    Endpoint("GET /admin/holidays", lambda c: c.get("/api/v1/admin/holidays"), only(ADMIN)),
    Endpoint(
        "PUT /admin/holidays/{day}",
        lambda c: c.send(
            "PUT",
            "/api/v1/admin/holidays/2019-04-12",
            {"kind": "add", "name": "วันหยุดพิเศษ", "source": "มติ ครม."},
        ),
        only(ADMIN),
    ),
    Endpoint(
        "DELETE /admin/holidays/{day}",
        lambda c: c.send("DELETE", "/api/v1/admin/holidays/2019-04-12"),
        only(ADMIN),
    ),
    Endpoint(
        "POST /admin/users",
        lambda c: c.send(
            "POST",
            "/api/v1/admin/users",
            {"username": "new.staff", "role": "staff", "organization_code": c.target.code},
        ),
        only(ADMIN, 201),
    ),
    Endpoint(
        "PUT /admin/users/{username}/password",
        lambda c: c.send(
            "PUT",
            f"/api/v1/admin/users/{c.target.office.staff.username}/password",
            {"password": "a-long-new-password"},
        ),
        only(ADMIN),
    ),
    Endpoint("GET /me", lambda c: c.get("/api/v1/me"), everyone()),
    Endpoint(
        "GET /me/alerts",
        lambda c: c.get("/api/v1/me/alerts"),
        everyone(count=0),
        lambda body, c: len(body["items"]),
    ),
)


@pytest.fixture
def world(
    client: TestClient, engine: Engine, clock: FixedClock, ctx: Context, home: Team, away: Team
) -> World:
    plans = {}
    for team in (home, away):
        new = NewPlan(
            organization_id=team.office.organization_id,
            kind=PlanKind.SUPPLEMENTARY,
            trigger_kind=TriggerKind.ACCUMULATED_FUNDS,
            trigger_on=date(2018, 9, 20),
            title="แผนการดำเนินงานเพิ่มเติม ครั้งที่ 1/2562",
            fiscal_year_be=2562,
        )
        actor = team.office.staff
        plan = uow.run(engine, clock, lambda s, n=new, a=actor: create_plan(s, ctx, new=n, actor=a))
        assert plan.id is not None
        plans[team.code] = plan.id
    return World(client, home, away, plans)


def _body(response: httpx2.Response) -> dict[str, Any]:
    if response.headers["content-type"].startswith("text/csv"):
        return {"lines": len(response.text.strip().splitlines())}
    data: dict[str, Any] = response.json()
    return data


@pytest.mark.parametrize("own", [True, False], ids=["own", "foreign"])
@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_matrix(world: World, endpoint: Endpoint, role: Role, own: bool) -> None:
    call = Call(world, role, world.home if own else world.away)
    response = endpoint.call(call)
    status, detail = endpoint.expect(role, own)
    if status >= 400:
        assert isinstance(detail, str)
        problem(response, status, detail)
        return
    assert response.status_code == status, response.text
    if detail is not None:
        assert endpoint.count is not None
        assert endpoint.count(_body(response), call) == detail


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_anonymous_is_401(world: World, endpoint: Endpoint) -> None:
    response = endpoint.call(Call(world, None, world.home))
    problem(response, 401, "unauthenticated")


def test_auditor_with_listed_organizations_sees_only_those(
    world: World, engine: Engine, clock: FixedClock
) -> None:
    """Scope by organizations instead of a province: the away office only."""
    admin = world.home.headers(ADMIN)
    created = world.client.post(
        "/api/v1/admin/users",
        json={
            "username": "dla.assessor",
            "role": "auditor",
            "scope_organization_codes": [world.away.code],
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    team = token_headers(engine, clock, "dla.assessor")
    seen = world.client.get("/api/v1/plans", headers=team).json()["items"]
    assert [p["organization"]["code"] for p in seen] == [world.away.code]
    hidden = world.client.get(f"/api/v1/plans/{world.plans[world.home.code]}", headers=team)
    problem(hidden, 404, "not_found")
    act = world.client.post(
        f"/api/v1/plans/{world.plans[world.away.code]}/actions/submit",
        json={"expected_version": 1},
        headers=team,
    )
    problem(act, 403, "forbidden")
