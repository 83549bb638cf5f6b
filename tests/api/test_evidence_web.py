"""Evidence on the web pages, in process on both engines: the attach form takes a phone's
camera upload (multipart, CSRF), refuses a HEIC photo with the reason beside the field and the
input kept, the gallery serves the files to the signed-in, the public board shows only the
public copies (without EXIF), and the checklist page links the evidence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.app import create_app
from api.settings import Settings
from models.enums import Action, PlanKind, PlanState
from models.evidence import Evidence
from tests import evidence_files as files
from tests.factories import Office
from tests.helpers import walk
from tests.workflow.test_evidence import record_of
from workflow import uow
from workflow.account_admin import set_password
from workflow.calendar import WorkingCalendar
from workflow.commands import Context

PASSWORD = "web-password-2562"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def client(
    engine: Engine, ctx: Context, calendar: WorkingCalendar, db_url: str, tmp_path: Path
) -> Iterator[TestClient]:
    settings = Settings(database_url=db_url, evidence_dir=str(tmp_path / "evidence"))
    app = create_app(settings, engine=engine, clock=ctx.clock, calendar=calendar)  # type: ignore[arg-type]
    with TestClient(app, follow_redirects=False) as c:
        yield c


def csrf(client: TestClient, path: str) -> str:
    found = CSRF.search(client.get(path).text)
    assert found is not None, path
    return found.group(1)


def sign_in(client: TestClient, engine: Engine, ctx: Context, username: str) -> None:
    clock = ctx.clock
    uow.run(
        engine, clock, lambda s: set_password(s, clock=clock, username=username, password=PASSWORD)
    )
    data = {"csrf_token": csrf(client, "/signin"), "username": username, "password": PASSWORD}
    assert client.post("/signin", data=data).status_code == 303


def test_attach_gallery_public_copies_and_checklist(
    client: TestClient, engine: Engine, ctx: Context, office: Office
) -> None:
    plan = walk(engine, ctx, office, PlanKind.SUPPLEMENTARY, PlanState.POSTED)
    assert plan.id is not None
    sign_in(client, engine, ctx, office.staff.username)
    page = client.get(f"/plans/{plan.id}/evidence")
    assert page.status_code == 200
    assert 'accept="image/*,application/pdf" capture="environment"' in page.text
    post = record_of(engine, plan.id, Action.POST)
    form = {"csrf_token": csrf(client, f"/plans/{plan.id}/evidence"), "record_id": str(post),
            "kind": "posting_photo", "place": "ศาลาประชาคม หมู่ 3"}  # fmt: skip
    heic = client.post(f"/plans/{plan.id}/evidence", data=form,
                       files={"file": ("IMG_0001.HEIC", files.HEIC, "image/heic")})  # fmt: skip
    assert heic.status_code == 422 and "ไม่รับไฟล์ HEIC" in heic.text
    assert 'value="ศาลาประชาคม หมู่ 3"' in heic.text  # the input kept
    photo = files.photo(4)
    done = client.post(f"/plans/{plan.id}/evidence", data=form,
                       files={"file": ("IMG_0002.JPG", photo, "image/jpeg")})  # fmt: skip
    assert done.status_code == 303, done.text
    with Session(engine) as session:
        (entry,) = session.exec(select(Evidence).where(Evidence.plan_id == plan.id)).all()
    assert entry.public_sha256 is not None
    assert client.get(f"/plans/{plan.id}/evidence/{entry.sha256}").content == photo
    assert f"evidence-{entry.id}" in client.get(f"/plans/{plan.id}/evidence").text
    listing = client.get(
        "/audit/checklist", params={"organization": "6660603", "fiscal_year": plan.fiscal_year_be}
    )
    assert listing.status_code == 200 and f"#{entry.id}" in listing.text
    public = TestClient(client.app, follow_redirects=False)
    board = public.get(f"/notices/{plan.id}/evidence")
    assert board.status_code == 200 and entry.public_sha256 in board.text
    assert entry.sha256 not in board.text
    copy = public.get(f"/notices/{plan.id}/evidence/{entry.public_sha256}")
    assert copy.status_code == 200 and not files.has_gps(copy.content)
    assert public.get(f"/notices/{plan.id}/evidence/{entry.sha256}").status_code == 404
    assert public.get(f"/plans/{plan.id}/evidence/{entry.sha256}").status_code in (303, 401)
