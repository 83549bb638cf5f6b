"""SQLite's writer keeps one connection checked out between write transactions
(models.db.Writer): each transaction on it still begins IMMEDIATE and commits or rolls back
whole, an error gives it back to the pool, and disposing of the engine closes it."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, event

from models.db import make_engine, write_session, write_unit
from tests.models.writer_kit import count, writer_of_engine


@pytest.fixture
def sqlite(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (n INTEGER)"))
    return engine


def test_write_transactions_share_one_connection_and_each_begins_immediate(
    sqlite: Engine,
) -> None:
    seen: list[str] = []
    event.listen(sqlite, "before_cursor_execute", lambda *a: seen.append(a[2]))
    checkouts: list[object] = []
    event.listen(sqlite, "checkout", lambda *a: checkouts.append(a[0]))
    for n in range(3):
        with write_unit(sqlite) as unit:
            unit.conn.execute(sa.text("INSERT INTO t VALUES (:n)"), {"n": n})
    assert len(checkouts) == 1  # checked out once, kept between the transactions
    assert seen.count("BEGIN IMMEDIATE") == 3
    assert count(sqlite) == 3
    sqlite.dispose()


def test_a_failed_transaction_leaves_nothing_and_gives_the_connection_back(
    sqlite: Engine,
) -> None:
    with pytest.raises(RuntimeError), write_unit(sqlite) as unit:
        unit.conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        raise RuntimeError("refused")
    writer = writer_of_engine(sqlite)
    assert writer.held is None
    with write_session(sqlite) as session:  # the next one takes a connection anew
        session.connection().execute(sa.text("INSERT INTO t VALUES (2)"))
    assert count(sqlite) == 1
    assert writer.held is not None
    sqlite.dispose()


def test_disposing_of_the_engine_closes_the_kept_connection(sqlite: Engine) -> None:
    with write_unit(sqlite) as unit:
        unit.conn.execute(sa.text("INSERT INTO t VALUES (1)"))
    writer = writer_of_engine(sqlite)
    held = writer.held
    assert held is not None
    sqlite.dispose()
    assert writer.held is None and not held.is_valid
    with write_unit(sqlite) as unit:  # and the next transaction checks one out anew
        unit.conn.execute(sa.text("INSERT INTO t VALUES (2)"))
    assert count(sqlite) == 2
    sqlite.dispose()


def test_disposing_inside_a_transaction_closes_it_when_the_transaction_ends(
    sqlite: Engine,
) -> None:
    writer = writer_of_engine(sqlite)
    with write_unit(sqlite) as unit:
        unit.conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        sqlite.dispose()
        assert writer.stale and writer.held is not None  # still in use: not closed under it
    assert writer.held is None and not writer.stale
    assert count(sqlite) == 1
    sqlite.dispose()


def test_a_disposed_engine_is_not_kept_alive_by_itswriter(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'gone.db'}")
    with write_unit(engine) as unit:
        unit.conn.execute(sa.text("CREATE TABLE t (n INTEGER)"))
    assert writer_of_engine(engine).held is not None
    engine.dispose()  # as every owner of an engine does when done with it
    gone = weakref.ref(engine)
    del engine, unit
    gc.collect()
    assert gone() is None
