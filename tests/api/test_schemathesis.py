"""Property-based run of the whole OpenAPI schema (schemathesis): for every operation, a
bounded number of generated requests, authenticated as staff, auditor or admin, must never
give a 5xx and every response must match the documented status codes, media types and
schemas.

Hypothesis is driven directly (one pytest test per operation and role) rather than through
schemathesis' pytest plugin, which does not support this pytest version's nodes.

On PostgreSQL only: SQLite is what the contract run (tests/api/test_contract.py) serves, with
every role, over a real uvicorn; what only this run can find is the server engine's own
refusals (a NUL character in a text, an integer past 2^63, a string past a column's length)
turning into a 5xx.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.settings import Settings
from models.clock import FixedClock, bangkok_noon
from models.db import make_engine
from models.enums import Role
from tests.api.conftest import HOME_CODE, Team, annual_body, make_team
from tests.conftest import HOLIDAYS_2018
from tests.databases import databases
from workflow.calendar import WorkingCalendar

# Bounded for CI; raise it for a deeper local hunt: LOCALPLAN_SCHEMATHESIS_EXAMPLES=200.
MAX_EXAMPLES = int(os.environ.get("LOCALPLAN_SCHEMATHESIS_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,  # data outside the schema must get a 4xx
]
pytestmark = pytest.mark.slow


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation, read from the schema without a database."""
    spec: dict[str, Any] = create_app(Settings(database_url="sqlite://")).openapi()
    return [
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "put", "delete", "patch")
    ]


OPERATIONS = _operations()


@dataclass(frozen=True)
class World:
    schema: Any
    home: Team


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """One migrated PostgreSQL database, app and schema for the module's tests on this
    worker: building them was about 4 s a test, most of the file's time, and what the run
    hunts (the server engine's refusals turning into a 5xx) needs no fresh database. The
    tests share one plan, so generated ids can find something real."""
    url, drop = databases("postgresql").new()
    engine = make_engine(url)
    clock = FixedClock(bangkok_noon(date(2018, 9, 21)))
    calendar = WorkingCalendar.from_days(HOLIDAYS_2018)
    app = create_app(Settings(database_url=url), engine=engine, clock=clock, calendar=calendar)
    home = make_team(engine, clock, HOME_CODE, "พิจิตร")
    with TestClient(app) as client:
        created = client.post("/api/v1/plans", json=annual_body(), headers=home.headers(Role.STAFF))
        assert created.status_code == 201, created.text
    try:
        yield World(schemathesis.openapi.from_asgi("/openapi.json", app), home)
    finally:
        engine.dispose()
        drop()


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR, Role.ADMIN], ids=lambda r: r.value)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms(world: World, role: Role, method: str, path: str) -> None:
    operation = world.schema[path][method]
    headers = world.home.headers(role)

    # Both data that fits the schema and data that does not (out-of-range ids, wrong types).
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=MAX_EXAMPLES <= 15,  # CI runs are repeatable; deep hunts vary
        database=None,
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()
