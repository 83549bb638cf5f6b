"""Evidence carried by the JSON API's action route as multipart/form-data (docs/api.md
"Actions carrying evidence"), on both engines: under the `required` policy an action without
its files is refused (409 `evidence_required`) and leaves nothing; with them it moves and its
files are attached to its record in the same transaction, never late; a refusal after a file
was stored leaves no entry (the file is for `localplan evidence gc`); JSON works as before."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.settings import Settings
from models.audit import TransitionRecord
from models.blobs import BlobStore, sha256_of
from models.clock import FixedClock
from models.enums import Role
from models.evidence import Evidence
from tests import evidence_files as files
from tests.api.conftest import PLACES, Team, act, create_plan, on, problem, version

STAFF, COMMITTEE, EXECUTIVE = Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        evidence_dir=str(tmp_path / "evidence"),
        evidence_max_mb=1,
        evidence_policy="required",  # type: ignore[arg-type]
    )


def carry(
    client: TestClient,
    team: Team,
    role: Role,
    plan_id: int,
    action: str,
    evidence: list[tuple[str, bytes]],
    *,
    kinds: list[str] | None = None,
    photo_places: list[str] | None = None,
    **body: object,
) -> httpx2.Response:
    """The action as multipart/form-data: its JSON in `body`, files in `evidence` parts."""
    payload = {"expected_version": version(client, team, plan_id), **body}
    fields: list[tuple[str, Any]] = [("body", (None, json.dumps(payload), "application/json"))]
    fields += [("evidence", (name, data, "application/octet-stream")) for name, data in evidence]
    fields += [("evidence_kind", (None, k)) for k in kinds or []]
    fields += [("evidence_place", (None, p)) for p in photo_places or []]
    return client.post(
        f"/api/v1/plans/{plan_id}/actions/{action}", files=fields, headers=team.headers(role)
    )


def entries(engine: Engine, plan_id: int) -> list[Evidence]:
    with Session(engine) as session:
        return list(session.exec(select(Evidence).where(Evidence.plan_id == plan_id)))


def records(engine: Engine, plan_id: int) -> list[TransitionRecord]:
    with Session(engine) as session:
        query = select(TransitionRecord).where(TransitionRecord.plan_id == plan_id)
        return list(session.exec(query))


def ok(response: httpx2.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_required_refused_without_and_accepted_with_the_files(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team, settings: Settings
) -> None:
    plan_id = create_plan(client, home)
    ok(act(client, home, STAFF, plan_id, "submit", effective_on=on(clock, date(2018, 10, 1))))
    day = on(clock, date(2018, 10, 8))
    before = (version(client, home, plan_id), len(records(engine, plan_id)))
    refused = problem(
        act(client, home, COMMITTEE, plan_id, "approve", effective_on=day), 409, "guard_refused"
    )
    assert [r["code"] for r in refused["reasons"]] == ["evidence_required"]
    refused = problem(
        carry(client, home, COMMITTEE, plan_id, "approve", [], effective_on=day),
        409,
        "guard_refused",
    )
    assert (version(client, home, plan_id), len(records(engine, plan_id))) == before
    assert entries(engine, plan_id) == []

    minutes = files.pdf("minutes of the committee")
    moved = ok(
        carry(
            client,
            home,
            COMMITTEE,
            plan_id,
            "approve",
            [("minutes.pdf", minutes)],
            effective_on=day,
        )
    )
    assert moved["state"] == "awaiting_announcement"
    signed = files.pdf("signed notice")
    ok(
        carry(
            client,
            home,
            EXECUTIVE,
            plan_id,
            "announce",
            [("notice.pdf", signed)],
            kinds=["signed_notice"],
            effective_on=on(clock, date(2018, 10, 25)),
        )
    )
    photos = [files.photo(1), files.photo(2)]
    one = carry(
        client,
        home,
        STAFF,
        plan_id,
        "post",
        [("a.jpg", photos[0])],
        effective_on=on(clock, date(2018, 10, 26)),
        places=PLACES,
    )
    assert [r["code"] for r in problem(one, 409, "guard_refused")["reasons"]] == [
        "evidence_required"
    ]  # one photo for two places
    posted = ok(
        carry(
            client,
            home,
            STAFF,
            plan_id,
            "post",
            [("b.jpg", photos[1]), ("a.jpg", photos[0])],
            photo_places=PLACES[::-1],
            places=PLACES,
            effective_on=on(clock, date(2018, 10, 26)),
        )
    )
    assert posted["state"] == "posted"

    kept = entries(engine, plan_id)
    by_record = {r.id: r.action for r in records(engine, plan_id)}
    assert sorted((by_record[e.record_id], e.kind.value, e.place or "") for e in kept) == sorted(
        [
            ("approve", "minutes", ""),
            ("announce", "signed_notice", ""),
            ("post", "posting_photo", PLACES[0]),
            ("post", "posting_photo", PLACES[1]),
        ]
    )
    photo_of = {e.place: e.sha256 for e in kept if e.place}
    assert photo_of == {PLACES[1]: sha256_of(photos[1]), PLACES[0]: sha256_of(photos[0])}
    assert not any(e.late for e in kept)
    store = BlobStore(Path(settings.evidence_dir or ""))
    assert store.get(sha256_of(minutes)) == minutes and store.get(sha256_of(signed)) == signed


def test_a_refusal_after_a_stored_file_leaves_no_entry(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team, settings: Settings
) -> None:
    plan_id = create_plan(client, home)
    ok(act(client, home, STAFF, plan_id, "submit", effective_on=on(clock, date(2018, 10, 1))))
    ok(
        carry(
            client,
            home,
            COMMITTEE,
            plan_id,
            "approve",
            [("m.pdf", files.pdf())],
            effective_on=on(clock, date(2018, 10, 8)),
        )
    )
    ok(
        carry(
            client,
            home,
            EXECUTIVE,
            plan_id,
            "announce",
            [("n.pdf", files.pdf("n"))],
            effective_on=on(clock, date(2018, 10, 25)),
        )
    )
    before = (version(client, home, plan_id), len(records(engine, plan_id)))
    count = len(entries(engine, plan_id))
    good = files.photo(5)
    refused = carry(
        client,
        home,
        STAFF,
        plan_id,
        "post",
        [("a.jpg", good), ("b.heic", files.HEIC)],
        places=PLACES,
        effective_on=on(clock, date(2018, 10, 26)),
    )
    body = problem(refused, 422, "validation_error")
    assert [(r["code"], r["field"]) for r in body["reasons"]] == [("evidence_heic", "file")]
    assert (version(client, home, plan_id), len(records(engine, plan_id))) == before
    assert len(entries(engine, plan_id)) == count  # nothing half-written
    store = BlobStore(Path(settings.evidence_dir or ""))
    # the first photo was stored before the second was refused: no entry names it
    assert store.get(sha256_of(good)) == good


@pytest.mark.parametrize(
    ("fields", "status", "code", "reason"),
    [
        ({"kinds": ["minutes", "minutes"]}, 422, "validation_error", "evidence_parts_mismatch"),
        ({"photo_places": ["a", "b"]}, 422, "validation_error", "evidence_parts_mismatch"),
        ({"kinds": ["posting_photo"]}, 409, "guard_refused", "evidence_required"),
        ({"kinds": ["nonsense"]}, 409, "guard_refused", "evidence_required"),
    ],
)
def test_the_parts_are_checked(
    client: TestClient,
    engine: Engine,
    clock: FixedClock,
    home: Team,
    fields: dict[str, list[str]],
    status: int,
    code: str,
    reason: str,
) -> None:
    plan_id = create_plan(client, home)
    ok(act(client, home, STAFF, plan_id, "submit", effective_on=on(clock, date(2018, 10, 1))))
    refused = carry(
        client,
        home,
        COMMITTEE,
        plan_id,
        "approve",
        [("m.pdf", files.pdf())],
        effective_on=on(clock, date(2018, 10, 8)),
        **fields,
    )  # type: ignore[arg-type]
    assert [r["code"] for r in problem(refused, status, code)["reasons"]] == [reason]
    assert entries(engine, plan_id) == []


def test_malformed_multipart_bodies_are_422(
    client: TestClient, clock: FixedClock, home: Team
) -> None:
    plan_id = create_plan(client, home)
    url = f"/api/v1/plans/{plan_id}/actions/submit"
    headers = home.headers(STAFF)
    no_body = client.post(url, files=[("evidence", ("m.pdf", files.pdf()))], headers=headers)
    assert problem(no_body, 422, "validation_error")["reasons"][0]["field"] == "body"
    bad_json = client.post(url, files=[("body", (None, "{"))], headers=headers)
    assert problem(bad_json, 422, "validation_error")["reasons"][0]["field"] == "body"
    extra = client.post(
        url,
        files=[("body", (None, '{"expected_version": 0}')), ("file", ("m.pdf", files.pdf()))],
        headers=headers,
    )
    assert problem(extra, 422, "validation_error")["reasons"][0]["field"] == "file"
    as_text = client.post(
        url,
        files=[("body", (None, '{"expected_version": 0}')), ("evidence", (None, "not a file"))],
        headers=headers,
    )
    assert problem(as_text, 422, "validation_error")["reasons"][0]["code"] == "evidence_not_a_file"
    wrong = client.post(url, json={"expected_version": "one"}, headers=headers)
    assert problem(wrong, 422, "validation_error")["reasons"][0]["field"] == "expected_version"
    text = client.post(
        url, content=b"expected_version=0", headers={**headers, "Content-Type": "text/plain"}
    )
    problem(text, 422, "validation_error")


def test_an_extension_carries_its_letter(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team
) -> None:
    plan_id = create_plan(client, home)
    url = f"/api/v1/plans/{plan_id}/deadlines/preparation/extensions"
    body = {"expected_version": version(client, home, plan_id), "new_due_on": "2018-12-20",
            "reason": "รอผลการประชุมประชาคม"}  # fmt: skip
    headers = home.headers(EXECUTIVE)
    refused = problem(client.post(url, json=body, headers=headers), 409, "guard_refused")
    assert [r["code"] for r in refused["reasons"]] == ["evidence_required"]
    letter = files.pdf("extension letter")
    fields: list[tuple[str, Any]] = [
        ("body", (None, json.dumps(body), "application/json")),
        ("evidence", ("letter.pdf", letter, "application/pdf")),
    ]
    done = client.post(url, files=fields, headers=headers)
    assert done.status_code == 201, done.text
    assert done.json()["due_on"] == "2018-12-20"
    kept = entries(engine, plan_id)
    assert [(e.kind.value, e.sha256, e.late) for e in kept] == [
        ("extension_letter", sha256_of(letter), False)
    ]
