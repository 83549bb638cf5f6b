"""Spreadsheet import and export and the duplicates over HTTP (docs/api.md "Spreadsheets and
duplicates"): the real app, a real .xlsx uploaded as multipart/form-data."""

from __future__ import annotations

import io
from pathlib import Path

from fastapi.testclient import TestClient

from bench.content_data import demo_content
from documents.workbook_write import Heading, write_workbook
from models.enums import Role
from tests.api.conftest import Team, create_plan, problem
from workflow import content_model as cm

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "pd02-sample.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client: TestClient, team: Team, plan_id: int, data: bytes, role: Role = Role.STAFF,
            **form: str):  # type: ignore[no-untyped-def]  # fmt: skip
    return client.post(
        f"/api/v1/plans/{plan_id}/content/import",
        files={"file": ("plan.xlsx", io.BytesIO(data), XLSX)}, data=form,
        headers=team.headers(role),
    )  # fmt: skip


def test_import_export_and_import_again_keep_the_hash(client: TestClient, home: Team) -> None:
    plan_id = create_plan(client, home)
    content = demo_content(62)
    first = _upload(client, home, plan_id, write_workbook(content, Heading(2562, "อบต.")))
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["projects"] == 62 and body["revision"] == 1
    assert body["sha256"] == cm.content_hash(content)

    exported = client.get(f"/api/v1/plans/{plan_id}/export.xlsx", headers=home.headers(Role.STAFF))
    assert exported.status_code == 200 and exported.headers["content-type"] == XLSX
    again = _upload(client, home, plan_id, exported.content, expected_revision="1")
    assert again.status_code == 200, again.text
    assert again.json()["sha256"] == body["sha256"] and again.json()["revision"] == 2


def test_a_bad_file_is_a_422_listing_where_and_nothing_is_written(
    client: TestClient, home: Team
) -> None:
    plan_id = create_plan(client, home)
    body = problem(_upload(client, home, plan_id, b"not a spreadsheet"), 422, "workbook_invalid")
    assert body["reasons"][0]["code"] == "workbook_not_xlsx"
    data = SAMPLE.read_bytes().replace(b"x", b"x")
    ok = _upload(client, home, plan_id, data)
    assert ok.status_code == 200 and ok.json()["revision"] == 1  # the refusal wrote nothing


def test_a_stale_revision_and_a_reader_are_refused(client: TestClient, home: Team) -> None:
    plan_id = create_plan(client, home)
    data = SAMPLE.read_bytes()
    problem(_upload(client, home, plan_id, data, expected_revision="5"), 409,
            "stale_version")  # fmt: skip
    refused = _upload(client, home, plan_id, data, role=Role.AUDITOR)
    assert refused.status_code == 403, refused.text


def test_duplicates_within_and_across_plans(client: TestClient, home: Team) -> None:
    first = create_plan(client, home)
    second = create_plan(client, home, {
        "kind": "supplementary", "trigger_kind": "accumulated_funds", "trigger_on": "2018-09-20",
        "fiscal_year_be": 2562, "title": "แผนการดำเนินงานเพิ่มเติม ครั้งที่ 1/2562",
        "budget_baht": "1250000.50",
    })  # fmt: skip
    assert _upload(client, home, first, SAMPLE.read_bytes()).status_code == 200
    assert _upload(client, home, second, SAMPLE.read_bytes()).status_code == 200
    found = client.get(f"/api/v1/plans/{first}/duplicates", headers=home.headers(Role.COMMITTEE))
    assert found.status_code == 200, found.text
    pairs = found.json()
    assert {p["scope"] for p in pairs} == {"across_plans"} and len(pairs) == 4
    assert all(p["score"] == 100 and p["why"]["th"] and p["why"]["en"] for p in pairs)
    assert pairs[0]["b"]["plan_id"] == second
