"""Reading over HTTP: plan lists, auditors' transitions (filters, paging, CSV), compliance,
the deadline calculator (same JSON as the CLI), the holiday overlay, and the OpenAPI."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli_app
from api.settings import Settings
from models.clock import FixedClock
from models.enums import Role
from tests.api.conftest import PLACES, Team, act, annual_body, create_plan, on, problem

STAFF, COMMITTEE, EXECUTIVE, AUDITOR, ADMIN = (
    Role.STAFF,
    Role.COMMITTEE,
    Role.EXECUTIVE,
    Role.AUDITOR,
    Role.ADMIN,
)


def supplementary(n: int) -> dict[str, Any]:
    return {
        "kind": "supplementary",
        "trigger_kind": "agency_projects",
        "trigger_on": "2018-09-20",
        "fiscal_year_be": 2562,
        "title": f"แผนการดำเนินงานเพิ่มเติม ครั้งที่ {n}/2562",
    }


def get(client: TestClient, team: Team, role: Role, url: str, **params: Any) -> Any:
    response = client.get(url, params=params, headers=team.headers(role))
    assert response.status_code == 200, response.text
    return response.json()


def test_plan_list_filters_and_cursor_paging(
    client: TestClient, home: Team, away: Team, clock: FixedClock
) -> None:
    on(clock, date(2018, 9, 21))
    annual = create_plan(client, home)
    extra = [create_plan(client, home, supplementary(n)) for n in (1, 2, 3)]
    create_plan(client, away)
    act(client, home, STAFF, extra[0], "submit")

    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = get(client, home, STAFF, "/api/v1/plans", **params)
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [annual, *extra]  # oldest first, nothing from the away office

    def ids(**params: Any) -> list[int]:
        return [p["id"] for p in get(client, home, AUDITOR, "/api/v1/plans", **params)["items"]]

    assert ids(kind="supplementary") == extra
    assert ids(state="committee_review") == [extra[0]]
    assert ids(fiscal_year=2563) == []
    assert ids(organization=away.code) == []  # outside the auditor's province
    assert ids(overdue=True) == []
    on(clock, date(2018, 10, 21))  # preparation due 20 Oct: every open plan is now overdue
    assert ids(overdue=True) == [annual, *extra]
    act(client, home, EXECUTIVE, annual, "withdraw", comment="ยกเลิก")
    assert ids(overdue=False) == [annual]
    bad = client.get("/api/v1/plans", params={"cursor": "garbage!"}, headers=home.headers(STAFF))
    assert problem(bad, 422, "validation_error")["reasons"][0]["field"] == "cursor"
    beyond = client.get(
        "/api/v1/plans", params={"cursor": "9999999999"}, headers=home.headers(STAFF)
    )
    assert beyond.status_code == 200 and beyond.json()["items"] == []  # past the last id


def walk_annual(client: TestClient, team: Team, clock: FixedClock) -> int:
    plan_id = create_plan(client, team, annual_body(effective_on=on(clock, date(2018, 9, 21))))
    act(client, team, STAFF, plan_id, "submit", effective_on=on(clock, date(2018, 10, 1)))
    act(client, team, COMMITTEE, plan_id, "approve", effective_on=on(clock, date(2018, 10, 16)))
    act(client, team, EXECUTIVE, plan_id, "announce", effective_on=on(clock, date(2018, 10, 25)))
    act(
        client,
        team,
        STAFF,
        plan_id,
        "post",
        effective_on=on(clock, date(2018, 10, 26)),
        places=PLACES,
    )
    return plan_id


def test_audit_transitions_filters_paging_and_csv(
    client: TestClient, home: Team, away: Team, clock: FixedClock
) -> None:
    plan_id = walk_annual(client, home, clock)
    walk_annual(client, away, clock)
    url = "/api/v1/audit/transitions"

    def actions(**params: Any) -> list[str]:
        return [t["action"] for t in get(client, home, AUDITOR, url, **params)["items"]]

    assert actions() == ["create", "submit", "approve", "announce", "post"]  # own province only
    assert actions(province="พิษณุโลก") == []
    assert actions(organization=home.code, fiscal_year=2562, action="announce") == ["announce"]
    assert actions(actor=home.office.committee.username) == ["approve"]
    assert actions(effective_from="2018-10-16", effective_to="2018-10-25") == [
        "approve",
        "announce",
    ]
    assert actions(recorded_from="2018-10-25T00:00:00+07:00") == ["announce", "post"]
    assert actions(fiscal_year=2563) == []

    first = get(client, home, AUDITOR, url, limit=3)
    assert [t["seq"] for t in first["items"]] == [1, 2, 3] and first["next_cursor"]
    second = get(client, home, AUDITOR, url, limit=3, cursor=first["next_cursor"])
    assert [t["seq"] for t in second["items"]] == [4, 5] and second["next_cursor"] is None
    assert second["items"][1]["effective_on_th"] == "26 ต.ค. 2561"

    exported = client.get(url, params={"format": "csv"}, headers=home.headers(AUDITOR))
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert [r["action"] for r in rows] == ["create", "submit", "approve", "announce", "post"]
    assert {r["plan_id"] for r in rows} == {str(plan_id)}
    assert rows[0]["organization_name"].startswith("อบต.")

    bad = client.get(url, params={"effective_from": "2018-13-01"}, headers=home.headers(AUDITOR))
    assert problem(bad, 422, "validation_error")["reasons"][0]["field"] == "effective_from"


def test_compliance_marks_each_clock(client: TestClient, home: Team, clock: FixedClock) -> None:
    plan_id = walk_annual(client, home, clock)
    report = get(client, home, AUDITOR, "/api/v1/audit/compliance", fiscal_year=2562)
    (plan,) = report["plans"]
    assert plan["plan_id"] == plan_id and plan["mode"] == "strict"
    clocks = {c["kind"]: c for c in plan["clocks"]}
    assert clocks["preparation"]["status"] == "late"  # due 20 Oct, announced 25 Oct
    assert clocks["posting"]["status"] == "on_time"
    assert clocks["minimum_posting"]["status"] == "open"
    assert clocks["minimum_posting"]["due_on_th"] == "26 พ.ย. 2561"
    missing = client.get("/api/v1/audit/compliance", headers=home.headers(AUDITOR))
    assert problem(missing, 422, "validation_error")["reasons"][0]["field"] == "fiscal_year"


@pytest.mark.parametrize(
    ("params", "cli_args"),
    [
        ({"announced_on": "2018-10-25"}, ["--announced-on", "2018-10-25"]),
        (
            {"trigger_on": "2018-09-20", "mode": "civil"},
            ["--trigger-on", "2018-09-20", "--mode", "civil"],
        ),
        ({"posted_on": "2018-10-26"}, ["--posted-on", "2018-10-26"]),
    ],
)
def test_calendar_deadlines_is_the_cli_json(
    settings: Settings,
    engine: Engine,
    clock: FixedClock,
    home: Team,
    db_url: str,
    params: dict[str, str],
    cli_args: list[str],
) -> None:
    app = create_app(settings, engine=engine, clock=clock)  # the database's calendar, as the CLI
    with TestClient(app) as client:
        http = get(client, home, STAFF, "/api/v1/calendar/deadlines", **params)
    result = CliRunner().invoke(
        cli_app, ["deadlines", *cli_args, "--json"], env={"LOCALPLAN_DATABASE_URL": db_url}
    )
    assert result.exit_code == 0, result.output
    assert http == json.loads(result.output)


def test_calendar_deadlines_needs_exactly_one_start(client: TestClient, home: Team) -> None:
    none = client.get("/api/v1/calendar/deadlines", headers=home.headers(STAFF))
    assert problem(none, 422, "validation_error")["reasons"][0]["code"] == "one_start_date"
    two = client.get(
        "/api/v1/calendar/deadlines",
        params={"announced_on": "2018-10-25", "posted_on": "2018-10-26"},
        headers=home.headers(STAFF),
    )
    problem(two, 422, "validation_error")


def test_admin_holiday_moves_open_deadlines_and_is_logged(
    settings: Settings, engine: Engine, clock: FixedClock, home: Team
) -> None:
    app = create_app(settings, engine=engine, clock=clock)  # the database's calendar
    with TestClient(app) as client:
        on(clock, date(2018, 10, 8))
        plan_id = create_plan(
            client,
            home,
            annual_body(trigger_on="2018-10-08", effective_on="2018-10-08"),
        )
        before = get(client, home, STAFF, f"/api/v1/plans/{plan_id}")["deadlines"][0]
        admin = home.headers(ADMIN)
        changed = client.put(
            f"/api/v1/admin/holidays/{before['due_on']}",
            json={"kind": "add", "name": "วันหยุดพิเศษ", "source": "มติ ครม."},
            headers=admin,
        )
        assert changed.status_code == 200, changed.text
        moved = changed.json()["moved"]
        assert [m["plan_id"] for m in moved] == [plan_id]
        after = get(client, home, STAFF, f"/api/v1/plans/{plan_id}")["deadlines"][0]
        assert after["due_on"] == before["due_on"]  # strict: the due date stays
        assert after["last_working_on"] < before["last_working_on"]  # act-by moves earlier
        listed = client.get("/api/v1/admin/holidays", headers=admin).json()
        assert [h["day"] for h in listed] == [before["due_on"]]
        cleared = client.delete(f"/api/v1/admin/holidays/{before['due_on']}", headers=admin)
        assert cleared.status_code == 200 and cleared.json()["change"] == "clear"
        assert client.get("/api/v1/admin/holidays", headers=admin).json() == []
        bad = client.put(
            "/api/v1/admin/holidays/2019-04-12",
            json={"kind": "add", "name": "", "source": "x"},
            headers=admin,
        )
        assert problem(bad, 422, "validation_error")["reasons"][0]["field"] == "name"


def test_me_and_alerts(client: TestClient, home: Team) -> None:
    me = get(client, home, AUDITOR, "/api/v1/me")
    assert me["role"] == "auditor" and me["scope_province"] == "พิจิตร"
    assert me["organization"] is None
    assert get(client, home, STAFF, "/api/v1/me/alerts") == {"items": []}


FILE_MEDIA = frozenset({"multipart/form-data", "image/png", "image/jpeg"})


def test_every_request_body_has_examples_and_errors_are_problems(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    bodies = 0
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                bodies += 1
                if media in FILE_MEDIA:  # a file's example is a file: the upload tests send them
                    continue
                assert content.get("examples"), f"{method.upper()} {path} {media}: no examples"
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")) and status != "503":
                    assert list(response["content"]) == ["application/problem+json"], (
                        f"{method.upper()} {path} {status}"
                    )
    assert bodies >= 8
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
