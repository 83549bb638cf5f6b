"""Progress for citizens (docs/domain.md "Public progress"): the JSON and the page of a
posted plan, without signing in, each project with its status, budget used and B.E. as-of
date; a plan not on the board is 404; a photo carried by an entry has a public copy without
its metadata, served from the board, and a PDF is never public."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api.settings import Settings
from models.clock import FixedClock
from models.enums import Role
from tests.api.conftest import Team, problem
from tests.report_world import build_world
from workflow.audit import verify
from workflow.commands import Context
from workflow.evidence_gc import sweep

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, evidence_dir=str(tmp_path / "evidence"))


def _photo() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "ACME camera"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_posted_plans_progress_is_public(
    client: TestClient, engine: Engine, ctx: Context, clock: FixedClock, home: Team,
    settings: Settings,
) -> None:  # fmt: skip
    plan_id, content = build_world(engine, ctx, clock, home.office, posted=True)
    item = content.projects[21]  # no entry yet
    photo = _photo()
    sent = client.post(
        f"/api/v1/plans/{plan_id}/progress/with-files",
        data={"item_id": item.id, "status": "in_progress", "committed_baht": "1000",
              "started_on": "1/5/2562", "as_of": "31/05/2562"},
        files=[("file", ("site.jpg", photo, "image/jpeg")),
               ("file", ("contract.pdf", PDF, "application/pdf"))],
        headers=home.headers(Role.STAFF),
    )  # fmt: skip
    assert sent.status_code == 201, sent.text
    got = client.get(f"/api/v1/public/plans/{plan_id}/progress")
    assert got.status_code == 200, got.text
    body = got.json()
    assert (body["fiscal_year_be"], body["as_of"], body["overall"]["items"]) == (
        2562, "2019-06-01", 61)  # fmt: skip
    shown = body["projects"][21]
    assert (shown["status"], shown["committed_baht"], shown["entry_as_of"]) == (
        "in_progress", "1000.00", "2019-05-31")  # fmt: skip
    assert "note" not in shown and len(shown["files"]) == 1  # the photo, not the PDF
    copy = client.get(shown["files"][0]["url"])
    assert copy.status_code == 200 and copy.headers["content-type"] == "image/jpeg"
    assert b"ACME" in photo and b"ACME" not in copy.content  # no EXIF in the public copy
    assert body["projects"][0]["status_th"] == "แล้วเสร็จ"
    page = client.get(f"/board/plans/{plan_id}/progress")
    assert page.status_code == 200
    assert "ข้อมูล ณ วันที่ วันเสาร์ที่ 1 มิถุนายน 2562" in page.text
    assert 'data-label="สถานะ"' in page.text and "31 พ.ค. 2562" in page.text
    assert shown["files"][0]["url"] in page.text
    secret = shown["files"][0]["url"].rsplit("/", 1)[0] + "/" + "0" * 64
    assert client.get(secret).status_code == 404
    with Session(engine) as session:  # audit verify checks the public copy too
        report = verify(session, store=settings.evidence_store())
    assert report.breaks == [] and report.evidence_files_checked >= 3
    with Session(engine) as session:  # the cleanup keeps what progress entries name
        swept = sweep(session, store=settings.evidence_store(), now=clock.now() + timedelta(days=9),
                      grace=timedelta(0))  # fmt: skip
    assert swept.removed == () and swept.kept == 3  # the photo, its public copy, the PDF
    assert client.get(shown["files"][0]["url"]).status_code == 200


def test_a_plan_not_on_the_board_has_no_public_progress(
    client: TestClient, engine: Engine, ctx: Context, clock: FixedClock, home: Team
) -> None:
    plan_id, _ = build_world(engine, ctx, clock, home.office)  # announced, not posted
    body = problem(client.get(f"/api/v1/public/plans/{plan_id}/progress"), 404, "not_found")
    assert body["reasons"][0]["code"] == "progress_not_public"
    assert client.get(f"/board/plans/{plan_id}/progress").status_code == 404
    problem(client.get("/api/v1/public/plans/999/progress"), 404, "not_found")
