"""Backup and restore (docs/operations.md "Backup and restore"), on both engines: a backup
taken while another thread writes plans and evidence is restored into a new database, a new
evidence directory and a new key path, and `audit verify` finds it intact; a damaged backup
and a restore over a database in use are refused."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session, select
from typer.testing import CliRunner

from api.cli import app
from api.keys import init_key
from documents.evidence_images import public_copy
from models.blobs import BlobStore
from models.enums import Action, PlanKind, PlanState
from models.evidence import Evidence
from models.plan import Plan
from tests import evidence_files as files
from tests.databases import postgres_url
from tests.factories import Office, create, new_plan
from tests.helpers import walk
from tests.workflow.test_evidence import put, record_of
from workflow.commands import Context
from workflow.evidence import Attaching, Upload

runner = CliRunner()


def empty_database(db_url: str, tmp_path: Path) -> str:
    """A new, empty database of the same engine (nothing migrated: restore fills it)."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored.db'}"
    name = f"lp_restore_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url(), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return make_url(postgres_url()).set(database=name).render_as_string(False)


def counts(url: str) -> tuple[int, int]:
    engine = create_engine(url, poolclass=NullPool)
    with Session(engine) as session:
        found = (
            session.exec(select(func.count()).select_from(Plan)).one(),
            session.exec(select(func.count()).select_from(Evidence)).one(),
        )
    engine.dispose()
    return found


def test_backup_during_writes_restores_and_verifies(
    engine: Engine,
    ctx: Context,
    office: Office,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = BlobStore(tmp_path / "evidence")
    how = Attaching(store, public_copy)
    key_file = tmp_path / "signing.key"
    init_key(key_file, name="localplan.test/backup")
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    assert plan.id is not None
    post = record_of(engine, plan.id, Action.POST)
    put(engine, ctx, office, plan.id, Upload(files.photo(1), post, "posting_photo", "บอร์ด"), how)
    before = counts(db_url)
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        while not stop.is_set():
            made = create(engine, ctx, new_plan(office, PlanKind.SUPPLEMENTARY), office.staff)
            first = record_of(engine, made.id, Action.CREATE)
            put(engine, ctx, office, made.id, Upload(files.png(made.id), first, "other"), how)
            written.append(made.id)

    thread = threading.Thread(target=writer)
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    monkeypatch.setenv("LOCALPLAN_EVIDENCE_DIR", str(store.root))
    monkeypatch.setenv("LOCALPLAN_SIGNING_KEY_FILE", str(key_file))
    thread.start()
    try:
        while len(written) < 2:
            stop.wait(0.05)
        taken = runner.invoke(app, ["backup", "-o", str(tmp_path / "backup.tar")])
    finally:
        stop.set()
        thread.join()
    assert taken.exit_code == 0, taken.output
    target = empty_database(db_url, tmp_path)
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", target)
    monkeypatch.setenv("LOCALPLAN_EVIDENCE_DIR", str(tmp_path / "restored-evidence"))
    monkeypatch.setenv("LOCALPLAN_SIGNING_KEY_FILE", str(tmp_path / "restored.key"))
    done = runner.invoke(app, ["restore", str(tmp_path / "backup.tar")])
    assert done.exit_code == 0, done.output
    assert "intact" in done.output and ", key" in done.output
    assert (tmp_path / "restored.key").read_bytes() == key_file.read_bytes()
    plans, entries = counts(target)
    assert plans >= before[0] + 2 and entries >= before[1] + 2  # written during the backup too
    again = runner.invoke(app, ["restore", str(tmp_path / "backup.tar")])
    assert again.exit_code == 2 and "restore into a new database" in again.output


def test_a_damaged_backup_is_refused(
    engine: Engine,
    ctx: Context,
    office: Office,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = BlobStore(tmp_path / "evidence")
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    assert plan.id is not None
    put(
        engine,
        ctx,
        office,
        plan.id,
        Upload(files.pdf("notice"), record_of(engine, plan.id, Action.ANNOUNCE), "signed_notice"),
        Attaching(store, public_copy),
    )
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    monkeypatch.setenv("LOCALPLAN_EVIDENCE_DIR", str(store.root))
    assert runner.invoke(app, ["backup", "-o", str(tmp_path / "b.tar")]).exit_code == 0
    data = bytearray((tmp_path / "b.tar").read_bytes())
    at = data.index(b"minutes" if b"minutes" in data else b"notice")
    data[at] ^= 0x01
    (tmp_path / "damaged.tar").write_bytes(bytes(data))
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", empty_database(db_url, tmp_path))
    monkeypatch.setenv("LOCALPLAN_EVIDENCE_DIR", str(tmp_path / "r"))
    done = runner.invoke(app, ["restore", str(tmp_path / "damaged.tar")])
    assert done.exit_code == 2 and "damaged" in done.output, done.output
