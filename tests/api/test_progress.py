"""Progress over HTTP (docs/api.md "Progress"): the sheet read, one item recorded with its
warnings and problems, and a real .xlsx written, reopened with openpyxl, filled in and imported
back, all or nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.settings import Settings
from models.enums import Role
from tests.api.conftest import Team, problem
from tests.evidence_files import photo as jpeg_photo
from tests.progress_factories import plan_in_force
from workflow.commands import Context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, evidence_dir=str(tmp_path / "evidence"))


def _import(client: TestClient, team: Team, plan_id: int, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/plans/{plan_id}/progress/import",
        files={"file": ("p.xlsx", io.BytesIO(data), XLSX)},
        headers=team.headers(Role.STAFF),
    )


def test_record_read_and_refuse(
    client: TestClient, home: Team, away: Team, engine: Engine, ctx: Context
) -> None:
    plan_id, content = plan_in_force(engine, ctx, home.office)
    url = f"/api/v1/plans/{plan_id}/progress"
    sheet = client.get(url, headers=home.headers(Role.AUDITOR))
    assert sheet.status_code == 200, sheet.text
    items = sheet.json()["items"]
    assert len(items) == 5 and items[0]["latest"] is None and items[-1]["kind"] == "equipment"
    first = content.projects[0]
    body = {
        "item_id": first.id,
        "status": "อยู่ระหว่างดำเนินการ",
        "committed_baht": "500,000",
        "started_on": "01/09/2561",
        "note": "ลงนามสัญญาแล้ว",
    }
    done = client.post(url, json=body, headers=home.headers(Role.STAFF))
    assert done.status_code == 201, done.text
    assert done.json()["entry"]["status"] == "in_progress"
    assert [w["code"] for w in done.json()["warnings"]] == ["progress_over_planned_budget"]
    again = client.get(url, headers=home.headers(Role.STAFF)).json()["items"][0]["latest"]
    assert again["committed_baht"] == "500000.00" and again["started_on"] == "2018-09-01"
    bad = client.post(
        url,
        json={**body, "status": "completed", "disbursed_baht": "600000"},
        headers=home.headers(Role.STAFF),
    )
    reasons = problem(bad, 422, "validation_error")["reasons"]
    assert {(r["field"], r["code"]) for r in reasons} == {
        ("disbursed_baht", "progress_disbursed_over_committed"),
        ("finished_on", "progress_completed_without_finish"),
    }
    problem(client.post(url, json=body, headers=home.headers(Role.COMMITTEE)), 403, "forbidden")
    problem(client.post(url, json=body, headers=away.headers(Role.STAFF)), 404, "not_found")
    history = client.get(f"{url}/items/{first.id}", headers=home.headers(Role.STAFF))
    assert [e["seq"] for e in history.json()] == [1]


def test_the_sheet_round_trips_through_a_real_xlsx(
    client: TestClient, home: Team, engine: Engine, ctx: Context
) -> None:
    from openpyxl import load_workbook

    plan_id, content = plan_in_force(engine, ctx, home.office, projects=6, equipment=2)
    exported = client.get(
        f"/api/v1/plans/{plan_id}/progress/export.xlsx", headers=home.headers(Role.STAFF)
    )
    assert exported.status_code == 200 and exported.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(exported.content))
    ws = book["ความก้าวหน้า"]
    assert ws["A4"].value == "รหัสรายการ" and ws["F4"].value == "สถานะ"
    assert ws["A5"].value == content.projects[0].id and ws["E5"].value == 101000
    ws["F5"], ws["G5"], ws["H5"], ws["I5"], ws["J5"] = (
        "แล้วเสร็จ",
        101000,
        100500.5,
        "1/8/2561",
        "15/9/2561",
    )
    ws["F6"], ws["L6"] = "ยกเลิก", "ยกเลิกตามมติสภา"
    ws["F7"], ws["G7"], ws["I7"] = "in_progress", 1_000_000, "๑/๙/๒๕๖๑"  # above the plan: warned
    bad = io.BytesIO()
    ws["F8"], ws["H8"] = "อยู่ระหว่างดำเนินการ", 10  # no start date, disbursed above committed
    book.save(bad)
    refused = problem(_import(client, home, plan_id, bad.getvalue()), 422, "workbook_invalid")
    where = {(r["sheet"], r["row"], r["column"], r["code"]) for r in refused["reasons"]}
    assert where == {
        ("ความก้าวหน้า", 8, "I", "progress_started_required"),
        ("ความก้าวหน้า", 8, "H", "progress_disbursed_over_committed"),
    }
    assert all(r["th"] and r["en"] for r in refused["reasons"])
    sheet = client.get(f"/api/v1/plans/{plan_id}/progress", headers=home.headers(Role.STAFF))
    assert all(i["latest"] is None for i in sheet.json()["items"])  # nothing was written
    ws["I8"], ws["H8"] = "1/9/2561", None
    good = io.BytesIO()
    book.save(good)
    done = _import(client, home, plan_id, good.getvalue())
    assert done.status_code == 200, done.text
    assert done.json()["recorded"] == 4
    assert [w["code"] for w in done.json()["warnings"]] == ["progress_over_planned_budget"]
    latest = [
        i["latest"]
        for i in client.get(
            f"/api/v1/plans/{plan_id}/progress", headers=home.headers(Role.STAFF)
        ).json()["items"]
    ]
    assert latest[0]["status"] == "completed" and latest[0]["disbursed_baht"] == "100500.50"
    assert latest[1]["note"] == "ยกเลิกตามมติสภา" and latest[4] is None
    back = client.get(
        f"/api/v1/plans/{plan_id}/progress/export.xlsx", headers=home.headers(Role.STAFF)
    )
    again = _import(client, home, plan_id, back.content)  # unchanged: writes nothing
    assert again.status_code == 200 and again.json()["recorded"] == 0
    problem(_import(client, home, plan_id, b"PK\x03\x04 not really"), 422, "workbook_invalid")


def test_an_entry_carries_photos(
    client: TestClient, home: Team, engine: Engine, ctx: Context
) -> None:
    plan_id, content = plan_in_force(engine, ctx, home.office)
    url = f"/api/v1/plans/{plan_id}/progress/with-files"
    form = {
        "item_id": content.projects[1].id,
        "status": "แล้วเสร็จ",
        "committed_baht": "1000",
        "disbursed_baht": "1000",
        "started_on": "1/9/2561",
        "finished_on": "2/9/2561",
    }
    photo = jpeg_photo()  # a real photo: its public copy is decoded and written anew
    done = client.post(
        url,
        data=form,
        files=[("file", ("a.jpg", photo, "image/jpeg"))],
        headers=home.headers(Role.STAFF),
    )
    assert done.status_code == 201, done.text
    assert [f["name"] for f in done.json()["entry"]["files"]] == ["a.jpg"]
    bad = client.post(
        url,
        data=form,
        files=[("file", ("a.gif", b"GIF89a", "image/gif"))],
        headers=home.headers(Role.STAFF),
    )
    assert problem(bad, 422, "validation_error")["reasons"][0]["code"] == "evidence_type"
