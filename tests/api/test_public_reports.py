"""Monitoring reports for citizens (docs/domain.md "Monitoring reports"; docs/api.md "Public
monitoring reports"), on both engines, without signing in: the board's list searched by
organization, province and fiscal year, the report's page with its findings, figures and the
SHA-256 of its frozen papers, the two files served exactly as stored, and the JSON; a report
not yet posted is not found anywhere; the transparency checklist's O13 link opens the page."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from models.clock import FixedClock
from models.enums import ReportRound, ReportState
from tests.api.conftest import Team, problem
from tests.report_factories import FINDINGS, monitoring_member, walk
from tests.report_papers_world import ORG, announced_report
from workflow.commands import Context


def test_a_posted_report_is_on_the_board_with_its_frozen_papers(
    client: TestClient, engine: Engine, ctx: Context, clock: FixedClock, home: Team
) -> None:
    report = announced_report(engine, ctx, clock, home.office)
    board = client.get("/board/reports")
    assert board.status_code == 200 and f'href="/board/reports/{report.id}"' in board.text
    assert ORG in board.text and "รอบหกเดือน (ตุลาคม–มีนาคม)" in board.text
    assert "5 มิ.ย. 2562" in board.text  # announced, in B.E.
    for query, shown in ((f"organization={home.code}", True), ("organization=ทดสอบ", True),
                         ("organization=ไม่มีชื่อนี้", False),
                         ("province=จ.พิจิตร", True), ("province=ลำปาง", False),
                         ("year=2562", True), ("year=2563", False)):
        found = client.get(f"/board/reports?{query}")
        assert found.status_code == 200
        assert (f"/board/reports/{report.id}" in found.text) is shown, query
    refused = client.get("/board/reports?year=25x2")
    assert refused.status_code == 422 and "ปีงบประมาณ พ.ศ. 4 หลัก" in refused.text
    assert 'value="25x2"' in refused.text  # what was typed is kept

    page = client.get(f"/board/reports/{report.id}")
    assert page.status_code == 200
    for expected in (ORG, FINDINGS["findings"], FINDINGS["recommendations"], "3 มิ.ย. 2562",
                     "ข้อมูล ณ วันที่ 31 มี.ค. 2562", "โครงการทั้งหมด 61 โครงการ",
                     f"/board/reports/{report.id}/notice.pdf",
                     f"/board/reports/{report.id}/report.pdf"):
        assert expected in page.text, expected
    with engine.connect() as conn:
        stored = dict(conn.execute(sa.text("SELECT kind, sha256 FROM report_document")).all())
    for kind, name in (("notice_pdf", "notice.pdf"), ("report_pdf", "report.pdf")):
        served = client.get(f"/board/reports/{report.id}/{name}")
        assert served.status_code == 200 and served.headers["content-type"] == "application/pdf"
        digest = hashlib.sha256(served.content).hexdigest()
        assert digest == stored[kind] == served.headers["x-content-sha256"]
        assert digest in page.text  # the citizen can check the file against the page

    listed = client.get("/api/v1/public/reports", params={"province": "พิจิตร"}).json()
    assert [r["id"] for r in listed["reports"]] == [report.id] and listed["next_page"] is None
    one = client.get(f"/api/v1/public/reports/{report.id}").json()
    assert one["organization"]["name"] == ORG and one["round"] == "half"
    assert one["presented_on"] == "2019-06-03" and one["posted_on"] == "2019-06-06"
    assert one["findings"] == FINDINGS["findings"]
    assert one["figures"]["as_of"] == "2019-03-31" and one["figures"]["overall"]["items"] == 61
    assert {k: v["sha256"] for k, v in one["documents"].items()} == stored
    assert one["documents"]["notice_pdf"]["url"] == f"/board/reports/{report.id}/notice.pdf"


def test_a_report_not_yet_posted_is_not_public(
    client: TestClient, engine: Engine, ctx: Context, clock: FixedClock, home: Team
) -> None:
    report = announced_report(engine, ctx, clock, home.office, posted=False)
    assert f"/board/reports/{report.id}" not in client.get("/board/reports").text
    assert client.get(f"/board/reports/{report.id}").status_code == 404
    assert client.get(f"/board/reports/{report.id}/notice.pdf").status_code == 404
    assert client.get("/api/v1/public/reports").json()["reports"] == []
    body = problem(client.get(f"/api/v1/public/reports/{report.id}"), 404, "not_found")
    assert body["reasons"][0]["code"] == "report_not_found"
    problem(client.get("/api/v1/public/reports/2147483648"), 422, "validation_error")
    problem(client.get("/api/v1/public/reports?organization=%01"), 422, "validation_error")


def test_the_transparency_checklists_o13_link_opens_the_report(
    client: TestClient, engine: Engine, ctx: Context, clock: FixedClock, home: Team
) -> None:
    from sqlmodel import Session

    from workflow.ita_data import load_year
    from workflow.ita_rules import annual_result_rule

    item = next(i for i in load_year(2567).items if i.code == "O13")
    monitor = monitoring_member(engine, clock, home.office)
    report = walk(engine, ctx, home.office, monitor, ReportRound.ANNUAL, ReportState.POSTED,
                  year=item.fiscal_year)  # no renderer, no plan in force: no papers, figures
    with Session(engine) as session:
        found = annual_result_rule(session, [home.office.organization_id], item)
    (link,) = found[home.office.organization_id].links
    assert link == f"/board/reports/{report.id}"
    page = client.get(link)
    assert page.status_code == 200 and "รอบปี" in page.text
    assert "รายงานนี้ประกาศก่อนที่ระบบจะจัดเก็บเอกสารประกาศไว้" in page.text
