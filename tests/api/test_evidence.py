"""Evidence over HTTP on both engines (docs/api.md "Evidence"): a multipart upload, the list,
the file by its hash for those who may see the plan (a guessed or known hash from another
office answers 404), and the refusals as problem+json."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.settings import Settings
from models.audit import TransitionRecord
from models.enums import Role
from tests import evidence_files as files
from tests.api.conftest import Team, create_plan, problem


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, evidence_dir=str(tmp_path / "evidence"), evidence_max_mb=1)


def first_record(engine: Engine, plan_id: int) -> int:
    with Session(engine) as session:
        record = session.exec(
            select(TransitionRecord).where(TransitionRecord.plan_id == plan_id)
        ).first()
        assert record is not None and record.id is not None
        return record.id


def upload(
    client: TestClient,
    team: Team,
    plan_id: int,
    data: bytes,
    record_id: int,
    kind: str = "other",
    role: Role = Role.STAFF,
    name: str = "photo.jpg",
    **form: str,
) -> object:
    return client.post(
        f"/api/v1/plans/{plan_id}/evidence",
        files={"file": (name, data, "application/octet-stream")},
        data={"record_id": str(record_id), "kind": kind, **form},
        headers=team.headers(role),
    )


def test_upload_list_and_fetch(client: TestClient, engine: Engine, home: Team, away: Team) -> None:
    plan_id = create_plan(client, home)
    record_id = first_record(engine, plan_id)
    photo = files.photo(3)
    made = upload(client, home, plan_id, photo, record_id, place="หน้าที่ทำการ")
    assert made.status_code == 201, made.text  # type: ignore[attr-defined]
    body = made.json()  # type: ignore[attr-defined]
    assert body["media_type"] == "image/jpeg" and body["size"] == len(photo)
    assert body["href"] == f"/api/v1/evidence/{body['sha256']}" and body["late"] is False
    listed = client.get(f"/api/v1/plans/{plan_id}/evidence", headers=home.headers(Role.AUDITOR))
    assert [e["id"] for e in listed.json()] == [body["id"]]
    got = client.get(body["href"], headers=home.headers(Role.COMMITTEE))
    assert got.status_code == 200 and got.content == photo
    assert got.headers["content-type"] == "image/jpeg"
    problem(client.get(body["href"], headers=away.headers(Role.STAFF)), 404, "not_found")
    problem(client.get(body["href"], headers=away.headers(Role.AUDITOR)), 404, "not_found")
    problem(
        client.get(f"/api/v1/evidence/{'a' * 64}", headers=home.headers(Role.STAFF)),
        404,
        "not_found",
    )
    problem(
        client.get(f"/api/v1/plans/{plan_id}/evidence", headers=away.headers(Role.STAFF)),
        404,
        "not_found",
    )
    assert client.get(body["href"]).status_code == 401


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (files.HEIC, "evidence_heic"),
        (b"GIF89a" + b"\x00" * 20, "evidence_type"),
        (b"\xff\xd8\xff" + b"\x00" * (1024 * 1024), "evidence_too_large"),
    ],
    ids=["heic", "gif", "too-large"],
)
def test_refused_uploads(
    client: TestClient, engine: Engine, home: Team, data: bytes, reason: str
) -> None:
    plan_id = create_plan(client, home)
    body = problem(
        upload(client, home, plan_id, data, first_record(engine, plan_id)), 422, "validation_error"
    )  # type: ignore[arg-type]
    assert body["reasons"][0]["code"] == reason and body["reasons"][0]["th"]


def test_who_may_attach(client: TestClient, engine: Engine, home: Team, away: Team) -> None:
    plan_id = create_plan(client, home)
    record_id = first_record(engine, plan_id)
    pdf = files.pdf()
    problem(
        upload(client, home, plan_id, pdf, record_id, role=Role.AUDITOR, name="a.pdf"),
        403,
        "forbidden",
    )  # type: ignore[arg-type]
    problem(upload(client, away, plan_id, pdf, record_id, name="a.pdf"), 404, "not_found")  # type: ignore[arg-type]
    problem(
        upload(client, home, plan_id, pdf, record_id, kind="minutes", name="a.pdf"),
        422,
        "validation_error",
    )  # type: ignore[arg-type]


def test_pack_and_checklist_over_http(
    client: TestClient, engine: Engine, home: Team, away: Team, tmp_path: Path
) -> None:
    plan_id = create_plan(client, home)
    upload(client, home, plan_id, files.pdf(), first_record(engine, plan_id), name="x.pdf")
    got = client.get(f"/api/v1/plans/{plan_id}/audit-pack", headers=home.headers(Role.AUDITOR))
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    (tmp_path / "p.zip").write_bytes(got.content)
    from documents.pack import verify_pack

    assert verify_pack(tmp_path / "p.zip") == []
    problem(
        client.get(f"/api/v1/plans/{plan_id}/audit-pack", headers=away.headers(Role.AUDITOR)),
        404,
        "not_found",
    )
    year = client.get(f"/api/v1/plans/{plan_id}", headers=home.headers(Role.STAFF)).json()[
        "fiscal_year_be"
    ]
    code = client.get(f"/api/v1/plans/{plan_id}", headers=home.headers(Role.STAFF)).json()[
        "organization"
    ]["code"]
    listed = client.get(
        f"/api/v1/organizations/{code}/checklist",
        params={"fiscal_year": year},
        headers=home.headers(Role.AUDITOR),
    )
    assert listed.status_code == 200, listed.text
    items = {i["code"]: i["status"] for i in listed.json()["plans"][0]["items"]}
    assert items == {
        "signed_notice": "not_yet",
        "announced_in_time": "not_yet",
        "posted_in_time": "not_yet",
        "kept_30_days": "not_yet",
        "minutes": "not_yet",
    }
    pack = client.get(
        f"/api/v1/organizations/{code}/audit-pack",
        params={"fiscal_year": year},
        headers=home.headers(Role.STAFF),
    )
    assert pack.status_code == 200
    problem(
        client.get(
            f"/api/v1/organizations/{code}/checklist",
            params={"fiscal_year": year},
            headers=away.headers(Role.STAFF),
        ),
        404,
        "not_found",
    )


def test_compliance_pdf_over_http(client: TestClient, home: Team, away: Team) -> None:
    from documents.pdf_text import extract_text

    plan_id = create_plan(client, home)
    auditor = home.headers(Role.AUDITOR)
    got = client.get(f"/api/v1/plans/{plan_id}/compliance.pdf", headers=auditor)
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert f"แผนเลขที่ {plan_id}:" in extract_text(got.content)
    away_auditor = away.headers(Role.AUDITOR)
    problem(client.get(f"/api/v1/plans/{plan_id}/compliance.pdf", headers=away_auditor), 404,
            "not_found")  # fmt: skip
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=auditor).json()
    year = f"/api/v1/organizations/{home.code}/compliance.pdf?fiscal_year="
    got = client.get(year + str(plan["fiscal_year_be"]), headers=auditor)
    assert got.status_code == 200 and "สรุปการปฏิบัติตามกำหนดเวลา" in extract_text(got.content)
    empty = problem(client.get(year + "2599", headers=auditor), 404, "not_found")
    assert empty["reasons"][0]["code"] == "plans_not_found"
