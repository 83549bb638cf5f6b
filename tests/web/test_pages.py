"""The pages in process (TestClient, lifespan on), on both engines: a crawl of every link each
role sees, forms that keep their input and show the reasons next to the field, sign-in
failures and limits, session expiry, the alerts inbox, the holiday preview, auditor paging.

The world (an office, two plans, passwords) is built once per engine; each test signs in on
a copy of its own."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.app import create_app
from api.settings import Settings
from api.web import pages_audit
from models.calendar import CalendarChange
from models.clock import FixedClock, bangkok_noon
from models.enums import PlanKind, PlanState, Role
from notifications import inbox
from notifications.outbox import DeliveryPolicy, pump
from notifications.senders import build_senders
from tests.conftest import HOLIDAYS_2018
from tests.databases import ENGINES, Frozen, freeze
from tests.factories import Office, create, make_office, new_annual
from tests.helpers import tick, walk
from workflow import uow
from workflow.account_admin import set_password
from workflow.calendar import WorkingCalendar
from workflow.commands import Context
from workflow.policy import WorkflowPolicy

PASSWORD = "web-password-2562"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HREF = re.compile(r'href="([^"]+)"')
ROLES = (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN)


def refused_page(client: TestClient, response: Any) -> Any:
    """A refused post's page: a 303 back to the form's page (post/redirect/get), which shows
    the refused form with its messages once; a refresh shows the page without it."""
    assert response.status_code == 303, response.text[:300]
    location = response.headers["location"]
    assert "saved" not in location, location
    page = client.get(location)
    assert page.status_code == 200
    return page


@dataclass(frozen=True)
class Pages:
    """The module's world: an office, a draft annual plan and a posted supplementary plan;
    every person has a password. `now` is where seeding left the clock."""

    office: Office
    plans: tuple[int, int]
    now: datetime


def seed_pages(engine: Engine) -> Pages:
    clock = FixedClock(bangkok_noon(date(2018, 9, 21)))
    ctx = Context(WorkflowPolicy(), clock, WorkingCalendar.from_days(HOLIDAYS_2018))
    office = make_office(engine, clock, "6660603")
    draft = create(engine, ctx, new_annual(office), office.staff)
    posted = walk(engine, ctx, office, PlanKind.SUPPLEMENTARY, PlanState.POSTED)
    for role in ROLES:
        username = office.by_role(role).username
        uow.run(
            engine,
            clock,
            lambda s, u=username: set_password(s, clock=clock, username=u, password=PASSWORD),
        )
    assert draft.id is not None and posted.id is not None
    return Pages(office, (draft.id, posted.id), clock.now())


@pytest.fixture(scope="module", params=ENGINES)
def world(request: pytest.FixtureRequest) -> Iterator[tuple[Frozen, Pages]]:
    """Built once per engine (argon2 hashes and a walk cost seconds); each test has a copy."""
    database, pages, drop = freeze(request.param, seed_pages)
    yield database, pages
    drop()


@pytest.fixture
def db_url(world: tuple[Frozen, Pages]) -> Iterator[str]:
    """This test's own copy of the world (in place of conftest's empty database)."""
    url, drop = world[0].copy()
    yield url
    drop()


@pytest.fixture
def clock(world: tuple[Frozen, Pages]) -> FixedClock:
    return FixedClock(world[1].now)


@pytest.fixture
def office(world: tuple[Frozen, Pages]) -> Office:
    return world[1].office


@pytest.fixture
def plans(world: tuple[Frozen, Pages]) -> tuple[int, int]:
    return world[1].plans


@pytest.fixture
def client(
    db_url: str, engine: Engine, clock: FixedClock, calendar: WorkingCalendar
) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=db_url), engine=engine, clock=clock, calendar=calendar)
    with TestClient(app, follow_redirects=False) as c:
        yield c


def csrf(client: TestClient, path: str = "/signin") -> str:
    found = CSRF.search(client.get(path).text)
    assert found is not None
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    data = {"csrf_token": csrf(client), "username": username, "password": password}
    response = client.post("/signin", data=data)
    assert response.status_code == 303, response.text


def crawl(client: TestClient, start: str) -> dict[str, int]:
    """Every same-site link reachable from `start` (not the language switch or static files)."""
    seen: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < 200:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path, follow_redirects=True)
        seen[path] = response.status_code
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        for raw in HREF.findall(response.text):
            href = html.unescape(raw).split("#")[0]
            if href.startswith("/") and not href.startswith(("/lang/", "/static/")):
                queue.append(href)
    return seen


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_role_sees_renders(
    client: TestClient, office: Office, plans: tuple[int, int], role: Role, lang: str
) -> None:
    client.cookies.set("localplan_lang", lang)
    sign_in(client, office.by_role(role).username)
    seen = crawl(client, "/dashboard")
    assert len(seen) >= 4
    assert {p: s for p, s in seen.items() if s != 200} == {}
    if role in (Role.STAFF, Role.AUDITOR):
        assert f"/plans/{plans[0]}" in seen
    if role is Role.AUDITOR:
        assert {"/audit/history", "/audit/compliance", "/audit/verify"} <= set(seen)
    if role is Role.ADMIN:
        assert {"/admin/users", "/admin/holidays"} <= set(seen)


def test_the_public_crawl_and_the_notice_pages(client: TestClient, plans: tuple[int, int]) -> None:
    draft, posted = plans
    seen = crawl(client, "/notices")
    assert seen[f"/notices/{posted}"] == 200
    assert client.get(f"/notices/{draft}").status_code == 404
    assert client.get("/dashboard").headers["location"] == "/signin?next=%2Fdashboard"
    assert client.get("/static/style.css").status_code == 200
    assert "/dashboard" not in client.get("/openapi.json").text


def test_a_refused_action_keeps_the_input_and_says_why_next_to_the_field(
    client: TestClient, office: Office, plans: tuple[int, int]
) -> None:
    draft, _ = plans
    sign_in(client, office.staff.username)
    token = csrf(client, f"/plans/{draft}")
    form = {
        "csrf_token": token,
        "expected_version": "1",
        "effective_on": "2018-12-01",  # after today (the fixed clock): refused
        "comment": "ส่งให้คณะกรรมการพิจารณา",
    }
    response = refused_page(client, client.post(f"/plans/{draft}/actions/submit", data=form))
    field = re.search(r'id="action-submit-effective_on-error">(.*?)</ul>', response.text, re.S)
    assert field is not None and "เป็นวันในอนาคต" in field.group(1)
    assert 'value="2018-12-01"' in response.text
    assert "ส่งให้คณะกรรมการพิจารณา</textarea>" in response.text

    stale = refused_page(client, client.post(
        f"/plans/{draft}/actions/submit",
        data={**form, "effective_on": "2018-09-21", "expected_version": "0"},
    ))
    assert 'role="alert"' in stale.text and "มีผู้ดำเนินการก่อนแล้ว" in stale.text
    assert "ส่งให้คณะกรรมการพิจารณา</textarea>" in stale.text
    again = client.get(f"/plans/{draft}").text  # read once: a refresh shows the plan alone
    assert "มีผู้ดำเนินการก่อนแล้ว" not in again

    client.cookies.clear()
    sign_in(client, office.executive.username)
    page = client.get(f"/plans/{draft}").text
    assert "การดำเนินการที่ถูกปฏิเสธ" in page and "เป็นวันในอนาคต" in page


def test_sign_in_failures_are_limited_and_sessions_expire(
    client: TestClient, office: Office, plans: tuple[int, int], clock: FixedClock
) -> None:
    username = office.staff.username
    data = {"csrf_token": csrf(client), "username": username, "password": "wrong-password"}
    wrong = client.post("/signin", data=data)
    assert wrong.status_code == 401
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in wrong.text
    assert f'value="{username}"' in wrong.text
    answers = [client.post("/signin", data=data) for _ in range(5)]
    assert answers[-1].status_code == 429
    assert answers[-1].headers["retry-after"] == str(15 * 60)  # the time left, not a constant
    clock.advance(timedelta(hours=1))
    outside = client.post("/signin", data={**data, "next": "https://evil.example/"})
    assert outside.status_code == 401
    sign_in(client, username)
    assert client.get("/dashboard").status_code == 200
    clock.advance(timedelta(hours=9))  # past login_token_minutes (480)
    assert client.get("/dashboard").status_code == 303


def test_sign_in_redirects_only_to_local_paths(
    client: TestClient, office: Office, plans: tuple[int, int]
) -> None:
    for target, expected in (
        ("https://evil.example/x", "/dashboard"),
        ("//evil", "/dashboard"),
        ("/alerts", "/alerts"),
    ):
        client.cookies.clear()
        data = {
            "csrf_token": csrf(client),
            "username": office.staff.username,
            "password": PASSWORD,
            "next": target,
        }
        assert client.post("/signin", data=data).headers["location"] == expected


def test_alerts_inbox_counts_unread_and_marks_read(
    client: TestClient, engine: Engine, office: Office, plans: tuple[int, int], clock: FixedClock
) -> None:
    """The in-app channel's real delivery writes the alerts the inbox shows."""
    senders = build_senders(engine, clock)
    report = pump(engine, clock, senders=senders, policy=DeliveryPolicy(), owner="test")
    assert report.sent > 0
    with Session(engine) as session:
        unread = inbox.count_unread(session, user_id=office.staff.user_id or 0)
    assert unread > 0
    sign_in(client, office.staff.username)
    page = client.get("/alerts").text
    assert f'class="badge" aria-label="{unread} ยังไม่อ่าน"' in page
    first = re.search(r'name="ids" value="(\d+)"', page)
    assert first is not None
    client.post("/alerts/read", data={"csrf_token": csrf(client, "/alerts"), "ids": first.group(1)})
    assert f'aria-label="{unread - 1} ยังไม่อ่าน"' in client.get("/alerts").text or unread == 1
    client.post("/alerts/read", data={"csrf_token": csrf(client, "/alerts")})
    assert 'class="badge"' not in client.get("/alerts").text


def test_holiday_preview_shows_what_moves_and_changes_nothing_until_confirmed(
    client: TestClient, engine: Engine, office: Office, plans: tuple[int, int]
) -> None:
    sign_in(client, office.admin.username)
    form = {
        "csrf_token": csrf(client, "/admin/holidays"),
        "day": "2018-10-19",  # the last working day before the draft's due date (Sat 20 Oct)
        "change": "add",
        "name": "วันหยุดพิเศษ",
        "source": "มติคณะรัฐมนตรี",
    }
    preview = client.post("/admin/holidays/preview", data=form)
    assert preview.status_code == 200
    assert f"#{plans[0]}" in preview.text and "18 ต.ค. 2561" in preview.text
    with Session(engine) as session:
        assert session.exec(select(CalendarChange)).first() is None
    assert client.post("/admin/holidays", data=form).status_code == 303
    with Session(engine) as session:
        change = session.exec(select(CalendarChange)).one()
    assert any(m["plan_id"] == plans[0] for m in change.moved)
    missing = client.post("/admin/holidays/preview", data={**form, "name": ""})
    assert missing.status_code == 422 and 'id="holiday-name-error"' in missing.text


def test_auditor_history_pages_and_csv(
    client: TestClient, office: Office, plans: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages_audit, "PAGE_SIZE", 2)
    sign_in(client, office.auditor.username)
    first = client.get("/audit/history")
    assert first.status_code == 200
    more = re.search(r'href="(/audit/history\?after=\d+)" rel="next"', first.text)
    assert more is not None
    second = client.get(html.unescape(more.group(1)))
    assert second.status_code == 200 and "หน้าแรก" in second.text
    export = client.get("/audit/history.csv")
    assert export.headers["content-type"].startswith("text/csv")
    assert len(export.text.strip().splitlines()) == 1 + 1 + 5  # header, draft create, posted x5
    table = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    first_row = table[0]  # Thai headers, Thai labels beside the codes, the plan's title
    assert first_row["การดำเนินการ"] == "สร้างแผน"
    assert first_row["รหัสการดำเนินการ (action)"] == "create"
    assert first_row["ชื่อแผน (plan_title)"]
    local = first_row["เวลาที่บันทึก (เวลาประเทศไทย)"]
    assert re.fullmatch(r"\d{1,2} \S+ 25\d\d เวลา \d\d:\d\d น\.", local), local
    assert first_row["เวลาที่บันทึก ISO UTC (recorded_at)"].endswith("Z")
    assert first_row["เวลาที่บันทึก ISO เวลาไทย"].endswith("+07:00")
    reversed_range = client.get("/audit/history?date_from=01/10/2561&date_to=01/09/2561")
    assert reversed_range.status_code == 422 and "อยู่ก่อนวันที่เริ่ม" in reversed_range.text
    assert 'inputmode="numeric"' in client.get("/audit/history").text
    checked = re.search(r'data-testid="checked-at">([^<]+)<', client.get("/audit/verify").text)
    assert checked is not None and checked.group(1).endswith(" น.")  # when it checked
    for query in ("organization=ทดสอบ", "province=จ.พิจิตร", "province=จังหวัดพิจิตร"):
        found = client.get(f"/audit/history.csv?{query}")  # a part of the name; as written
        assert len(found.text.strip().splitlines()) == 1 + 1 + 5, query
    assert len(client.get("/audit/history.csv?organization=ไม่มี").text.strip().splitlines()) == 1
    bad = client.get("/audit/history?fiscal_year=25x2")
    assert bad.status_code == 422 and 'id="q-fiscal_year-error"' in bad.text
    assert client.get("/audit/history.csv?date_from=nope").status_code == 422


def test_staff_cannot_open_auditor_or_admin_pages(
    client: TestClient, office: Office, plans: tuple[int, int]
) -> None:
    sign_in(client, office.staff.username)
    assert client.get("/audit/history").status_code == 403
    assert client.get("/admin/users").status_code == 403
    assert client.get("/plans/abc").status_code == 404


def test_new_plan_form_creates_a_draft(
    client: TestClient, office: Office, plans: tuple[int, int], clock: FixedClock
) -> None:
    tick(clock, 0)
    sign_in(client, office.staff.username)
    data = {
        "csrf_token": csrf(client, "/plans/new"),
        "kind": "supplementary",
        "title": "แผนการดำเนินงานเพิ่มเติม ครั้งที่ 2",
        "fiscal_year_be": "2562",
        "trigger_kind": "accumulated_funds",
        "trigger_on": date(2018, 9, 21).isoformat(),
        "effective_on": "",
    }
    created = client.post("/plans/new", data=data)
    assert created.status_code == 303
    page = client.get(created.headers["location"]).text
    assert "แผนการดำเนินงานเพิ่มเติม ครั้งที่ 2" in page and "ร่าง" in page
    refused = refused_page(client, client.post(
        "/plans/new", data={**data, "trigger_on": "2018-09-30", "budget_baht": "x"}
    ))
    assert 'id="create-budget_baht-error"' in refused.text


def test_the_executive_extends_the_preparation_deadline(
    client: TestClient, office: Office, plans: tuple[int, int]
) -> None:
    draft, _ = plans
    sign_in(client, office.executive.username)
    page = client.get(f"/plans/{draft}").text
    assert 'id="extend-preparation"' in page
    form = {
        "csrf_token": csrf(client, f"/plans/{draft}"),
        "expected_version": "1",
        "new_due_on": "2018-10-01",  # before the due date (20 Oct): refused
        "comment": "รองบประมาณเพิ่มเติม",
        "effective_on": "2018-09-21",
    }
    refused = refused_page(
        client, client.post(f"/plans/{draft}/deadlines/preparation/extend", data=form)
    )
    assert 'id="extend-preparation-new_due_on-error"' in refused.text
    assert "รองบประมาณเพิ่มเติม</textarea>" in refused.text
    done = client.post(
        f"/plans/{draft}/deadlines/preparation/extend", data={**form, "new_due_on": "2018-11-05"}
    )
    assert done.status_code == 303
    page = client.get(f"/plans/{draft}").text
    assert "5 พ.ย. 2561" in page and "ขยายเวลาแล้ว" in page and "รองบประมาณเพิ่มเติม" in page


def test_the_session_cookie_is_secure_over_https(
    db_url: str,
    engine: Engine,
    clock: FixedClock,
    calendar: WorkingCalendar,
    office: Office,
    plans: tuple[int, int],
) -> None:
    app = create_app(Settings(database_url=db_url), engine=engine, clock=clock, calendar=calendar)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as secure:
        data = {
            "csrf_token": csrf(secure),
            "username": office.staff.username,
            "password": PASSWORD,
        }
        response = secure.post("/signin", data=data)
        cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
        session_cookie = next(c for c in cookies if c.startswith("localplan_session="))
        assert "Secure" in session_cookie and "HttpOnly" in session_cookie


def test_a_flood_of_actions_on_plans_not_found_ends_in_429_with_the_time_left(
    client: TestClient, office: Office, plans: tuple[int, int]
) -> None:
    """The web form counts like the API (docs/operations.md "Commands on plans outside one's
    scope"): 404 pages, then the 429 page saying how long to wait."""
    sign_in(client, office.staff.username)
    data = {"csrf_token": csrf(client, "/dashboard"), "expected_version": "1"}
    data["effective_on"] = "2018-10-01"  # a complete form: the command runs, and is counted
    answers = [client.post("/plans/987654/actions/submit", data=data) for _ in range(21)]
    assert {a.status_code for a in answers[:20]} == {404}
    assert answers[-1].status_code == 429
    assert answers[-1].headers["retry-after"] == str(15 * 60)
    assert "text/html" in answers[-1].headers["content-type"]
