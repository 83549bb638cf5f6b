"""The history log on both engines: entries in one order, checkpoints, proofs, tampering."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.clock import FixedClock
from models.enums import PlanKind, PlanState
from models.log import LogEntry, LogHead
from models.migrations.append_only import APPEND_ONLY_TABLES, LOG_TABLES, drop_guards
from tests.factories import Office, make_office
from tests.helpers import walk
from workflow import log, merkle, uow
from workflow.checkpoints import new_private_key, public_key_of
from workflow.commands import Context
from workflow.log import SigningKey

KEY = SigningKey("localplan.test/log", new_private_key())
PUBLIC = {KEY.name: public_key_of(KEY.private_key)}


def sign(engine: Engine, clock: FixedClock) -> int | None:
    point = uow.run(engine, clock, lambda s: log.sign_checkpoint(s, key=KEY, clock=clock))
    return None if point is None else point.size


def findings(engine: Engine) -> set[tuple[str, str | None]]:
    with Session(engine) as s:
        return {(f.problem, f.table) for f in log.verify_log(s, public_keys=PUBLIC)}


def entries(engine: Engine) -> list[LogEntry]:
    with Session(engine) as s:
        return list(s.exec(select(LogEntry).order_by(col(LogEntry.seq))).all())


def tamper(engine: Engine, table: str, sql: str) -> None:
    with engine.begin() as conn:
        drop_guards(conn, (table,))
        conn.exec_driver_sql(sql)


@pytest.fixture
def logged(engine: Engine, ctx: Context, office: Office) -> int:
    """Two plans walked, a checkpoint signed over their records; the log's size."""
    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    walk(engine, ctx, office, PlanKind.AMENDMENT, PlanState.ANNOUNCED)
    size = sign(engine, ctx.clock)
    assert size
    return size


def test_every_history_row_is_an_entry_in_order(engine: Engine, logged: int) -> None:
    rows = entries(engine)
    assert [e.seq for e in rows] == list(range(logged))
    with Session(engine) as s:
        head = s.get(LogHead, 1)
        assert head is not None and head.size == logged
        records = s.connection().exec_driver_sql(
            "SELECT id FROM transition_record ORDER BY id"
        ).all()
    logged_records = [e.row_id for e in rows if e.table_name == "transition_record"]
    assert logged_records == [r[0] for r in records]  # the records' own order
    assert findings(engine) == set()


def test_checkpoints_grow_and_prove_consistent(
    engine: Engine, ctx: Context, office: Office, logged: int
) -> None:
    assert sign(engine, ctx.clock) is None  # nothing new: nothing signed
    ctx.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.COMMITTEE_REVIEW)
    second = sign(engine, ctx.clock)
    assert second and second > logged
    with Session(engine) as s:
        proof = [bytes.fromhex(p) for p in log.consistency(s, first=logged, second=second)]
        leaves = log.frozen_leaves(s, second)
        found = log.inclusion(s, table="transition_record", row_id=1)
    old, new = merkle.tree_head(leaves[:logged]), merkle.tree_head(leaves)
    assert merkle.verify_consistency(logged, second, proof, old, new)
    assert merkle.verify_inclusion(
        bytes.fromhex(found["leaf"]),
        found["index"],
        found["tree_size"],
        [bytes.fromhex(p) for p in found["proof"]],
        bytes.fromhex(found["root"]),
    )
    assert findings(engine) == set()


def test_a_kept_checkpoint_exposes_a_rewritten_log(
    engine: Engine, ctx: Context, logged: int
) -> None:
    with Session(engine) as s:
        point = log.latest_checkpoint(s)
        assert point is not None
        note = point.note
        assert log.verify_saved(s, note, name=KEY.name, public_key=PUBLIC[KEY.name]) == []
    tamper(engine, "log_leaf", "UPDATE log_leaf SET leaf = '" + "0" * 64 + "' WHERE seq = 1")
    with Session(engine) as s:
        kept = log.verify_saved(s, note, name=KEY.name, public_key=PUBLIC[KEY.name])
    assert [f.problem for f in kept] == ["log_forked"]
    assert ("log_forked", None) in findings(engine)


@pytest.mark.parametrize(
    ("table", "sql", "problem"),
    [
        ("transition_record", "UPDATE transition_record SET comment = 'x'", "row_changed"),
        ("transition_record", "DELETE FROM deadline_extension", "row_deleted"),
        ("refused_attempt", "DELETE FROM refused_attempt", "row_deleted"),
    ],
)
def test_edits_after_a_checkpoint_are_found(
    engine: Engine, ctx: Context, office: Office, table: str, sql: str, problem: str
) -> None:
    from tests.models.test_append_only import fill_history_tables

    fill_history_tables(engine, ctx, office)
    assert sign(engine, ctx.clock)
    with engine.begin() as conn:
        drop_guards(conn, APPEND_ONLY_TABLES)
        conn.exec_driver_sql(sql)
    assert problem in {p for p, _ in findings(engine)}


def test_a_row_written_past_the_log_is_found(engine: Engine, logged: int) -> None:
    with engine.begin() as conn:
        name = "refused_attempt_log"
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"DROP TRIGGER {name} ON refused_attempt")
        else:
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        conn.exec_driver_sql(
            "INSERT INTO refused_attempt (action, actor_username, actor_role, attempted_at, "
            "code, reasons) VALUES ('approve', 'ghost', 'staff', '2018-10-01 00:00:00', 'x', '[]')"
        )
    assert ("row_not_logged", "refused_attempt") in findings(engine)


def test_the_log_tables_and_head_refuse_change(engine: Engine, logged: int) -> None:
    import sqlalchemy as sa

    for table in LOG_TABLES:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.exec_driver_sql(f"DELETE FROM {table}")
    for sql in ("UPDATE log_head SET size = 3", "UPDATE log_head SET size = size + 2",
                "DELETE FROM log_head"):
        with pytest.raises(sa.exc.DBAPIError, match="log head"), engine.begin() as conn:
            conn.exec_driver_sql(sql)
    assert findings(engine) == set()


def test_concurrent_writers_get_one_order(engine: Engine, ctx: Context, clock: FixedClock) -> None:
    offices = [make_office(engine, clock, f"66606{i:02d}") for i in range(4)]
    errors: list[BaseException] = []

    def work(office: Office) -> None:
        try:
            walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(o,)) for o in offices]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    rows = entries(engine)
    assert [e.seq for e in rows] == list(range(len(rows)))
    assert len({(e.table_name, e.row_id) for e in rows}) == len(rows)
    assert sign(engine, clock) == len(rows)
    assert findings(engine) == set()


def test_an_existing_history_is_brought_into_the_log(
    engine: Engine, ctx: Context, office: Office
) -> None:
    """A database of the release before the log: its rows become the first entries, table by
    table in id order, with their own columns (the records' hashes) untouched."""
    from alembic import command

    from models.db import alembic_config, upgrade

    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    walk(engine, ctx, office, PlanKind.AMENDMENT, PlanState.ANNOUNCED)
    # Back to the release before the log: the log's tables go, the history stays unlogged
    # (today's commands need today's tables, so the history is written before going back).
    command.downgrade(alembic_config(engine), "0004")
    with engine.connect() as conn:
        before = conn.exec_driver_sql("SELECT id, hash FROM transition_record ORDER BY id").all()
    upgrade(engine)
    with engine.connect() as conn:
        after = conn.exec_driver_sql("SELECT id, hash FROM transition_record ORDER BY id").all()
        count = "SELECT count(*) FROM {}"
        counts = {t: conn.exec_driver_sql(count.format(t)).scalar() for t in APPEND_ONLY_TABLES}
    assert after[: len(before)] == before
    rows = entries(engine)
    assert len(rows) == sum(c or 0 for c in counts.values())
    assert [e.table_name for e in rows] == sorted(
        (e.table_name for e in rows), key=APPEND_ONLY_TABLES.index
    )
    assert sign(engine, ctx.clock) == len(rows)
    assert findings(engine) == set()
