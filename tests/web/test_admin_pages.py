"""The admin pages in process (TestClient, both engines), on the world of test_pages.py: the
outbox with its retry, editing a user, deactivating, setting a password, an office's
settings and emblem, its contacts, the built-in holidays. Every save answers 303 back to its
page with a confirmation; every refusal comes back beside its field with the input kept."""
# ruff: noqa: F811 (the fixtures of test_pages.py, imported, are this module's arguments)

from __future__ import annotations

import io
import re
import socket
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.account import AccountEvent, AccountEventKind
from models.alert import Channel, Delivery, LineContact
from models.clock import FixedClock
from models.document import OrganizationChange
from models.enums import Action, OutboxStatus, ReportRound
from models.organization import User
from notifications.channels.email import SmtpSettings
from notifications.contacts import set_email
from notifications.outbox import DeliveryPolicy, pump
from notifications.senders import build_senders
from tests.factories import Office
from tests.report_factories import act, monitoring_member, new_report
from tests.web.test_pages import (  # noqa: F401 (fixtures)
    client,
    clock,
    csrf,
    db_url,
    office,
    plans,
    refused_page,
    sign_in,
    world,
)
from workflow import uow
from workflow.commands import Context

CODE = "6660603"


def saved(client: TestClient, response: Any, key: str) -> str:
    """A save: 303 to its page with ?saved=<key>, where the confirmation shows."""
    assert response.status_code == 303, response.text[:300]
    location = response.headers["location"]
    assert location.endswith(f"?saved={key}"), location
    page = client.get(location)
    assert page.status_code == 200 and 'data-testid="saved"' in page.text
    return str(page.text)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_outbox_page_lists_failed_deliveries_and_retries_one(
    client: TestClient, engine: Engine, clock: FixedClock, office: Office
) -> None:
    uow.run(engine, clock, lambda s: set_email(
        s, username=office.committee.username, email="committee@laemrang.example", clock=clock
    ))
    smtp = SmtpSettings(host="127.0.0.1", port=closed_port(), starttls=False, sender="lp@x.th")
    senders = build_senders(engine, clock, smtp=smtp)
    pump(engine, clock, senders=senders, policy=DeliveryPolicy(max_attempts=1), owner="t")
    with Session(engine) as session:
        failed = session.exec(select(Delivery).where(Delivery.status == OutboxStatus.FAILED)).all()
    assert failed and all(d.channel == Channel.EMAIL for d in failed)
    sign_in(client, office.admin.username)
    page = client.get("/admin/outbox", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "committee@laemrang.example" in page.text and "อีเมล" in page.text
    assert re.search(r"\d+ [ก-๙.]+ \d{4} เวลา \d\d:\d\d น\.", page.text)  # Thai local time
    assert f"{len(failed)} รายการ" in page.text
    sent = client.get("/admin/outbox?status=sent")
    assert sent.status_code == 200 and "ในระบบ" in sent.text  # the in-app deliveries
    one = failed[0]
    form = {"csrf_token": csrf(client, "/admin/outbox"), "entry": f"delivery:{one.id}"}
    saved(client, client.post("/admin/outbox/retry", data=form), "retried")
    with Session(engine) as session:
        again = session.get(Delivery, one.id)
        assert again is not None and again.status == OutboxStatus.PENDING
    assert client.get("/admin/outbox?status=bogus").status_code == 400


def test_an_admin_edits_a_user_and_each_change_is_an_account_event(
    client: TestClient, engine: Engine, office: Office
) -> None:
    sign_in(client, office.admin.username)
    who = office.committee.username
    where = f"/admin/users/{who}"
    token = csrf(client, where)
    form = {
        "csrf_token": token,
        "full_name": "นายประสิทธิ์ มั่นคง",
        "role": "executive",
        "organization_code": CODE,
        "scope_province": "",
        "email": "not-an-address",
    }
    page = refused_page(client, client.post(where, data=form))
    assert 'id="edit-user-email-error"' in page.text
    assert 'value="นายประสิทธิ์ มั่นคง"' in page.text  # the input is kept
    page = refused_page(client, client.post(where, data={**form, "organization_code": "",
                                                         "email": ""}))
    assert 'id="edit-user-organization_code-error"' in page.text and "ต้องระบุหน่วยงาน" in page.text
    text = saved(client, client.post(where, data={**form, "email": "p@laemrang.example"}),
                 "user_saved")
    assert "บันทึกข้อมูลผู้ใช้แล้ว" in text and 'value="p@laemrang.example"' in text
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == who)).one()
        kinds = [e.kind for e in session.exec(
            select(AccountEvent).where(AccountEvent.subject_user_id == user.id)
        )]
    assert user.full_name == "นายประสิทธิ์ มั่นคง" and user.role == "executive"
    assert AccountEventKind.NAME_CHANGED in kinds and AccountEventKind.ROLE_CHANGED in kinds


def test_deactivate_needs_a_tick_then_reactivate_and_a_new_password(
    client: TestClient, engine: Engine, office: Office
) -> None:
    sign_in(client, office.admin.username)
    who = office.staff.username
    where = f"/admin/users/{who}"
    token = csrf(client, where)
    page = refused_page(client, client.post(f"{where}/status", data={
        "csrf_token": token, "change": "deactivate"}))
    assert 'id="status-confirm-error"' in page.text
    done = client.post(f"{where}/status", data={
        "csrf_token": token, "change": "deactivate", "confirm": "yes"})
    assert "ถูกระงับ" in saved(client, done, "deactivated")
    saved(client, client.post(f"{where}/status", data={
        "csrf_token": token, "change": "reactivate"}), "reactivated")
    short = refused_page(client, client.post(f"{where}/password", data={
        "csrf_token": token, "new_password": "short"}))
    assert 'id="password-new_password-error"' in short.text and "short" not in re.findall(
        r'value="([^"]*)"', short.text)
    saved(client, client.post(f"{where}/password", data={
        "csrf_token": token, "new_password": "a-new-password-2569"}), "password_set")
    mine = client.post(f"/admin/users/{office.admin.username}/status", data={
        "csrf_token": token, "change": "deactivate", "confirm": "yes"})
    page = refused_page(client, mine)
    assert "ระงับบัญชีของตนเองไม่ได้" in page.text


def test_a_user_added_without_a_password_is_shown_so_and_can_be_given_one(
    client: TestClient, office: Office
) -> None:
    sign_in(client, office.admin.username)
    token = csrf(client, "/admin/users")
    added = client.post("/admin/users", data={
        "csrf_token": token, "username": "new.clerk", "role": "staff",
        "organization_code": CODE, "full_name": "เจ้าหน้าที่ใหม่"})
    assert "ยังไม่มีรหัสผ่าน" in saved(client, added, "user_added")
    saved(client, client.post("/admin/users/new.clerk/password", data={
        "csrf_token": token, "new_password": "first-password-2569"}), "password_set")
    other = TestClient(client.app, follow_redirects=False)
    sign_in(other, "new.clerk", "first-password-2569")


def test_office_settings_and_emblem(client: TestClient, engine: Engine, office: Office) -> None:
    from PIL import Image

    sign_in(client, office.admin.username)
    where = f"/admin/organizations/{CODE}"
    assert where in client.get("/admin/organizations").text
    token = csrf(client, where)
    form = {"csrf_token": token, "full_name": "องค์การบริหารส่วนตำบลแหลมรัง",
            "district": "บึงนาราง", "province": "พิจิตร", "executive_name": "นายสมชาย ใจดี",
            "executive_title": "นายกองค์การบริหารส่วนตำบลแหลมรัง", "website": "laemrang.go.th",
            "posting_places": "บอร์ดหน้าที่ทำการ\nเว็บไซต์"}
    page = refused_page(client, client.post(where, data=form))
    assert 'id="settings-website-error"' in page.text and 'value="นายสมชาย ใจดี"' in page.text
    text = saved(client, client.post(where, data={**form, "website": "https://laemrang.go.th"}),
                 "settings_saved")
    assert "บอร์ดหน้าที่ทำการ\nเว็บไซต์" in text
    with Session(engine) as session:
        assert len(session.exec(select(OrganizationChange)).all()) == 1
    bad = client.post(f"{where}/emblem", data={"csrf_token": token, "change": "upload"},
                      files={"emblem": ("e.svg", b"<svg/>", "image/svg+xml")})
    assert "PNG หรือ JPEG" in refused_page(client, bad).text
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buffer, "JPEG")
    up = client.post(f"{where}/emblem", data={"csrf_token": token, "change": "upload"},
                     files={"emblem": ("e.jpg", buffer.getvalue(), "image/jpeg")})
    assert 'data-testid="emblem-now"' in saved(client, up, "emblem_saved")
    image = client.get(f"{where}/emblem.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    gone = client.post(f"{where}/emblem", data={"csrf_token": token, "change": "remove"})
    assert 'data-testid="no-emblem"' in saved(client, gone, "emblem_removed")


def test_office_contacts_email_and_line(
    client: TestClient, engine: Engine, clock: FixedClock, office: Office
) -> None:
    with Session(engine) as session:
        for line_id, kind in (("U" + "a" * 32, "user"), ("C" + "b" * 32, "group")):
            session.add(LineContact(line_id=line_id, kind=kind, last_event="follow",
                                    first_seen_at=clock.now(), last_seen_at=clock.now()))
        session.commit()
    sign_in(client, office.admin.username)
    where = f"/admin/organizations/{CODE}/contacts"
    token = csrf(client, where)
    who = office.staff.username
    bad = client.post(f"{where}/email", data={"csrf_token": token, "username": who,
                                              "email": "nope", "change": "save"})
    assert f'id="email-{who}-email-error"' in refused_page(client, bad).text
    ok = client.post(f"{where}/email", data={"csrf_token": token, "username": who,
                                             "email": "s@laemrang.example", "change": "save"})
    assert 'value="s@laemrang.example"' in saved(client, ok, "contact_saved")
    linked = client.post(f"{where}/line", data={"csrf_token": token, "line_id": "U" + "a" * 32,
                                                "target": f"user:{who}"})
    saved(client, linked, "contact_saved")
    group = client.post(f"{where}/line", data={"csrf_token": token, "line_id": "C" + "b" * 32,
                                               "target": "office"})
    assert "กลุ่ม LINE ของหน่วยงาน" in saved(client, group, "contact_saved")
    removed = client.post(f"{where}/email", data={"csrf_token": token, "username": who,
                                                  "change": "remove"})
    saved(client, removed, "contact_removed")
    unlink = client.post(f"{where}/line", data={"csrf_token": token, "line_id": "C" + "b" * 32,
                                                "target": ""})
    saved(client, unlink, "contact_removed")
    with Session(engine) as session:
        rows = {c.line_id: c for c in session.exec(select(LineContact))}
    assert rows["U" + "a" * 32].user_id is not None and rows["C" + "b" * 32].organization_id is None
    away = client.post(f"{where}/email", data={"csrf_token": token, "username": "nobody",
                                               "email": "x@y.example", "change": "save"})
    assert away.status_code == 404


def test_the_holiday_page_lists_the_built_in_holidays_of_a_year(
    client: TestClient, office: Office
) -> None:
    sign_in(client, office.admin.username)
    page = client.get("/admin/holidays?year=2561")
    assert page.status_code == 200 and "วันหยุดราชการตามปฏิทิน ปี 2561" in page.text
    assert "23 ต.ค. 2561" in page.text  # an explicit holiday of the test calendar
    assert client.get("/admin/holidays?year=1999").status_code == 400


def test_the_outbox_names_the_report_a_message_and_its_deliveries_are_about(
    client: TestClient, engine: Engine, clock: FixedClock, office: Office, ctx: Context
) -> None:
    monitoring_member(engine, clock, office)  # whom a submitted report is sent to
    report = new_report(engine, ctx, office, ReportRound.HALF, 2562)
    act(engine, ctx, report, Action.SUBMIT, office.staff)
    sign_in(client, office.admin.username)
    waiting = client.get("/admin/outbox?status=pending").text
    link = f'<a href="/reports/{report.id}">รายงานผลการติดตาม รอบหกเดือน'
    assert link in waiting
    pump(engine, clock, senders=build_senders(engine, clock), policy=DeliveryPolicy(), owner="t")
    sent = client.get("/admin/outbox?status=sent").text
    assert sent.count(f'href="/reports/{report.id}"') == 2  # the message and its delivery
