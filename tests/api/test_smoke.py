"""The basics every endpoint relies on: authentication, request ids, problem bodies."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from models.db import make_engine
from models.enums import Role
from tests.api.conftest import Team, create_plan, problem


def test_healthz_reports_database_migrations_and_scheduler(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations_current": True,
        "scheduler": "not configured",
        "signing": {
            "signs": False,
            "key_name": None,
            "key_id": None,
            "reason": "no signing key is set (LOCALPLAN_SIGNING_KEY_FILE)",
        },
        "set_aside": [],
    }


def test_missing_or_bad_token_is_401_problem(client: TestClient, home: Team) -> None:
    problem(client.get("/api/v1/me"), 401, "unauthenticated")
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer lp_nope"})
    body = problem(bad, 401, "unauthenticated")
    assert bad.headers["www-authenticate"] == "Bearer"
    assert body["reasons"][0]["code"] == "invalid_token"


def test_request_id_is_echoed_and_stored_on_the_audit_record(
    client: TestClient, home: Team
) -> None:
    plan_id = create_plan(client, home)
    response = client.post(
        f"/api/v1/plans/{plan_id}/actions/submit",
        json={"expected_version": 1},
        headers={**home.headers(Role.STAFF), "X-Request-ID": "req-submit-42"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-request-id"] == "req-submit-42"
    history = client.get(f"/api/v1/plans/{plan_id}/history", headers=home.headers(Role.STAFF))
    records = history.json()["records"]
    assert [r["action"] for r in records] == ["create", "submit"]
    assert records[1]["request_id"] == "req-submit-42"
    assert records[0]["request_id"]  # generated when the client sent none


def test_generated_request_id_when_absent_or_malformed(client: TestClient) -> None:
    first = client.get("/healthz").headers["x-request-id"]
    second = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert len(first) == 32 and second.headers["x-request-id"] != "bad id\twith spaces"


def test_validation_error_names_the_field_and_why(client: TestClient, home: Team) -> None:
    plan_id = create_plan(client, home)
    response = client.post(
        f"/api/v1/plans/{plan_id}/actions/submit",
        json={"expected_version": "x", "places": "not a list"},
        headers=home.headers(Role.STAFF),
    )
    body = problem(response, 422, "validation_error")
    fields = {r["field"] for r in body["reasons"]}
    assert fields == {"expected_version", "places"}
    assert all(r["en"].startswith(r["field"]) for r in body["reasons"])


def test_unknown_action_and_unknown_route_are_problems(client: TestClient, home: Team) -> None:
    plan_id = create_plan(client, home)
    response = client.post(
        f"/api/v1/plans/{plan_id}/actions/teleport",
        json={"expected_version": 1},
        headers=home.headers(Role.STAFF),
    )
    assert problem(response, 422, "validation_error")["reasons"][0]["field"] == "action"
    problem(client.get("/api/v1/nowhere"), 404, "not_found")


def test_healthz_is_503_when_migrations_are_behind(settings: Settings, tmp_path: Path) -> None:
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # never migrated
    try:
        with TestClient(create_app(settings, engine=empty)) as client:
            response = client.get("/healthz")
    finally:
        empty.dispose()
    assert response.status_code == 503
    assert response.json()["migrations_current"] is False, response.text


def test_a_bug_is_a_problem_without_a_stack_trace(app: FastAPI, home: Team) -> None:
    def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom", headers={"X-Request-ID": "boom-1"})
    body = problem(response, 500, "internal_error")
    assert "secret" not in response.text and "Traceback" not in response.text
    assert body["request_id"] == "boom-1"


def test_malformed_login_bodies_are_422(client: TestClient) -> None:
    broken_json = client.post(
        "/api/v1/auth/token",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    problem(broken_json, 422, "validation_error")
    not_an_object = client.post("/api/v1/auth/token", json=["a", "b"])
    problem(not_an_object, 422, "validation_error")
    bad_multipart = client.post(
        "/api/v1/auth/token",
        content=b"--x\r\nbroken",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    problem(bad_multipart, 422, "validation_error")
    missing = problem(
        client.post("/api/v1/auth/token", data={"username": "x"}), 422, "validation_error"
    )
    assert [r["field"] for r in missing["reasons"]] == ["password"]


def test_unknown_query_parameters_and_unreadable_bodies_are_422(
    client: TestClient, home: Team
) -> None:
    typo = client.get(
        "/api/v1/audit/transitions", params={"fiscalyear": 2562}, headers=home.headers(Role.AUDITOR)
    )
    reason = problem(typo, 422, "validation_error")["reasons"][0]
    assert reason["field"] == "fiscalyear" and "fiscal_year" in reason["en"]
    plan_id = create_plan(client, home)
    garbage = client.post(
        f"/api/v1/plans/{plan_id}/actions/submit",
        content=b"\xff\xfe not utf-8",
        headers={**home.headers(Role.STAFF), "Content-Type": "application/json"},
    )
    assert problem(garbage, 422, "validation_error")["reasons"][0]["field"] == "body"
