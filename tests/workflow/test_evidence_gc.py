"""The evidence store's cleanup (docs/operations.md "The evidence store"), on both engines:
a rolled-back upload's file and a tmp/ leftover older than the grace period are removed, and
only they; referenced files (originals and public copies) and young files stay; a dry run
removes nothing; a file an upload reuses gets a new grace period; `audit verify` passes after;
`localplan evidence gc` prints what it removed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from documents.evidence_images import public_copy
from models.blobs import BlobStore, sha256_of
from models.enums import Action, PlanKind, PlanState
from tests import evidence_files as files
from tests.factories import Office
from tests.helpers import walk
from tests.workflow.test_evidence import put, record_of
from workflow import uow
from workflow.audit import verify
from workflow.commands import Context
from workflow.evidence import Attaching, Upload, attach
from workflow.evidence_gc import sweep

DAY = 24 * 3600


@pytest.fixture
def how(tmp_path: Path) -> Attaching:
    return Attaching(BlobStore(tmp_path / "evidence"), public_copy, max_bytes=1024 * 1024)


def _age(path: Path, seconds: float) -> None:
    """Make a file look written `seconds` earlier."""
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime - seconds))


def _rolled_back(
    engine: Engine, ctx: Context, office: Office, plan_id: int, how: Attaching, data: bytes
) -> None:
    """An upload whose transaction rolls back after its file was stored."""
    record = record_of(engine, plan_id, Action.POST)

    def command(session: Session) -> None:
        attach(
            session,
            ctx,
            plan_id=plan_id,
            actor=office.staff,
            how=how,
            upload=Upload(data, record, "other"),
        )
        raise RuntimeError("refused after the attach, in the same transaction")

    with pytest.raises(RuntimeError):
        uow.run(engine, ctx.clock, command)


def test_only_old_unreferenced_files_go(
    engine: Engine, ctx: Context, office: Office, how: Attaching
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    assert plan.id is not None
    kept = put(
        engine,
        ctx,
        office,
        plan.id,
        Upload(
            files.photo(1), record_of(engine, plan.id, Action.POST), "posting_photo", "ศาลาหมู่ 1"
        ),
        how,
    )
    lost, young = files.photo(2), files.photo(3)
    _rolled_back(engine, ctx, office, plan.id, how, lost)
    _rolled_back(engine, ctx, office, plan.id, how, young)
    store = how.store
    leftover = store.root / "tmp" / "abcd1234xyz.part"
    leftover.write_bytes(b"half a photo")
    fresh_leftover = store.root / "tmp" / "beef5678xyz.part"
    fresh_leftover.write_bytes(b"being written")
    assert kept.public_sha256 is not None
    for name in (kept.sha256, kept.public_sha256, sha256_of(lost)):
        _age(store.path_of(name), 3 * DAY)
    _age(leftover, 3 * DAY)
    assert set(store.names()) == {
        kept.sha256,
        kept.public_sha256,
        sha256_of(lost),
        sha256_of(young),
    }

    with Session(engine) as session:
        dry = sweep(session, store=store, now=_real_now(), dry_run=True)
    assert {f.name for f in dry.removed} == {sha256_of(lost)}
    assert [f.name for f in dry.leftovers] == [leftover.name]
    assert store.get(sha256_of(lost)) == lost and leftover.exists()  # nothing removed

    with Session(engine) as session:
        done = sweep(session, store=store, now=_real_now())
    assert {f.name for f in done.removed} == {sha256_of(lost)}
    assert [f.name for f in done.leftovers] == [leftover.name]
    assert done.kept == 2 and done.young == 2 and done.freed == len(lost) + len(b"half a photo")
    assert store.get(sha256_of(lost)) is None and not leftover.exists()
    assert store.get(kept.sha256) is not None and store.get(kept.public_sha256) is not None
    assert store.get(sha256_of(young)) == young and fresh_leftover.exists()
    with Session(engine) as session:
        assert verify(session, store=store).breaks == []


def test_a_reused_file_gets_a_new_grace_period(
    engine: Engine, ctx: Context, office: Office, how: Attaching
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    assert plan.id is not None
    data = files.photo(7)
    _rolled_back(engine, ctx, office, plan.id, how, data)
    _age(how.store.path_of(sha256_of(data)), 3 * DAY)
    how.store.put(data)  # an upload in flight reuses the old file before its entry commits
    with Session(engine) as session:
        done = sweep(session, store=how.store, now=_real_now())
    assert done.removed == () and how.store.get(sha256_of(data)) == data
    with pytest.raises(ValueError), Session(engine) as session:
        sweep(session, store=how.store, now=_real_now(), grace=timedelta(hours=-1))


def test_the_cli_prints_what_it_removed(
    engine: Engine, ctx: Context, office: Office, how: Attaching, db_url: str
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    assert plan.id is not None
    data = files.photo(8)
    _rolled_back(engine, ctx, office, plan.id, how, data)
    name = sha256_of(data)
    _age(how.store.path_of(name), 2 * DAY)
    env = {
        **os.environ,
        "LOCALPLAN_DATABASE_URL": db_url,
        "LOCALPLAN_EVIDENCE_DIR": str(how.store.root),
    }
    gc = [str(Path(sys.executable).with_name("localplan")), "evidence", "gc"]
    dry = subprocess.run([*gc, "--dry-run"], env=env, capture_output=True, text=True, check=False)
    assert dry.returncode == 0, dry.stderr
    assert f"would remove {name}" in dry.stdout and how.store.get(name) == data
    kept = subprocess.run(
        [*gc, "--grace-hours", "72"], env=env, capture_output=True, text=True, check=False
    )
    assert kept.returncode == 0 and "removed 0 file(s)" in kept.stdout, kept.stdout
    done = subprocess.run(gc, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"removed {name}" in done.stdout and how.store.get(name) is None
    bad = subprocess.run(
        [*gc, "--grace-hours", "-1"], env=env, capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def _real_now() -> datetime:
    """The files' times are the machine's: the cleanup compares them with the system clock."""
    from models.clock import SystemClock

    return SystemClock().now()
