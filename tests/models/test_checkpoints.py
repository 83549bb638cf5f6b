"""The checkpoint thread behind SQLite's writers (models/checkpoints.py), on real files."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from models import checkpoints
from models.checkpoints import BACKSTOP_PAGES, Checkpointer
from models.db import make_engine, write_unit, writer_of

WAIT_S = 10.0


def _until(ok: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not ok():
        assert time.monotonic() < deadline, "not within the wait"
        time.sleep(0.01)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "plans.db"


@pytest.fixture
def behind(db: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{db}", checkpoint_behind=True)
    with write_unit(engine) as unit:
        unit.conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    yield engine
    engine.dispose()


def _checkpointer(engine: Engine) -> Checkpointer:
    writer = writer_of(engine)
    assert writer is not None and writer.behind is not None
    return writer.behind


def _write(engine: Engine, rows: int) -> None:
    for n in range(rows):
        with write_unit(engine) as unit:
            unit.conn.exec_driver_sql("INSERT INTO t (body) VALUES (?)", (f"แผน {n}" * 200,))


def _wal(db: Path) -> tuple[int, int, int]:
    """(busy, frames in the WAL, frames checkpointed), asked without copying anything."""
    with sqlite3.connect(db) as conn:
        row = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    conn.close()
    return (row[0], row[1], row[2])


def test_commits_are_checkpointed_behind_the_writer(behind: Engine, db: Path) -> None:
    cp = _checkpointer(behind)
    _write(behind, 40)
    _until(lambda: cp.runs >= 1)
    with sqlite3.connect(db) as plain:  # the rows are in the database file as well as the WAL
        assert plain.execute("SELECT count(*) FROM t").fetchone() == (40,)
    plain.close()
    _until(lambda: _wal(db)[1] == _wal(db)[2])  # the thread copied every frame back


def test_the_writers_checkpoint_is_only_a_backstop(behind: Engine, db: Path) -> None:
    with behind.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_PAGES
    plain = make_engine(f"sqlite:///{db.with_name('other.db')}")
    with plain.connect() as conn:  # a short-lived process keeps SQLite's own (1,000 pages)
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    writer = writer_of(plain)
    assert writer is not None and writer.behind is None
    plain.dispose()


def test_memory_databases_have_no_thread() -> None:
    engine = make_engine("sqlite://", checkpoint_behind=True)
    writer = writer_of(engine)
    assert writer is not None and writer.behind is None
    engine.dispose()


def test_the_thread_ends_when_idle_or_disposed_and_starts_with_the_next_commit(
    behind: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoints, "IDLE_S", 0.2)
    cp = _checkpointer(behind)
    _write(behind, 1)
    _until(lambda: cp.runs >= 1 and not _running())  # idle for IDLE_S: the thread ended
    runs = cp.runs
    _write(behind, 1)
    _until(lambda: cp.runs > runs)  # started again by the commit
    behind.dispose()
    assert not _running()  # disposing of the engine ended it at once
    _write(behind, 1)
    _until(lambda: cp.runs > runs + 1)


def _running() -> bool:
    import threading

    return any(t.name == "localplan-checkpoint" for t in threading.enumerate())


def test_a_removed_database_is_not_made_anew(behind: Engine, db: Path) -> None:
    cp = _checkpointer(behind)
    behind.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    cp.nudge()
    _until(lambda: not _running())
    assert not db.exists()


def test_serve_and_the_scheduler_checkpoint_behind(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.cli import common

    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", f"sqlite:///{db}")
    cfg = common.settings()
    served, once = common.engine(cfg, long_running=True), common.engine(cfg)
    try:
        assert _checkpointer(served).path == db
        writer = writer_of(once)
        assert writer is not None and writer.behind is None
    finally:
        common.close_engines()
