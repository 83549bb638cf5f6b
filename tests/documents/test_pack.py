"""The audit pack (docs/domain.md "The audit pack"): a year's pack with photos, minutes and a
signed checkpoint validates with the Library of Congress tool (`bagit.py --validate`, run as
its own process) and with verify-pack; a pack changed by one byte, anywhere, does not; nor one
whose records were edited and whose manifests were then rewritten to match."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from documents.evidence_images import public_copy
from documents.pack import bag_zip, make, plans_of_plan, plans_of_year, verify_pack
from documents.pack_check import problems
from documents.pack_contents import gather
from models.blobs import BlobStore
from models.enums import Action, PlanKind, PlanState
from tests import evidence_files as files
from tests.factories import Office, make_office
from tests.helpers import walk
from tests.workflow.test_evidence import put, record_of
from workflow import uow
from workflow.checkpoints import new_private_key, public_key_of
from workflow.commands import Context
from workflow.errors import NotFound
from workflow.evidence import Attaching, Upload
from workflow.log import SigningKey, sign_checkpoint

BAGIT = Path(sys.executable).with_name("bagit.py")


@pytest.fixture
def how(tmp_path: Path) -> Attaching:
    return Attaching(BlobStore(tmp_path / "evidence"), public_copy)


def a_year(engine: Engine, ctx: Context, office: Office, how: Attaching) -> tuple[int, SigningKey]:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    assert plan.id is not None
    post = record_of(engine, plan.id, Action.POST)
    for i in range(3):
        put(
            engine,
            ctx,
            office,
            plan.id,
            Upload(files.photo(i), post, "posting_photo", f"หมู่ {i + 1}"),
            how,
        )
    approve = record_of(engine, plan.id, Action.APPROVE)
    put(engine, ctx, office, plan.id, Upload(files.pdf("minutes"), approve, "minutes"), how)
    key = SigningKey("localplan.test/pack", new_private_key())
    uow.run(engine, ctx.clock, lambda s: sign_checkpoint(s, key=key, clock=ctx.clock))
    put(engine, ctx, office, plan.id, Upload(files.png(1), post, "other"), how)  # after it
    return plan.id, key


def test_pack_validates_and_any_changed_byte_is_found(
    engine: Engine, ctx: Context, office: Office, how: Attaching, tmp_path: Path
) -> None:
    plan_id, key = a_year(engine, ctx, office, how)
    with Session(engine) as session:
        year = plans_of_plan(session, office.staff, plan_id)[0].fiscal_year_be
        plans = plans_of_year(session, office.auditor, "6660603", year)
        data = make(session, plans=plans, store=how.store, clock=ctx.clock)
    path = tmp_path / "pack.zip"
    path.write_bytes(data)
    names = zipfile.ZipFile(path).namelist()
    for name in (
        "bag-info.txt",
        f"data/plans/{plan_id}/history.csv",
        "data/checkpoint.txt",
        "data/log.json",
        "data/compliance.json",
        f"data/plans/{plan_id}/content.json",
    ):
        assert f"audit-pack/{name}" in names or name.endswith("content.json"), name
    assert sum(n.startswith("audit-pack/data/evidence/") for n in names) == 3 * 2 + 1 + 1
    zipfile.ZipFile(path).extractall(tmp_path / "x")
    tool = subprocess.run(
        [sys.executable, str(BAGIT), "--validate", str(tmp_path / "x" / "audit-pack")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert tool.returncode == 0, tool.stderr
    info = (tmp_path / "x" / "audit-pack" / "bag-info.txt").read_text(encoding="utf-8")
    assert "Organization-Code: 6660603" in info and f"Fiscal-Year-BE: {year}" in info
    assert f"Chain-Head: plan {plan_id} version" in info
    history = tmp_path / "x" / "audit-pack" / "data" / "plans" / str(plan_id) / "history.csv"
    assert history.read_text(encoding="utf-8-sig").startswith("ลำดับ,การดำเนินการ")
    public = ("localplan.test/pack", public_key_of(key.private_key))
    assert verify_pack(path, public) == []
    other = ("localplan.test/pack", public_key_of(new_private_key()))
    assert verify_pack(path, other)  # another key did not sign the checkpoint
    for at in (len(data) // 5, len(data) // 2, len(data) - 200):
        changed = bytearray(data)
        changed[at] ^= 0x01
        path.write_bytes(bytes(changed))
        assert verify_pack(path, public), f"a byte changed at {at} went unnoticed"


def test_edited_records_rebagged_are_found(
    engine: Engine, ctx: Context, office: Office, how: Attaching, tmp_path: Path
) -> None:
    plan_id, _ = a_year(engine, ctx, office, how)
    with Session(engine) as session:
        contents = gather(
            session,
            plans=plans_of_plan(session, office.staff, plan_id),
            store=how.store,
            clock=ctx.clock,
        )
    name = f"plans/{plan_id}/records.json"
    records = json.loads(contents.files[name])
    records[1]["comment"] = "แก้ไขภายหลัง"
    contents.files[name] = json.dumps(records, ensure_ascii=False).encode()
    path = tmp_path / "edited.zip"
    path.write_bytes(bag_zip(contents))  # manifests rewritten to match: the bag validates
    found = verify_pack(path)
    assert any("does not match its hash" in p for p in found), found
    assert any("not the row the log holds" in p for p in found), found
    heads = {"Chain-Head": [f"plan {plan_id} version 9 {'0' * 64}"]}
    assert any("bag-info says" in p for p in problems(contents.files, heads, None))


def test_another_office_gets_no_pack(
    engine: Engine, ctx: Context, office: Office, how: Attaching
) -> None:
    plan_id, _ = a_year(engine, ctx, office, how)
    stranger = make_office(engine, ctx.clock, "6660609", province="น่าน")  # type: ignore[arg-type]
    with Session(engine) as session:
        with pytest.raises(NotFound):
            plans_of_plan(session, stranger.auditor, plan_id)
        with pytest.raises(NotFound):
            plans_of_year(session, stranger.staff, "6660603", 2562)


def test_the_papers_are_packed_and_checked(
    engine: Engine, ctx: Context, office: Office, how: Attaching, tmp_path: Path
) -> None:
    from dataclasses import replace

    from documents.pdf_papers import announce_renderer

    papers = replace(ctx, renderer=announce_renderer("https://plan.example.go.th"))
    plan = walk(engine, papers, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    assert plan.id is not None
    with Session(engine) as session:
        contents = gather(
            session,
            plans=plans_of_plan(session, office.staff, plan.id),
            store=how.store,
            clock=ctx.clock,
        )
    base = f"plans/{plan.id}/"
    assert contents.files[base + "notice.pdf"].startswith(b"%PDF-")
    assert contents.files[base + "plan.pdf"].startswith(b"%PDF-")
    (tmp_path / "p.zip").write_bytes(bag_zip(contents))
    assert verify_pack(tmp_path / "p.zip") == []
    contents.files[base + "notice.pdf"] = contents.files[base + "plan.pdf"]  # swapped, rebagged
    (tmp_path / "q.zip").write_bytes(bag_zip(contents))
    assert any("notice.pdf" in p for p in verify_pack(tmp_path / "q.zip"))
