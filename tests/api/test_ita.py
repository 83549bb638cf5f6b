"""The transparency checklist over HTTP (docs/api.md "Transparency checklist"): one office's
items, the auditors' rows across their scope with filters and the CSV, and who may read them."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from models.enums import Role
from tests.api.conftest import Team, problem
from tests.ita_factories import posted_2567
from workflow.commands import Context


def test_an_office_sees_its_items_and_what_is_missing(
    client: TestClient, engine: Engine, ctx: Context, home: Team, away: Team
) -> None:
    plan_id = posted_2567(engine, ctx, home.office)
    got = client.get("/api/v1/ita", params={"year": 2567}, headers=home.headers(Role.STAFF))
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["assessment"]["basis"] == "assumption"
    assert body["assessment"]["window_start"] == "2024-04-01"
    org = body["organization"]
    assert org["organization_id"] == home.office.organization_id and org["missing"] == ["O13"]
    items = {i["code"]: (i["status"], i["links"]) for i in org["items"]}
    assert items == {
        "O11": ("ok", [f"/notices/{plan_id}/content", f"/notices/{plan_id}/plan.pdf"]),
        "O12": ("ok", [f"/board/plans/{plan_id}/progress"]),
        "O13": ("missing", []),  # no annual report of 2566 is posted
    }
    away_id = away.office.organization_id
    other = client.get("/api/v1/ita", params={"year": 2567, "organization_id": away_id},
                       headers=home.headers(Role.AUDITOR))  # fmt: skip
    problem(other, 404, "not_found")
    mine = client.get("/api/v1/ita", params={"year": 2567}, headers=away.headers(Role.EXECUTIVE))
    assert mine.json()["organization"]["missing"] == ["O11", "O12", "O13"]
    problem(client.get("/api/v1/ita", params={"year": 2590}, headers=home.headers(Role.STAFF)),
            404, "not_found")  # fmt: skip
    problem(client.get("/api/v1/ita", params={"year": 2567}, headers=home.headers(Role.ADMIN)),
            404, "not_found")  # fmt: skip


def test_auditors_read_their_scope_as_rows_and_csv(
    client: TestClient, engine: Engine, ctx: Context, home: Team, away: Team
) -> None:
    posted_2567(engine, ctx, home.office, progress=False)
    path = "/api/v1/ita/organizations"
    got = client.get(path, params={"year": 2567}, headers=home.headers(Role.AUDITOR))
    assert got.status_code == 200, got.text
    rows = got.json()["organizations"]
    assert [(r["organization_code"], r["missing"]) for r in rows] == [(home.code, ["O12", "O13"])]
    kept = client.get(path, params={"year": 2567, "status": "ok", "item": "O12"},
                      headers=home.headers(Role.AUDITOR))  # fmt: skip
    assert kept.json()["organizations"] == []
    problem(client.get(path, params={"year": 2567}, headers=home.headers(Role.STAFF)),
            403, "forbidden")  # fmt: skip
    problem(client.get(path, params={"year": 2567, "status": "late"},
                       headers=home.headers(Role.AUDITOR)), 422, "validation_error")  # fmt: skip
    text = client.get(path, params={"year": 2567, "format": "csv"},
                      headers=home.headers(Role.AUDITOR))  # fmt: skip
    assert text.headers["content-type"].startswith("text/csv")
    assert text.text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.text.lstrip("\ufeff"))))
    assert table[0][:4] == ["รหัสองค์กร", "ชื่อองค์กร", "จังหวัด",
                            "O11 แผนดำเนินงานและการใช้จ่ายงบประมาณประจำปี"]  # fmt: skip
    assert table[1][0] == home.code and table[1][3:6] == ["มีแล้ว", "ยังไม่มี", "ยังไม่มี"]
    assert table[1][-1] == "O12, O13"
