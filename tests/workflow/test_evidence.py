"""Evidence attached to a plan's actions (docs/domain.md "Evidence"): every refused type and
size, late evidence, public copies without EXIF, access by hash, and `audit verify` finding a
file replaced or removed on disk; on both engines, with real files in a real directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from documents.evidence_images import public_copy
from models.audit import TransitionRecord
from models.blobs import BlobStore
from models.enums import Action, PlanKind, PlanState
from models.evidence import Evidence
from tests import evidence_files as files
from tests.factories import Office, make_office
from tests.helpers import tick, walk
from workflow import uow
from workflow.audit import verify
from workflow.commands import Context
from workflow.errors import DomainError, NotFound
from workflow.evidence import Attaching, Upload, attach, file_for, list_for_plan


@pytest.fixture
def how(tmp_path: Path) -> Attaching:
    return Attaching(BlobStore(tmp_path / "evidence"), public_copy, max_bytes=1024 * 1024)


def record_of(engine: Engine, plan_id: int, action: Action) -> int:
    with Session(engine) as session:
        rows = session.exec(
            select(TransitionRecord).where(
                TransitionRecord.plan_id == plan_id, TransitionRecord.action == action.value
            )
        ).all()
        assert rows[-1].id is not None
        return rows[-1].id


def put(
    engine: Engine,
    ctx: Context,
    office: Office,
    plan_id: int,
    upload: Upload,
    how: Attaching,
    actor: object = None,
) -> Evidence:
    who = actor or office.staff
    return uow.run(
        engine,
        ctx.clock,
        lambda s: attach(s, ctx, plan_id=plan_id, actor=who, upload=upload, how=how),  # type: ignore[arg-type]
    )


def refusal(
    engine: Engine, ctx: Context, office: Office, plan_id: int, upload: Upload, how: Attaching
) -> str:
    with pytest.raises(DomainError) as caught:
        put(engine, ctx, office, plan_id, upload, how)
    return caught.value.code + ":" + caught.value.reasons[0].code


def test_photo_attached_late_with_public_copy_without_exif(
    engine: Engine, ctx: Context, office: Office, how: Attaching
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    assert plan.id is not None
    post = record_of(engine, plan.id, Action.POST)
    photo = files.photo(1)
    same_day = put(engine, ctx, office, plan.id, Upload(photo, post, "posting_photo", "บอร์ด"), how)
    assert not same_day.late and same_day.media_type == "image/jpeg"
    assert same_day.public_sha256 is not None and same_day.public_sha256 != same_day.sha256
    original = how.store.get(same_day.sha256)
    public = how.store.get(same_day.public_sha256)
    assert original == photo and files.has_gps(original)
    assert public is not None and not files.has_gps(public)
    tick(ctx.clock, 2)  # type: ignore[arg-type]
    later = put(
        engine, ctx, office, plan.id, Upload(files.photo(2), post, "posting_photo", "หมู่ 2"), how
    )
    assert later.late
    minutes = put(
        engine,
        ctx,
        office,
        plan.id,
        Upload(files.pdf(), record_of(engine, plan.id, Action.APPROVE), "minutes"),
        how,
    )
    assert minutes.public_sha256 is None  # minutes are not for the public
    with Session(engine) as session:
        listed = list_for_plan(session, plan_id=plan.id, actor=office.auditor)
    assert [e.id for e in listed] == [same_day.id, later.id, minutes.id]
    with Session(engine) as session:
        assert verify(session, store=how.store).intact


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (files.HEIC, "validation_error:evidence_heic"),
        (b"GIF89a" + b"\x00" * 40, "validation_error:evidence_type"),
        (b"", "validation_error:evidence_empty"),
        (b"<html><script>alert(1)</script>", "validation_error:evidence_type"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "validation_error:evidence_unreadable"),
        (b"%PDF-1.4 truncated", "validation_error:evidence_unreadable"),
        (b"\xff\xd8\xff" + b"\x00" * (1024 * 1024), "validation_error:evidence_too_large"),
    ],
    ids=["heic", "gif", "empty", "html", "broken-jpeg", "broken-pdf", "too-large"],
)
def test_refused_files(
    engine: Engine, ctx: Context, office: Office, how: Attaching, data: bytes, code: str
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    assert plan.id is not None
    announce = record_of(engine, plan.id, Action.ANNOUNCE)
    assert (
        refusal(engine, ctx, office, plan.id, Upload(data, announce, "signed_notice"), how) == code
    )
    assert not list(how.store.names())  # nothing refused is stored


def test_refused_entries(engine: Engine, ctx: Context, office: Office, how: Attaching) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    assert plan.id is not None
    post = record_of(engine, plan.id, Action.POST)
    pdf = files.pdf()
    assert refusal(engine, ctx, office, plan.id, Upload(pdf, post, "minutes"), how) == (
        "validation_error:evidence_kind_mismatch"
    )
    assert refusal(
        engine, ctx, office, plan.id, Upload(files.photo(), post, "posting_photo"), how
    ) == ("validation_error:place_required")
    assert refusal(
        engine, ctx, office, plan.id, Upload(pdf, post, "website_posting", url="ftp://x"), how
    ) == ("validation_error:invalid_url")
    other = walk(engine, ctx, office, PlanKind.SUPPLEMENTARY, PlanState.DRAFT)
    assert other.id is not None
    foreign = record_of(engine, other.id, Action.CREATE)
    assert refusal(engine, ctx, office, plan.id, Upload(pdf, foreign, "other"), how) == (
        "validation_error:record_not_found"
    )
    with pytest.raises(DomainError) as caught:
        put(engine, ctx, office, plan.id, Upload(pdf, post, "other"), how, office.auditor)
    assert caught.value.reasons[0].code == "evidence_not_attacher"
    neighbour = make_office(engine, ctx.clock, "6660604")  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        put(engine, ctx, office, plan.id, Upload(pdf, post, "other"), how, neighbour.staff)


def test_knowing_a_hash_grants_nothing(
    engine: Engine, ctx: Context, office: Office, how: Attaching
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    assert plan.id is not None
    entry = put(
        engine,
        ctx,
        office,
        plan.id,
        Upload(files.pdf("notice"), record_of(engine, plan.id, Action.ANNOUNCE), "signed_notice"),
        how,
    )
    neighbour = make_office(engine, ctx.clock, "6660605", province="น่าน")  # type: ignore[arg-type]
    with Session(engine) as session:
        assert file_for(session, sha256=entry.sha256, actor=office.auditor, store=how.store).data
        for actor in (neighbour.staff, neighbour.auditor):
            with pytest.raises(NotFound) as caught:
                file_for(session, sha256=entry.sha256, actor=actor, store=how.store)
            assert caught.value.reasons[0].code == "evidence_not_found"
        with pytest.raises(NotFound):
            file_for(session, sha256="0" * 64, actor=office.staff, store=how.store)


def test_verify_finds_a_file_replaced_or_removed(
    engine: Engine, ctx: Context, office: Office, how: Attaching
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    assert plan.id is not None
    post = record_of(engine, plan.id, Action.POST)
    a = put(engine, ctx, office, plan.id, Upload(files.photo(5), post, "posting_photo", "ก"), how)
    b = put(engine, ctx, office, plan.id, Upload(files.photo(6), post, "posting_photo", "ข"), how)
    with Session(engine) as session:
        report = verify(session, store=how.store)
    assert report.intact and report.evidence_checked == 2 and report.evidence_files_checked == 4
    how.store.path_of(a.sha256).write_bytes(files.photo(7))
    assert b.public_sha256 is not None
    how.store.path_of(b.public_sha256).unlink()
    with Session(engine) as session:
        found = {(x.problem, x.row_id, x.field) for x in verify(session, store=how.store).breaks}
    assert found == {("file_replaced", a.id, "sha256"), ("file_missing", b.id, "public_sha256")}
