"""The authorization matrix: every endpoint × caller role (or none) × own/foreign organization,
with the exact status and problem code (docs/domain.md "Roles").

The caller always belongs to the home office (พิจิตร; its auditor's scope is the province);
the target is the home office ("own") or the away office in พิษณุโลก ("foreign").

The world (two offices, a token per person, a draft plan each) is built once per engine and
frozen; calls that cannot write share one copy of it (checked unchanged at the end), and every
call that may write gets a copy of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.settings import Settings
from models.clock import FixedClock, bangkok_noon
from models.db import make_engine
from models.enums import PlanKind, Role, TriggerKind
from tests.api.conftest import (
    AWAY_CODE,
    HOME_CODE,
    ROLES,
    Team,
    annual_body,
    make_team,
    problem,
    token_headers,
)
from tests.conftest import HOLIDAYS_2018
from tests.databases import ENGINES, Frozen, fingerprint, freeze
from tests.factories import create, new_plan
from workflow.calendar import WorkingCalendar
from workflow.commands import Context
from workflow.policy import WorkflowPolicy

STAFF, COMMITTEE, EXECUTIVE, AUDITOR, ADMIN = ROLES
ORG_ROLES = (STAFF, COMMITTEE, EXECUTIVE)


@dataclass(frozen=True)
class Seed:
    """What the frozen world holds: the same in every copy."""

    home: Team
    away: Team
    plans: dict[str, int]  # organization code → a draft supplementary plan


@dataclass
class World:
    client: TestClient
    engine: Engine
    clock: FixedClock
    home: Team
    away: Team
    plans: dict[str, int]


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
    # Whether a call may change the database: never, only when it succeeds, or always (the
    # plan commands record refused attempts too).
    writes: Literal["never", "on success", "always"] = "never"

    def may_write(self, role: Role, own: bool) -> bool:
        if self.writes == "on success":
            return self.expect(role, own)[0] < 400
        return self.writes == "always"


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


def correcting(role: Role, own: bool) -> Expected:
    """A correction of the creation's trigger date: the role that created it, or the
    executive (the workflow table's CORRECTIONS)."""
    from workflow.table_corrections import correction_for

    row = correction_for("create", "trigger_on")
    assert row is not None
    if not sees_plan(role, own):
        return 404, "not_found"
    return (201, None) if role in row.roles else (403, "forbidden")


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
    """An organization the caller may not see is not found (and written into no trail),
    as a plan of it is; one they see refuses every role but staff."""
    if not sees_plan(role, own):
        return 404, "not_found"
    return (201, None) if role is STAFF else (403, "forbidden")


ENDPOINTS = (
    Endpoint(
        "POST /plans",
        lambda c: c.send(
            "POST", "/api/v1/plans", annual_body(organization_id=c.target.office.organization_id)
        ),
        create_expect,
        writes="always",
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
        writes="always",
    ),
    Endpoint(
        "POST /plans/{id}/deadlines/preparation/extensions",
        lambda c: c.send(
            "POST",
            f"/api/v1/plans/{c.plan}/deadlines/preparation/extensions",
            {"expected_version": 1, "new_due_on": "2018-11-01", "reason": "รอมติที่ประชุม"},
        ),
        acting(EXECUTIVE, 201),
        writes="always",
    ),
    Endpoint(
        "POST /plans/{id}/corrections",
        lambda c: c.send(
            "POST",
            f"/api/v1/plans/{c.plan}/corrections",
            {
                "expected_version": 1,
                "record_seq": 1,
                "field": "trigger_on",
                "value": "2018-09-19",
                "reason": "วันที่ตามหนังสือแจ้งคือ 19 ก.ย. 2561",
            },
        ),
        correcting,
        writes="always",
    ),
    Endpoint(
        "GET /plans/{id}/corrections",
        lambda c: c.get(f"/api/v1/plans/{c.plan}/corrections"),
        lambda role, own: (200, 0) if sees_plan(role, own) else (404, "not_found"),
        lambda body, c: len(body),
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
        writes="on success",
    ),
    Endpoint(
        "DELETE /admin/holidays/{day}",
        lambda c: c.send("DELETE", "/api/v1/admin/holidays/2019-04-12"),
        only(ADMIN),
        writes="on success",
    ),
    Endpoint(
        "POST /admin/users",
        lambda c: c.send(
            "POST",
            "/api/v1/admin/users",
            {"username": "new.staff", "role": "staff", "organization_code": c.target.code},
        ),
        only(ADMIN, 201),
        writes="on success",
    ),
    Endpoint(
        "PUT /admin/users/{username}/password",
        lambda c: c.send(
            "PUT",
            f"/api/v1/admin/users/{c.target.office.staff.username}/password",
            {"password": "a-long-new-password"},
        ),
        only(ADMIN),
        writes="on success",
    ),
    Endpoint("GET /me", lambda c: c.get("/api/v1/me"), everyone()),
    Endpoint(
        "GET /me/alerts",
        lambda c: c.get("/api/v1/me/alerts"),
        everyone(count=0),
        lambda body, c: len(body["items"]),
    ),
)


START = date(2018, 9, 21)


def seed_world(engine: Engine, clock: FixedClock) -> Seed:
    ctx = Context(WorkflowPolicy(), clock, WorkingCalendar.from_days(HOLIDAYS_2018))
    home = make_team(engine, clock, HOME_CODE, "พิจิตร")
    away = make_team(engine, clock, AWAY_CODE, "พิษณุโลก")
    plans = {}
    for team in (home, away):
        new = new_plan(
            team.office,
            PlanKind.SUPPLEMENTARY,
            trigger_kind=TriggerKind.ACCUMULATED_FUNDS,
            title="แผนการดำเนินงานเพิ่มเติม ครั้งที่ 1/2562",
        )
        plan = create(engine, ctx, new, team.office.staff)
        assert plan.id is not None
        plans[team.code] = plan.id
    return Seed(home, away, plans)


@pytest.fixture(scope="module", params=ENGINES)
def frozen(request: pytest.FixtureRequest) -> Iterator[tuple[Frozen, Seed]]:
    """The world, built once per engine for the module."""
    clock = FixedClock(bangkok_noon(START))
    database, seed, drop = freeze(request.param, lambda engine: seed_world(engine, clock))
    yield database, seed
    drop()


@contextmanager
def served(frozen: tuple[Frozen, Seed]) -> Iterator[World]:
    """The app on a copy of the frozen world (dropped afterwards)."""
    database, seed = frozen
    url, drop = database.copy()
    clock = FixedClock(bangkok_noon(START))
    engine = make_engine(url)
    calendar = WorkingCalendar.from_days(HOLIDAYS_2018)
    app = create_app(Settings(database_url=url), engine=engine, clock=clock, calendar=calendar)
    try:
        with TestClient(app) as client:
            yield World(client, engine, clock, seed.home, seed.away, seed.plans)
    finally:
        engine.dispose()
        drop()


@pytest.fixture(scope="module")
def shared(frozen: tuple[Frozen, Seed]) -> Iterator[World]:
    """One copy for every call that writes nothing; it must end as it began."""
    with served(frozen) as world:
        before = fingerprint(world.engine)
        yield world
        changed = "a call wrote to the shared world: say so in its endpoint's `writes`"
        assert fingerprint(world.engine) == before, changed


@pytest.fixture
def own(frozen: tuple[Frozen, Seed]) -> Iterator[Callable[[], World]]:
    """A copy of the world for this test alone, made when asked for."""
    with ExitStack() as stack:
        yield lambda: stack.enter_context(served(frozen))


def _body(response: httpx2.Response) -> dict[str, Any]:
    if response.headers["content-type"].startswith("text/csv"):
        return {"lines": len(response.text.strip().splitlines())}
    data: dict[str, Any] = response.json()
    return data


@pytest.mark.parametrize("mine", [True, False], ids=["own", "foreign"])
@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_matrix(
    shared: World, own: Callable[[], World], endpoint: Endpoint, role: Role, mine: bool
) -> None:
    world = own() if endpoint.may_write(role, mine) else shared
    call = Call(world, role, world.home if mine else world.away)
    response = endpoint.call(call)
    status, detail = endpoint.expect(role, mine)
    if status >= 400:
        assert isinstance(detail, str)
        problem(response, status, detail)
        return
    assert response.status_code == status, response.text
    if detail is not None:
        assert endpoint.count is not None
        assert endpoint.count(_body(response), call) == detail


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_anonymous_is_401(shared: World, endpoint: Endpoint) -> None:
    response = endpoint.call(Call(shared, None, shared.home))
    problem(response, 401, "unauthenticated")


def test_auditor_with_listed_organizations_sees_only_those(own: Callable[[], World]) -> None:
    """Scope by organizations instead of a province: the away office only."""
    world = own()
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
    team = token_headers(world.engine, world.clock, "dla.assessor")
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
