"""Over HTTP: LINE's webhook with its X-Line-Signature (the installation's secret and an
office's), the ids it captures, the admins' links to people and offices, and the language of
one's alerts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from models.enums import Role
from tests.api import conftest as api_fixtures
from tests.api.conftest import HOME_CODE, Team, problem
from tests.notifications.line_fixtures import GROUP, USER, stand_in

app, client = api_fixtures.app, api_fixtures.client
home, away = api_fixtures.home, api_fixtures.away
SECRET, OFFICE_SECRET = "installation-secret", "office-secret"
HOOK = "/api/v1/line/webhook"
WRITER = "U" + "3" * 32


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        database_url=db_url,
        line_channel_secret=SECRET,  # type: ignore[arg-type]
        line_channel_secrets={HOME_CODE: OFFICE_SECRET},  # type: ignore[dict-item]
    )


def signed(client: TestClient, secret: str, events: list[dict[str, Any]]) -> Any:
    body = json.dumps({"destination": "U" + "0" * 32, "events": events}).encode()
    return client.post(
        HOOK,
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Line-Signature": stand_in.sign(secret, body),
        },
    )


def test_signed_events_record_users_and_groups(client: TestClient, home: Team) -> None:
    events = [
        stand_in.event("follow", user=USER),
        stand_in.event("message", user=WRITER, group=GROUP),
    ]
    answer = signed(client, OFFICE_SECRET, events)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"events": 2, "new_contacts": 3}
    again = signed(client, SECRET, [stand_in.event("message", user=USER)])
    assert again.json() == {"events": 1, "new_contacts": 0}
    admin = home.headers(Role.ADMIN)
    listed = client.get("/api/v1/admin/line/contacts", headers=admin).json()["items"]
    seen = {c["line_id"]: (c["kind"], c["channel"]) for c in listed}
    assert seen == {USER: ("user", ""), WRITER: ("user", HOME_CODE), GROUP: ("group", HOME_CODE)}


def test_a_bad_or_missing_signature_is_refused_and_records_nothing(
    client: TestClient, home: Team
) -> None:
    body = json.dumps({"events": [stand_in.event("follow", user=USER)]}).encode()
    wrong = client.post(
        HOOK, content=body, headers={"X-Line-Signature": stand_in.sign("guess", body)}
    )
    problem(wrong, 401, "line_signature")
    problem(client.post(HOOK, content=body), 401, "line_signature")
    tampered = body.replace(USER.encode(), WRITER.encode())
    sig = stand_in.sign(SECRET, body)
    problem(
        client.post(HOOK, content=tampered, headers={"X-Line-Signature": sig}),
        401,
        "line_signature",
    )
    not_json = b"\xff not json"
    bad = client.post(
        HOOK, content=not_json, headers={"X-Line-Signature": stand_in.sign(SECRET, not_json)}
    )
    assert bad.status_code in (401, 422)
    admin = home.headers(Role.ADMIN)
    assert client.get("/api/v1/admin/line/contacts", headers=admin).json() == {"items": []}


def test_admins_link_captured_ids_to_people_and_offices(client: TestClient, home: Team) -> None:
    signed(
        client, SECRET, [stand_in.event("follow", user=USER), stand_in.event("join", group=GROUP)]
    )
    admin = home.headers(Role.ADMIN)
    staff = home.office.staff.username
    url = "/api/v1/admin/line/contacts"
    problem(
        client.put(f"{url}/{USER}", json={"username": staff}, headers=home.headers(Role.STAFF)),
        403,
        "forbidden",
    )
    person = client.put(f"{url}/{USER}", json={"username": staff}, headers=admin)
    assert person.status_code == 200 and person.json()["user_id"] == home.office.staff.user_id
    office = client.put(f"{url}/{GROUP}", json={"organization_code": HOME_CODE}, headers=admin)
    assert office.status_code == 200 and office.json()["organization_id"] is not None
    assert client.get(f"{url}?unlinked=true", headers=admin).json() == {"items": []}
    problem(
        client.put(f"{url}/{USER}", json={"organization_code": HOME_CODE}, headers=admin),
        422,
        "validation_error",
    )
    problem(
        client.put(f"{url}/{'U' + '9' * 32}", json={"username": staff}, headers=admin),
        404,
        "not_found",
    )
    unlinked = client.put(f"{url}/{USER}", json={}, headers=admin)
    assert unlinked.json()["user_id"] is None


def test_everyone_sets_the_language_of_their_alerts(client: TestClient, home: Team) -> None:
    staff = home.headers(Role.STAFF)
    assert client.get("/api/v1/me", headers=staff).json()["language"] == "th"  # the default
    mine = client.put("/api/v1/me/language", json={"language": "en"}, headers=staff)
    assert mine.status_code == 200 and mine.json()["language"] == "en"
    assert client.get("/api/v1/me", headers=staff).json()["language"] == "en"
    problem(
        client.put("/api/v1/me/language", json={"language": "fr"}, headers=staff),
        422,
        "validation_error",
    )
    who = home.office.committee.username
    url = f"/api/v1/admin/users/{who}/language"
    problem(client.put(url, json={"language": "en"}, headers=staff), 403, "forbidden")
    done = client.put(url, json={"language": "en"}, headers=home.headers(Role.ADMIN))
    assert done.json() == {"username": who, "language": "en"}
