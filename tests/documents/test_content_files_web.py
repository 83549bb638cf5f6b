"""The draft page's spreadsheet buttons and duplicate flags (docs/domain.md "Spreadsheets",
"Duplicates"): upload a real .xlsx, see the projects and the flags; a bad file shows every
problem in Thai and writes nothing; download the plan."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi.testclient import TestClient

from models.enums import Role
from tests.factories import Office
from tests.web import test_pages as pages

world, db_url, clock, office, plans, client = (
    pages.world, pages.db_url, pages.clock, pages.office, pages.plans, pages.client
)  # fmt: skip
csrf, sign_in = pages.csrf, pages.sign_in
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "pd02-sample.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client: TestClient, plan_id: int, data: bytes) -> object:
    page = f"/plans/{plan_id}/content"
    token = csrf(client, page)
    return client.post(f"{page}/import", data={"csrf_token": token},
                       files={"file": ("plan.xlsx", data, XLSX)})  # fmt: skip


def test_import_then_flags_and_export(client: TestClient, office: Office,
                                      plans: tuple[int, int]) -> None:  # fmt: skip
    draft = plans[0]
    sign_in(client, office.by_role(Role.STAFF).username)
    bad = _upload(client, draft, b"not a spreadsheet")
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "ไม่ใช่ไฟล์ Excel" in html.unescape(bad.text)  # type: ignore[attr-defined]
    done = _upload(client, draft, SAMPLE.read_bytes())
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    page = html.unescape(client.get(f"/plans/{draft}/content").text)
    assert "ก่อสร้างรางระบายน้ำ คสล. ซอยวัดใหม่" in page and 'data-testid="duplicates"' not in page
    again = _upload(client, draft, SAMPLE.read_bytes())  # the same projects: ids kept
    assert again.status_code == 303  # type: ignore[attr-defined]
    exported = client.get(f"/plans/{draft}/content/export.xlsx")
    assert exported.status_code == 200 and exported.headers["content-type"] == XLSX
    assert exported.content.startswith(b"PK")
