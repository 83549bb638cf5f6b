"""Two gaps of progress closed (docs/domain.md "Progress"): the optimistic lock (the API and
the web form name the item's latest entry they saw; a stale one is 409 `stale_version` naming
the current entry, and the web keeps what was typed), and the as-of date held to the plan's
fiscal year (422 `as_of_outside_fiscal_year` on the API, the web and the CLI)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app as cli
from api.settings import Settings
from models.clock import FixedClock
from models.enums import Role
from tests.api.conftest import Team, problem
from tests.progress_factories import plan_in_force, record
from workflow import uow
from workflow.account_admin import set_password
from workflow.commands import Context

PASSWORD = "progress-lock-2561"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SEEN = re.compile(r'name="expected_entry" value="(\d+)"')


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, evidence_dir=str(tmp_path / "evidence"))


def test_a_stale_entry_is_409_naming_the_current_one(
    client: TestClient, home: Team, engine: Engine, ctx: Context
) -> None:
    plan_id, content = plan_in_force(engine, ctx, home.office)
    url, item = f"/api/v1/plans/{plan_id}/progress", content.projects[0].id
    body = {"item_id": item, "status": "not_started", "as_of": "01/09/2561", "expected_entry": 0}
    staff = home.headers(Role.STAFF)
    assert client.post(url, json=body, headers=staff).status_code == 201
    stale = problem(client.post(url, json=body, headers=staff), 409, "stale_version")
    (why,) = stale["reasons"]
    assert (why["code"], why["current_entry"], why["current_as_of"]) == (
        "progress_stale_entry", 1, "2018-09-01")  # fmt: skip
    assert "ครั้งที่ 1" in why["th"]
    again = client.post(url, json={**body, "expected_entry": 1}, headers=staff)
    assert again.status_code == 201 and again.json()["entry"]["seq"] == 2
    problem(client.post(url, json={**body, "expected_entry": True}, headers=staff),
            422, "validation_error")  # fmt: skip
    unchecked = {k: v for k, v in body.items() if k != "expected_entry"}
    assert client.post(url, json=unchecked, headers=staff).status_code == 201


def test_the_as_of_date_stays_in_the_plans_fiscal_year(
    client: TestClient, home: Team, engine: Engine, ctx: Context,
    monkeypatch: pytest.MonkeyPatch, db_url: str,
) -> None:  # fmt: skip
    plan_id, content = plan_in_force(engine, ctx, home.office)  # FY 2561, today 21/9/2561
    url, item = f"/api/v1/plans/{plan_id}/progress", content.projects[0].id
    body = {"item_id": item, "status": "not_started", "as_of": "30/09/2560"}
    refused = problem(client.post(url, json=body, headers=home.headers(Role.STAFF)),
                      422, "validation_error")  # fmt: skip
    assert [(r["field"], r["code"]) for r in refused["reasons"]] == [
        ("as_of", "as_of_outside_fiscal_year")]  # fmt: skip
    assert "1 ตุลาคม 2560 ถึง 30 กันยายน 2561" in refused["reasons"][0]["th"]
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    line = CliRunner().invoke(cli, ["progress", "record", "--plan", str(plan_id), "--item", item,
                                    "--status", "not_started", "--as-of", "1/10/2561",
                                    "--username", home.office.staff.username])  # fmt: skip
    assert line.exit_code == 2 and "as_of as_of_outside_fiscal_year" in line.stderr


def test_the_web_form_keeps_what_was_typed_over_a_newer_entry(
    client: TestClient, home: Team, engine: Engine, ctx: Context, clock: FixedClock
) -> None:
    plan_id, content = plan_in_force(engine, ctx, home.office)
    staff, item = home.office.staff.username, content.projects[0].id
    uow.run(engine, clock, lambda s: set_password(s, clock=clock, username=staff,
                                                  password=PASSWORD))  # fmt: skip
    token = CSRF.search(client.get("/signin").text)
    assert token is not None
    form = {"csrf_token": token.group(1), "username": staff, "password": PASSWORD}
    assert client.post("/signin", data=form, follow_redirects=False).status_code == 303
    where = f"/plans/{plan_id}/progress/items/{item}"
    page = client.get(where).text
    assert SEEN.findall(page) == ["0"] and 'value="21/09/2561"' in page  # as of: today
    csrf = CSRF.findall(page)[-1]
    record(engine, ctx, plan_id, home.office.staff, item, status="not_started", as_of="1/9/2561")
    typed = {"csrf_token": csrf, "expected_entry": "0", "status": "in_progress",
             "committed_baht": "12,345", "started_on": "15/09/2561", "as_of": "20/09/2561",
             "note": "ลงนามสัญญาแล้ว"}  # fmt: skip
    sent = client.post(where, data=typed, follow_redirects=False)
    assert sent.status_code == 303 and "saved" not in sent.headers["location"]
    back = client.get(sent.headers["location"]).text
    assert "มีผู้บันทึกความก้าวหน้าของรายการนี้ไปแล้ว (ครั้งที่ 1" in back
    assert "ลงนามสัญญาแล้ว" in back and 'value="12,345"' in back  # what was typed is kept
    assert SEEN.findall(back) == ["1"]  # saving again is over the entry now shown
    saved = client.post(where, data={**typed, "expected_entry": "1"}, follow_redirects=False)
    assert saved.status_code == 303 and "saved=1" in saved.headers["location"]
