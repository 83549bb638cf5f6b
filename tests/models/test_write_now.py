"""`models.db.write_now`: a write run on the event loop takes SQLite's writer only if it is free
at once. Held by another thread of this process (or queued for), or its file lock held by
another process, the write raises `WriterBusy` at once with nothing written, and the next
write that may wait waits out another process's lock again as before."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from models.db import BUSY_SECONDS, WriterBusy, make_engine, write_now, write_unit
from tests.models.writer_kit import count, writer_of_engine


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'now.db'}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (n INTEGER)"))
    yield engine
    engine.dispose()


def _insert(engine: Engine, n: int) -> None:
    with write_unit(engine) as unit:
        unit.conn.execute(sa.text("INSERT INTO t VALUES (:n)"), {"n": n})


def _busy_timeout(engine: Engine) -> int:
    held = writer_of_engine(engine).held
    assert held is not None
    cursor = held.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout")
        return int(cursor.fetchone()[0])
    finally:
        cursor.close()


def test_a_free_writer_is_taken_and_the_write_commits(sqlite: Engine) -> None:
    with write_now():
        _insert(sqlite, 1)
    assert count(sqlite) == 1
    lock = writer_of_engine(sqlite).lock
    assert lock.acquire(timeout=0)  # given back
    lock.release()


def test_a_writer_held_by_another_thread_is_not_waited_for(sqlite: Engine) -> None:
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        with write_unit(sqlite) as unit:
            unit.conn.execute(sa.text("INSERT INTO t VALUES (0)"))
            taken.set()
            done.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(10)
    started = time.monotonic()
    try:
        with pytest.raises(WriterBusy), write_now():
            _insert(sqlite, 1)
        assert time.monotonic() - started < 1.0  # at once, not after the lock's timeout
    finally:
        done.set()
        holder.join(10)
    assert count(sqlite) == 1  # the holder's row; nothing of the write refused
    _insert(sqlite, 2)  # the writer was left free and whole
    assert count(sqlite) == 2


def test_another_process_holding_the_file_lock_fails_the_write_at_once(
    sqlite: Engine, tmp_path: Path
) -> None:
    _insert(sqlite, 0)  # the writer's connection is checked out and kept
    other = sqlite3.connect(tmp_path / "now.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # as another process writing (a CLI import)
    try:
        started = time.monotonic()
        with pytest.raises(WriterBusy), write_now():
            _insert(sqlite, 1)
        assert time.monotonic() - started < 1.0  # not after the 30 s busy timeout
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert count(sqlite) == 1
    _insert(sqlite, 2)  # a write that may wait takes it as before
    assert count(sqlite) == 2
    assert _busy_timeout(sqlite) == BUSY_SECONDS * 1000  # waits out other processes again


def test_the_kept_connection_waits_again_after_a_write_now(sqlite: Engine) -> None:
    with write_now():
        _insert(sqlite, 1)
    assert _busy_timeout(sqlite) == 0  # on the loop: never waits
    _insert(sqlite, 2)
    assert _busy_timeout(sqlite) == BUSY_SECONDS * 1000


def test_a_connection_given_back_to_the_pool_waits_again(sqlite: Engine) -> None:
    with pytest.raises(RuntimeError), write_now(), write_unit(sqlite) as unit:
        unit.conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        raw = unit.conn.connection.driver_connection  # the kept connection's own
        raise RuntimeError("refused")
    assert writer_of_engine(sqlite).held is None and count(sqlite) == 0  # given back to the pool
    assert raw.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_SECONDS * 1000
