"""Memberships on the web (both engines): the admin grants and ends a role on the user's page
(Thai messages beside the field, input kept), and a person holding two roles switches the
role they act in from the header."""
# ruff: noqa: F811 (the fixtures of test_pages.py, imported, are this module's arguments)

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.account import AccountEvent, AccountEventKind
from models.membership import Membership
from tests.factories import Office
from tests.web.test_admin_pages import CODE, saved
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


def test_an_admin_grants_and_ends_a_membership(
    client: TestClient, engine: Engine, office: Office
) -> None:
    sign_in(client, office.admin.username)
    who = office.staff.username
    where = f"/admin/users/{who}"
    token = csrf(client, where)
    form = {"csrf_token": token, "role": "committee", "organization_code": "",
            "starts_on": "", "ends_on": ""}  # fmt: skip
    page = refused_page(client, client.post(f"{where}/memberships", data=form))
    assert 'id="grant-organization_code-error"' in page.text and "ต้องระบุหน่วยงาน" in page.text
    assert re.search(r'<option value="committee" selected>', page.text)  # the input is kept
    wrong = {**form, "organization_code": CODE, "starts_on": "2018-10-02", "ends_on": "2018-10-01"}
    page = refused_page(client, client.post(f"{where}/memberships", data=wrong))
    assert 'id="grant-ends_on-error"' in page.text  # beside the field
    assert "วันสิ้นสุดต้องไม่ก่อนวันเริ่มดำรงบทบาท" in page.text
    assert 'value="2018-10-02"' in page.text
    text = saved(client, client.post(f"{where}/memberships",
                                     data={**form, "organization_code": CODE}),
                 "membership_granted")  # fmt: skip
    assert "มอบบทบาทแล้ว" in text and 'data-testid="memberships"' in text
    with Session(engine) as session:
        rows = session.exec(select(Membership)).all()
        granted = [m for m in rows if m.role == "committee" and m.organization_id is not None
                   and m.user_id == _user_id(session, who)]  # fmt: skip
    assert len(granted) == 1
    end = f"{where}/memberships/{granted[0].id}/end"
    text = saved(client, client.post(end, data={"csrf_token": token, "ends_on": ""}),
                 "membership_ended")  # fmt: skip
    assert "สิ้นสุดบทบาทแล้ว" in text
    with Session(engine) as session:
        kinds = [e.kind for e in session.exec(
            select(AccountEvent).where(AccountEvent.subject_username == who))]  # fmt: skip
    assert kinds[-2:] == [AccountEventKind.MEMBERSHIP_GRANTED, AccountEventKind.MEMBERSHIP_ENDED]


def _user_id(session: Session, username: str) -> int | None:
    from models.organization import User

    return session.exec(select(User.id).where(User.username == username)).one()


def test_a_person_of_two_roles_switches_the_role_in_the_header(
    client: TestClient, engine: Engine, office: Office
) -> None:
    sign_in(client, office.admin.username)
    who = office.staff.username
    token = csrf(client, f"/admin/users/{who}")
    granted = client.post(f"/admin/users/{who}/memberships", data={
        "csrf_token": token, "role": "committee", "organization_code": CODE})  # fmt: skip
    assert granted.status_code == 303
    client.cookies.clear()
    sign_in(client, who)
    page = client.get("/dashboard")
    assert 'data-testid="role-switch"' in page.text
    token = csrf(client, "/dashboard")
    switched = client.post("/session/role", data={"csrf_token": token, "role": "committee",
                                                  "next": "/dashboard"})  # fmt: skip
    assert switched.status_code == 303
    page = client.get("/dashboard")
    assert re.search(r'<option value="committee" selected>', page.text)
    # a role not held is forgotten: the page still shows, in the role the table picks
    client.post("/session/role", data={"csrf_token": token, "role": "executive",
                                       "next": "/dashboard"})  # fmt: skip
    page = client.get("/dashboard")
    assert page.status_code == 200 and 'data-testid="role-switch"' in page.text


def _links(page: str) -> set[str]:
    nav = page.split('<nav aria-label="', 1)[1].split("</nav>", 1)[0]
    return set(re.findall(r'href="(/[^"?]*)"', nav))


def test_the_pages_show_what_the_roles_held_now_may_do(
    client: TestClient, engine: Engine, office: Office
) -> None:
    """An auditor who is also a clerk of the office: with no role chosen the header offers
    both roles' pages (a new plan, the audit pages); chosen, one role's only."""
    sign_in(client, office.admin.username)
    who = office.auditor.username
    granted = client.post(f"/admin/users/{who}/memberships", data={
        "csrf_token": csrf(client, f"/admin/users/{who}"), "role": "staff",
        "organization_code": CODE})  # fmt: skip
    assert granted.status_code == 303
    client.cookies.clear()
    sign_in(client, who)
    both = _links(client.get("/dashboard").text)
    assert {"/plans/new", "/audit/history", "/audit/verify", "/ita"} <= both
    token = csrf(client, "/dashboard")
    for role, shown, hidden in (("auditor", "/audit/history", "/plans/new"),
                                ("staff", "/plans/new", "/audit/history")):
        client.post("/session/role", data={"csrf_token": token, "role": role,
                                           "next": "/dashboard"})  # fmt: skip
        links = _links(client.get("/dashboard").text)
        assert shown in links and hidden not in links, (role, links)
