"""The papers over HTTP (docs/api.md "Documents"), rendered for real: an admin sets what the
office's documents print, the executive's deputy announces, the ประกาศ and the plan book are
made once, hashed into the announce record, served byte for byte (also on the public board)
and re-hashed by `audit verify`; a later change of settings changes no announced paper."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import Engine

from api.app import create_app
from api.settings import Settings
from documents.pdf_text import extract
from models.clock import FixedClock
from models.enums import Role
from tests.api.conftest import PLACES, Team, act, annual_body, create_plan, on, problem
from tests.content_factories import project_input
from workflow.calendar import WorkingCalendar

ORG = "องค์การบริหารส่วนตำบลแหลมรัง"
SETTINGS = {
    "full_name": ORG,
    "executive_name": "นายสมชาย ใจดี",
    "executive_title": f"นายก{ORG}",
    "website": "https://laemrang.go.th",
    "posting_places": [f"ป้ายประกาศ ที่ทำการ{ORG}", "ที่ทำการผู้ใหญ่บ้านทุกหมู่บ้าน"],
}
DEPUTY = {"capacity": "acting_for", "name": "นางสาวกำไล น้ำใจ", "position": f"รองนายก{ORG}"}


@pytest.fixture
def app(db_url: str, engine: Engine, clock: FixedClock, calendar: WorkingCalendar) -> FastAPI:
    settings = Settings(
        database_url=db_url, documents_at_announce=True, public_url="https://plan.example.go.th"
    )
    return create_app(settings, engine=engine, clock=clock, calendar=calendar)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response


def squeezed(data: bytes) -> str:
    return "".join("".join(extract(data)).split())


def png(color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 60), color).save(out, format="JPEG")
    return out.getvalue()


def refused(response: Any, status: int, code: str) -> None:
    """A problem+json refusal whose reason has this code."""
    body = problem(response, status, response.json()["code"])
    assert [r["code"] for r in body["reasons"]] == [code], body


def announced_plan(client: TestClient, clock: FixedClock, team: Team) -> int:
    staff = team.headers(Role.STAFF)
    plan_id = create_plan(client, team, annual_body(effective_on=on(clock, date(2018, 9, 21))))
    made = ok(
        client.post(
            f"/api/v1/plans/{plan_id}/strategies",
            json={"expected_revision": 0, "number": 1, "name": "ด้านโครงสร้างพื้นฐาน"},
            headers=staff,
        ),
        201,
    ).json()
    body = {"expected_revision": 1, **project_input(str(made["item_id"]), 1)}
    ok(client.post(f"/api/v1/plans/{plan_id}/projects", json=body, headers=staff), 201)
    ok(act(client, team, Role.STAFF, plan_id, "submit", effective_on=on(clock, date(2018, 10, 1))))
    day = on(clock, date(2018, 10, 8))
    ok(act(client, team, Role.COMMITTEE, plan_id, "approve", effective_on=day))
    day = on(clock, date(2018, 10, 16))
    ok(act(client, team, Role.EXECUTIVE, plan_id, "announce", effective_on=day, signer=DEPUTY))
    return plan_id


def announce_details(engine: Engine, plan_id: int) -> dict[str, Any]:
    with engine.connect() as conn:
        found = conn.execute(
            sa.text(
                "SELECT details FROM transition_record WHERE plan_id = :p AND action = 'announce'"
            ),
            {"p": plan_id},
        ).scalar_one()
    return found if isinstance(found, dict) else __import__("json").loads(found)


def test_settings_are_an_admins_and_recorded(client: TestClient, home: Team) -> None:
    url = f"/api/v1/organizations/{home.code}"
    refused(client.patch(url, json=SETTINGS, headers=home.headers(Role.STAFF)), 403, "admin_only")
    bad = client.patch(url, json={"website": "laemrang.go.th"}, headers=home.headers(Role.ADMIN))
    refused(bad, 422, "invalid_url")
    read = ok(client.patch(url, json=SETTINGS, headers=home.headers(Role.ADMIN))).json()
    assert read["executive_title"] == f"นายก{ORG}" and read["emblem_sha256"] is None
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    emblem = f"{url}/emblem"
    refused(client.put(emblem, content=svg, headers=home.headers(Role.ADMIN)), 422, "invalid_image")
    read = ok(client.put(emblem, content=png(), headers=home.headers(Role.ADMIN))).json()
    assert read["emblem_sha256"] and ok(client.get(url, headers=home.headers(Role.STAFF)))


def test_the_announcement_makes_hashes_and_serves_its_papers(
    client: TestClient, clock: FixedClock, engine: Engine, home: Team
) -> None:
    admin = home.headers(Role.ADMIN)
    ok(client.patch(f"/api/v1/organizations/{home.code}", json=SETTINGS, headers=admin))
    ok(client.put(f"/api/v1/organizations/{home.code}/emblem", content=png(), headers=admin))
    plan_id = announced_plan(client, clock, home)
    details = announce_details(engine, plan_id)
    assert details["signer"] == {**DEPUTY, "for_position": f"นายก{ORG}"}
    staff = home.headers(Role.STAFF)
    notice = ok(client.get(f"/api/v1/plans/{plan_id}/notice.pdf", headers=staff))
    book = ok(client.get(f"/api/v1/plans/{plan_id}/document.pdf", headers=staff))
    assert notice.headers["content-type"] == "application/pdf"
    for kind, response in (("notice_pdf", notice), ("plan_pdf", book)):
        digest = hashlib.sha256(response.content).hexdigest()
        assert (
            details["documents"][kind]["sha256"] == digest == response.headers["x-content-sha256"]
        )
    text = squeezed(notice.content)
    for phrase in (
        f"ประกาศ{ORG}",
        "ประกาศณวันที่16ตุลาคมพ.ศ.2561",
        "(นางสาวกำไลน้ำใจ)",
        f"รองนายก{ORG}ปฏิบัติราชการแทนนายก{ORG}",
        "ที่ทำการผู้ใหญ่บ้านทุกหมู่บ้าน",
        "เว็บไซต์https://laemrang.go.th",
        "https://plan.example.go.th/notices/",
    ):
        assert phrase in text, phrase
    assert "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก" in squeezed(book.content)
    # A later change of executive changes no announced paper.
    later = {"executive_name": "นายคนใหม่ มาแทน", "full_name": "อบต. ชื่อใหม่"}
    ok(client.patch(f"/api/v1/organizations/{home.code}", json=later, headers=admin))
    again = ok(client.get(f"/api/v1/plans/{plan_id}/notice.pdf", headers=staff))
    assert again.content == notice.content
    # On the board, once posted: the same bytes, and their hashes on the page.
    day = on(clock, date(2018, 10, 17))
    ok(act(client, home, Role.STAFF, plan_id, "post", effective_on=day, places=PLACES))
    board = ok(client.get(f"/notices/{plan_id}/notice.pdf"))
    assert board.content == notice.content
    assert ok(client.get(f"/notices/{plan_id}/plan.pdf")).content == book.content
    page = ok(client.get(f"/notices/{plan_id}")).text
    assert details["documents"]["notice_pdf"]["sha256"] in page and "/notices\n" not in page
    assert "ประกาศ ณ วันที่ 16 ตุลาคม พ.ศ. 2561" in page and "(นางสาวกำไล น้ำใจ)" in page
    assert "ปลดประกาศ" not in page  # nothing internal printed


def test_other_offices_and_unannounced_plans_have_no_papers(
    client: TestClient, home: Team, away: Team
) -> None:
    plan_id = create_plan(client, home)
    refused(
        client.get(f"/api/v1/plans/{plan_id}/notice.pdf", headers=home.headers(Role.STAFF)),
        404,
        "notice_not_found",
    )
    refused(
        client.get(f"/api/v1/plans/{plan_id}/notice.pdf", headers=away.headers(Role.STAFF)),
        404,
        "plan_not_found",
    )
    assert client.get(f"/notices/{plan_id}/notice.pdf").status_code == 404
