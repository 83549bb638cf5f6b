"""The monitoring reports' pages in process (TestClient, both engines; docs/operations.md
"Monitoring reports"): the list and its filters, a draft refused beside its field with the
input kept, every action by its role through the page's forms (the committee's findings
refused when missing, a stale version, an invalid move in Thai), the figures as PDF and
.xlsx, a person of two roles acting in the chosen one, the auditor's list and read-only page,
and another organization's person answered 404.

The world (the plan in force of tests/report_world.py with its progress, a second office in
another province, passwords) is built once per engine; each test works on a copy."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api.app import create_app
from api.settings import Settings
from models.clock import FixedClock, bangkok_noon
from models.enums import Role
from tests.conftest import HOLIDAYS_2018
from tests.databases import ENGINES, Frozen, freeze
from tests.factories import Office, make_office
from tests.report_factories import monitoring_member
from tests.web.test_pages import csrf, refused_page, sign_in
from workflow import uow
from workflow.account_admin import set_password
from workflow.accounts import add_user
from workflow.calendar import WorkingCalendar
from workflow.commands import Context
from workflow.memberships import grant_membership
from workflow.policy import WorkflowPolicy

PASSWORD = "web-password-2562"
HOME, AWAY = "6660603", "6650101"
FINDINGS = "ผลการติดตาม: โครงการแล้วเสร็จ 21 โครงการ"
ADVICE = "ควรเร่งรัดการเบิกจ่ายในไตรมาสที่สาม"


@dataclass(frozen=True)
class World:
    office: Office
    away: Office
    monitor: str
    clerk: str  # staff who also sits on the monitoring committee
    now: datetime


def seed(engine: Engine) -> World:
    from tests.report_world import build_world

    clock = FixedClock(bangkok_noon(date(2018, 9, 21)))
    ctx = Context(WorkflowPolicy(), clock, WorkingCalendar.from_days(HOLIDAYS_2018))
    office = make_office(engine, clock, HOME)
    away = make_office(engine, clock, AWAY, province="พิษณุโลก")
    build_world(engine, ctx, clock, office)
    monitor = monitoring_member(engine, clock, office).username

    def people(s: Session) -> str:
        from models.organization import Organization

        org = s.get(Organization, office.organization_id)
        clerk = add_user(s, clock=clock, username=f"clerk-{HOME}", role=Role.STAFF,
                         organization=org).username
        grant_membership(s, actor=office.admin, clock=clock, username=clerk,
                         role=Role.MONITORING_COMMITTEE, organization_code=HOME)
        names = [office.by_role(r).username for r in (Role.STAFF, Role.COMMITTEE,
                                                      Role.EXECUTIVE, Role.AUDITOR)]
        for name in [*names, monitor, clerk, away.staff.username]:
            set_password(s, clock=clock, username=name, password=PASSWORD)
        return clerk

    clerk = uow.run(engine, clock, people)
    return World(office, away, monitor, clerk, clock.now())


@pytest.fixture(scope="module", params=ENGINES)
def world(request: pytest.FixtureRequest) -> Iterator[tuple[Frozen, World]]:
    database, made, drop = freeze(request.param, seed)
    yield database, made
    drop()


@pytest.fixture
def db_url(world: tuple[Frozen, World]) -> Iterator[str]:
    url, drop = world[0].copy()
    yield url
    drop()


@pytest.fixture
def w(world: tuple[Frozen, World]) -> World:
    return world[1]


@pytest.fixture
def clock(w: World) -> FixedClock:
    return FixedClock(w.now)


@pytest.fixture
def client(db_url: str, engine: Engine, clock: FixedClock,
           calendar: WorkingCalendar) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=db_url), engine=engine, clock=clock, calendar=calendar)
    with TestClient(app, follow_redirects=False) as c:
        yield c


def as_person(client: TestClient, username: str) -> None:
    client.cookies.clear()
    sign_in(client, username, PASSWORD)


def draft(client: TestClient, year: str = "2562", round_: str = "half") -> int:
    token = csrf(client, "/reports")
    made = client.post("/reports", data={"csrf_token": token, "fiscal_year_be": year,
                                         "round": round_})
    assert made.status_code == 303, made.text[:500]
    found = re.fullmatch(r"/reports/(\d+)\?saved=1", made.headers["location"])
    assert found, made.headers["location"]
    return int(found.group(1))


def version(client: TestClient, rid: int) -> str:
    page = client.get(f"/reports/{rid}").text
    found = re.search(r'name="expected_version" value="(\d+)"', page)
    assert found, page[:2000]
    return found.group(1)


def act(client: TestClient, rid: int, action: str, *, seen: str | None = None,
        **fields: str) -> Any:
    """Post the page's form of the action, with the version the page shows."""
    page = client.get(f"/reports/{rid}").text
    assert f'id="action-{action}"' in page, page[page.find("<main"):][:3000]  # not offered
    token = csrf(client, f"/reports/{rid}")
    data = {"csrf_token": token, "expected_version": seen or version(client, rid),
            "effective_on": fields.pop("effective_on", ""), **fields}
    if not data["effective_on"]:
        data["effective_on"] = re.findall(r'name="effective_on" [^>]*value="([^"]*)"',
                                          page)[0]
    return client.post(f"/reports/{rid}/actions/{action}", data=data)


def done(response: Any, rid: int) -> None:
    assert response.status_code == 303, response.text[:800]
    assert response.headers["location"] == f"/reports/{rid}?saved=1"


def field_error(page: str, form: str, field: str) -> str:
    found = re.search(rf'id="{form}-{field}-error">(.*?)</ul>', page, re.S)
    assert found, f"no message beside {form} {field}"
    return found.group(1)


def test_the_list_and_a_draft_refused_beside_its_field(client: TestClient, w: World) -> None:
    as_person(client, w.office.staff.username)
    page = client.get("/reports")
    assert page.status_code == 200 and 'id="new-report"' in page.text
    assert 'href="/reports"' in page.text  # the header's link
    assert 'data-testid="no-reports"' in page.text
    token = csrf(client, "/reports")
    bad = refused_page(client, client.post("/reports", data={
        "csrf_token": token, "fiscal_year_be": "25x2", "round": "half"}))
    assert "ปีงบประมาณต้องเป็นปี พ.ศ." in field_error(bad.text, "new-report", "fiscal_year_be")
    assert 'value="25x2"' in bad.text  # the input kept
    rid = draft(client)
    shown = client.get(f"/reports/{rid}?saved=1").text
    assert "บันทึกแล้ว" in shown and "ร่าง" in shown and 'data-testid="plan-link"' in shown
    again = refused_page(client, client.post("/reports", data={
        "csrf_token": token, "fiscal_year_be": "2562", "round": "half"}))
    assert "มีรายงานของปีงบประมาณและรอบนี้อยู่แล้ว" in field_error(
        again.text, "new-report", "fiscal_year_be")
    assert 'value="2562"' in again.text and '<option value="half" selected>' in again.text
    listed = client.get("/reports").text
    assert f'href="/reports/{rid}"' in listed and "รอบหกเดือน (ตุลาคม–มีนาคม)" in listed
    assert f'href="/reports/{rid}"' not in client.get("/reports?round=annual").text
    assert f'href="/reports/{rid}"' in client.get("/reports?state=draft&fiscal_year=2562").text
    wrong = client.get("/reports?state=nonsense").text
    assert "ไม่มีตัวเลือกนี้" in field_error(wrong, "filters", "state")
    for role in (Role.COMMITTEE, Role.EXECUTIVE):  # they read it, and draft nothing
        as_person(client, w.office.by_role(role).username)
        listed = client.get("/reports").text
        assert f'href="/reports/{rid}"' in listed and 'id="new-report"' not in listed


def test_a_report_walked_through_every_form(client: TestClient, w: World,
                                            clock: FixedClock) -> None:
    staff, executive = w.office.staff.username, w.office.executive.username
    as_person(client, staff)
    rid = draft(client)
    done(act(client, rid, "submit"), rid)
    as_person(client, w.monitor)
    refused = refused_page(client, act(client, rid, "approve", findings="   ",
                                       recommendations=ADVICE))
    assert "ต้องระบุผลการติดตามและประเมินผล" in field_error(refused.text, "action-approve",
                                                          "findings")
    assert ADVICE in refused.text  # the recommendations typed are kept
    done(act(client, rid, "approve", findings=FINDINGS, recommendations=ADVICE), rid)
    as_person(client, executive)
    page = client.get(f"/reports/{rid}").text
    assert FINDINGS in page and ADVICE in page
    stale = refused_page(client, act(client, rid, "present", seen="1"))
    assert "มีผู้ดำเนินการก่อนแล้ว" in stale.text and 'id="stale"' in stale.text
    clock.set(bangkok_noon(date(2019, 6, 5)))
    as_person(client, executive)  # the session outlived by the days passed
    done(act(client, rid, "present", effective_on="03/06/2562"), rid)  # the day presented
    page = client.get(f"/reports/{rid}").text
    assert "3 มิ.ย. 2562" in page and 'id="deadline-report_announcement"' in page
    done(act(client, rid, "announce", confirm="yes"), rid)
    # the present form posted again: the report has moved on, said in Thai
    token = csrf(client, f"/reports/{rid}")
    moved = refused_page(client, client.post(f"/reports/{rid}/actions/present", data={
        "csrf_token": token, "expected_version": "5", "effective_on": "05/06/2562"}))
    assert "จากสถานะ «ประกาศผลแล้ว»" in moved.text
    as_person(client, staff)
    done(act(client, rid, "post", places="บอร์ดประชาสัมพันธ์ที่ทำการ\nเว็บไซต์"), rid)
    early = refused_page(client, act(client, rid, "complete_posting", confirm="yes"))
    assert 'class="alert"' in early.text
    clock.set(bangkok_noon(date(2019, 7, 15)))
    as_person(client, staff)
    done(act(client, rid, "complete_posting", confirm="yes"), rid)
    page = client.get(f"/reports/{rid}").text
    assert "ครบกำหนดปิดประกาศ" in page
    assert page.count('<li id="record-') == 7
    pdf = client.get(f"/reports/{rid}/figures.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    from documents.pdf_text import extract_text

    assert "ควรเร่งรัดการเบิกจ่าย" in extract_text(pdf.content).replace("\n", "")
    xlsx = client.get(f"/reports/{rid}/figures.xlsx")
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(xlsx.content))["สรุปผล"]["B9"].value == 61


def test_return_and_withdraw_by_their_roles(client: TestClient, w: World) -> None:
    as_person(client, w.office.staff.username)
    rid = draft(client, round_="annual")
    done(act(client, rid, "submit"), rid)
    as_person(client, w.monitor)
    missing = refused_page(client, act(client, rid, "return_for_revision", comment=""))
    assert field_error(missing.text, "action-return_for_revision", "comment")
    done(act(client, rid, "return_for_revision", comment="ตัวเลขยังไม่ครบ"), rid)
    as_person(client, w.office.executive.username)
    unconfirmed = refused_page(client, act(client, rid, "withdraw", comment="จัดทำใหม่"))
    assert field_error(unconfirmed.text, "action-withdraw", "confirm")
    assert "จัดทำใหม่" in unconfirmed.text
    done(act(client, rid, "withdraw", comment="จัดทำใหม่", confirm="yes"), rid)
    page = client.get(f"/reports/{rid}").text
    assert "ยกเลิก" in page and "ตัวเลขยังไม่ครบ" in page and 'id="action-' not in page


def test_a_person_of_two_roles_acts_in_the_chosen_one(client: TestClient, w: World) -> None:
    as_person(client, w.clerk)
    rid = draft(client)
    page = client.get(f"/reports/{rid}").text
    assert 'id="action-submit"' in page  # no role chosen: what either role may do
    done(act(client, rid, "submit"), rid)
    token = csrf(client, "/reports")
    client.post("/session/role", data={"csrf_token": token, "role": "monitoring_committee",
                                       "next": f"/reports/{rid}"})
    page = client.get(f"/reports/{rid}").text
    assert 'id="action-approve"' in page
    done(act(client, rid, "approve", findings=FINDINGS, recommendations=ADVICE), rid)
    page = client.get(f"/reports/{rid}").text
    assert "คณะกรรมการติดตามและประเมินผลแผนพัฒนาท้องถิ่น" in page.split('id="record-3"')[1]
    client.post("/session/role", data={"csrf_token": token, "role": "staff",
                                       "next": "/reports"})
    assert "ไม่มีขั้นตอนที่ต้องทำ" in client.get(f"/reports/{rid}").text


def test_the_auditor_reads_and_another_office_sees_nothing(client: TestClient,
                                                           w: World) -> None:
    as_person(client, w.office.staff.username)
    rid = draft(client)
    as_person(client, w.office.auditor.username)
    listed = client.get("/audit/reports")
    assert listed.status_code == 200 and f'href="/reports/{rid}"' in listed.text
    assert 'href="/audit/reports"' in listed.text  # the header's link
    assert f"อบต.ทดสอบ {HOME}" in listed.text
    assert f'href="/reports/{rid}"' in client.get("/audit/reports?province=จ.พิจิตร").text
    assert f'href="/reports/{rid}"' not in client.get("/audit/reports?province=พิษณุโลก").text
    assert f'href="/reports/{rid}"' in client.get(f"/audit/reports?organization={HOME}").text
    assert f'href="/reports/{rid}"' not in client.get("/audit/reports?round=annual").text
    bad = client.get("/audit/reports?fiscal_year=99")
    assert bad.status_code == 422 and field_error(bad.text, "filters", "fiscal_year")
    page = client.get(f"/reports/{rid}")
    assert page.status_code == 200 and "ท่านดูรายงานนี้ได้อย่างเดียว" in page.text
    assert 'id="action-' not in page.text and 'data-testid="figures-counts"' in page.text
    assert client.get(f"/reports/{rid}/figures.xlsx").status_code == 200
    client.cookies.set("localplan_lang", "en")
    english = client.get(f"/reports/{rid}").text
    assert "6-month round (October–March)" in english and "You may read this report only" in english
    assert "Monitoring reports (scope)" in client.get("/audit/reports").text
    client.cookies.set("localplan_lang", "th")
    as_person(client, w.office.staff.username)
    assert client.get("/audit/reports").status_code == 403
    as_person(client, w.away.staff.username)
    assert client.get(f"/reports/{rid}").status_code == 404
    assert client.get(f"/reports/{rid}/figures.pdf").status_code == 404
    assert f'href="/reports/{rid}"' not in client.get("/reports").text
    token = csrf(client, "/reports")
    posted = client.post(f"/reports/{rid}/actions/submit", data={
        "csrf_token": token, "expected_version": "1", "effective_on": "01/06/2562"})
    assert posted.status_code == 404
