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
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
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
from models.enums import Role
from tests.api.conftest import Team, annual_body
from tests.databases import databases

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


@pytest.fixture
def db_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database per test (the module's docstring says why)."""
    url, drop = databases("postgresql").new()
    yield url
    drop()


@pytest.fixture
def api_schema(app: FastAPI, home: Team) -> Any:
    with TestClient(app) as client:  # one plan, so generated ids can find something real
        created = client.post("/api/v1/plans", json=annual_body(), headers=home.headers(Role.STAFF))
        assert created.status_code == 201, created.text
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR, Role.ADMIN], ids=lambda r: r.value)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms(
    api_schema: Any, home: Team, role: Role, method: str, path: str
) -> None:
    operation = api_schema[path][method]
    headers = home.headers(role)

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
