"""Security headers on every answer, Allow on 405, and Thai pages for a browser's errors."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.settings import Settings
from models.clock import FixedClock
from models.enums import Role
from tests.api.conftest import Team, problem
from workflow.calendar import WorkingCalendar

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def _secure(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_authenticated_json_csv_and_pages_are_not_stored(client: TestClient, home: Team) -> None:
    for path in ("/api/v1/me", "/api/v1/audit/transitions?format=csv"):
        response = client.get(path, headers=home.headers(Role.AUDITOR))
        assert response.status_code == 200, response.text
        _secure(response)
        assert response.headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP
    for response in (client.get("/signin"), client.post("/api/v1/auth/token", json={})):
        _secure(response)
        assert response.headers["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching(client: TestClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200
    _secure(response)
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["etag"]


def test_errors_carry_the_headers_too(client: TestClient) -> None:
    response = client.get("/api/v1/plans")  # no token
    problem(response, 401, "unauthenticated")
    _secure(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_hsts_over_https(app: FastAPI, home: Team) -> None:
    with TestClient(app, base_url="https://testserver") as client:
        response = client.get("/api/v1/me", headers=home.headers(Role.STAFF))
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hsts_when_the_public_address_is_https(
    db_url: str, engine: Engine, clock: FixedClock, calendar: WorkingCalendar
) -> None:
    settings = Settings(database_url=db_url, public_url="https://localplan.example.go.th")
    app = create_app(settings, engine=engine, clock=clock, calendar=calendar)
    with TestClient(app) as client:  # behind a proxy that terminates TLS
        response = client.get("/healthz")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


@pytest.mark.parametrize("method", ["OPTIONS", "DELETE", "PATCH"])
def test_a_wrong_method_names_every_allowed_one(
    client: TestClient, home: Team, method: str
) -> None:
    response = client.request(method, "/api/v1/plans", headers=home.headers(Role.STAFF))
    problem(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET, POST"
    one = client.request(method, "/api/v1/plans/1/history", headers=home.headers(Role.STAFF))
    assert one.headers["Allow"] == "GET"


def test_a_browser_gets_thai_pages_for_404_and_405(client: TestClient) -> None:
    missing = client.get("/nowhere", headers=BROWSER)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "ไม่พบหน้าที่ต้องการ" in missing.text and "<html" in missing.text
    _secure(missing)
    wrong = client.delete("/notices", headers=BROWSER)
    assert wrong.status_code == 405 and wrong.headers["Allow"] == "GET"
    assert "ไม่รองรับวิธีเรียกนี้" in wrong.text
    problem(client.get("/nowhere"), 404, "not_found")  # an API client: problem+json
    problem(client.get("/nowhere", headers={"Accept": "application/json"}), 404, "not_found")


def _boom(app: FastAPI) -> None:
    def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", broken)


def test_a_bug_is_logged_with_its_traceback_and_request_id(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    _boom(app)
    with caplog.at_level(logging.ERROR, logger="localplan.api"), TestClient(app) as client:
        response = client.get("/boom", headers={"X-Request-ID": "boom-2"})
    body = problem(response, 500, "internal_error")
    assert body["request_id"] == "boom-2" and response.headers["X-Request-ID"] == "boom-2"
    assert "secret" not in response.text
    _secure(response)
    (record,) = [r for r in caplog.records if r.name == "localplan.api"]
    assert "boom-2" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert "secret internals" in caplog.text and "Traceback" in caplog.text


def test_a_browser_gets_a_thai_page_for_a_bug(app: FastAPI) -> None:
    _boom(app)
    with TestClient(app) as client:
        response = client.get("/boom", headers={**BROWSER, "X-Request-ID": "boom-3"})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "ระบบขัดข้อง" in response.text and "boom-3" in response.text
    assert "secret" not in response.text


def test_every_operation_declares_the_shared_errors(app: FastAPI) -> None:
    spec = app.openapi()
    for path, item in spec["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in item.items():
            responses = operation["responses"]
            assert "503" in responses, f"{method} {path}"
            if method != "get":
                assert "409" in responses, f"{method} {path}"
            assert list(responses["503"]["content"]) == ["application/problem+json"]
