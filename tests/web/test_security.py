"""Against the real serve process: CSRF refusals, another organization's session sees the
404 page, the session cookie's flags, and sign-out revoking the session."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx2
import pytest

from tests.web.conftest import AWAY_STAFF, PASSWORD, Server

pytestmark = pytest.mark.slow
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
DEMO_PLAN = 1  # `localplan demo` creates the first plan
TODAY_PLAN = 2  # and its plan of today, waiting for the committee


def token_of(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, html
    return found.group(1)


@pytest.fixture
def clients() -> Iterator[list[httpx2.Client]]:
    opened: list[httpx2.Client] = []
    yield opened
    for client in opened:
        client.close()


def new_client(server: Server, opened: list[httpx2.Client], **kw: object) -> httpx2.Client:
    client = httpx2.Client(base_url=server.base_url, timeout=30, **kw)  # type: ignore[arg-type]
    opened.append(client)
    return client


def signed_in(server: Server, opened: list[httpx2.Client], username: str) -> httpx2.Client:
    client = new_client(server, opened)
    token = token_of(client.get("/signin").text)
    done = client.post(
        "/signin", data={"csrf_token": token, "username": username, "password": PASSWORD}
    )
    assert done.status_code == 303, done.text
    return client


def test_session_cookie_is_httponly_lax_expiring_and_not_secure_over_http(
    server: Server, clients: list[httpx2.Client]
) -> None:
    client = new_client(server, clients)
    token = token_of(client.get("/signin").text)
    done = client.post(
        "/signin",
        data={"csrf_token": token, "username": "laemrang.staff", "password": PASSWORD},
    )
    cookie = next(v for k, v in done.headers.multi_items() if k == "set-cookie" and "session" in v)
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert "Max-Age=" in cookie
    assert "Secure" not in cookie  # plain HTTP on 127.0.0.1; set when the scheme is https


def test_a_form_post_without_its_token_is_refused(
    server: Server, clients: list[httpx2.Client]
) -> None:
    anonymous = new_client(server, clients)
    refused = anonymous.post("/signin", data={"username": "laemrang.staff", "password": PASSWORD})
    assert refused.status_code == 403
    assert "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง" in refused.text

    committee = signed_in(server, clients, "laemrang.committee")
    page = committee.get(f"/plans/{TODAY_PLAN}")
    version = re.search(r'name="expected_version" value="(\d+)"', page.text)
    assert version is not None
    form = {"expected_version": version.group(1), "effective_on": "", "comment": "x"}
    for token in (None, "forged"):
        data = form if token is None else {**form, "csrf_token": token}
        response = committee.post(f"/plans/{TODAY_PLAN}/actions/approve", data=data)
        assert response.status_code == 403
    state = 'data-testid="state">อยู่ระหว่างการพิจารณาของคณะกรรมการพัฒนาท้องถิ่น<'
    assert state in committee.get(f"/plans/{TODAY_PLAN}").text
    # Another session's token is not this session's token.
    executive = signed_in(server, clients, "laemrang.executive")
    other = token_of(executive.get("/dashboard").text)
    response = committee.post(
        f"/plans/{TODAY_PLAN}/actions/approve", data={**form, "csrf_token": other}
    )
    assert response.status_code == 403


def test_another_organization_sees_the_404_page(
    server: Server, clients: list[httpx2.Client]
) -> None:
    away = signed_in(server, clients, AWAY_STAFF)
    for path in (f"/plans/{DEMO_PLAN}", "/plans/999999"):
        response = away.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "ไม่พบแผน" in response.text
    token = token_of(away.get("/dashboard").text)
    response = away.post(
        f"/plans/{DEMO_PLAN}/actions/post",
        data={"csrf_token": token, "expected_version": "3", "effective_on": "2018-11-01"},
    )
    assert response.status_code == 404
    assert "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562" not in away.get("/dashboard").text


def test_sign_out_revokes_the_session(server: Server, clients: list[httpx2.Client]) -> None:
    staff = signed_in(server, clients, "laemrang.staff")
    cookie = staff.cookies.get("localplan_session")
    token = token_of(staff.get("/dashboard").text)
    assert staff.post("/signout", data={"csrf_token": token}).status_code == 303
    replay = new_client(server, clients, cookies={"localplan_session": cookie or ""})
    response = replay.get("/dashboard")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")
