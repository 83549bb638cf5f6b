"""`commands`: a full action command in process (guards, hash-chained record, deadlines,
outbox) on a SQLite file with many plans, against raw sqlite3 executing the very statements
the command issued (captured, then replayed prepared, WAL, one transaction each)."""

from __future__ import annotations

import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.dataset import build
from bench.harness import Result, table, versions
from models.enums import Action, PlanState, Role
from workflow import uow
from workflow.commands import Context, perform
from workflow.policy import WorkflowPolicy

TARGET = "≥ 0.40 of the baseline"


def full() -> str:
    return run()


def quick() -> str:
    return run(plans=2_000, ops=20, rounds=2)


def run(*, plans: int = 100_000, ops: int = 200, rounds: int = 5) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="localplan-bench-"))
    try:
        return _run(workdir, plans, ops, rounds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# The next step of each plan, by whom and with what: the first four actions of a plan's life.
STEPS: dict[PlanState, tuple[Action, Role, tuple[str, ...]]] = {
    PlanState.DRAFT: (Action.SUBMIT, Role.STAFF, ()),
    PlanState.COMMITTEE_REVIEW: (Action.APPROVE, Role.COMMITTEE, ()),
    PlanState.AWAITING_ANNOUNCEMENT: (Action.ANNOUNCE, Role.EXECUTIVE, ()),
    PlanState.ANNOUNCED: (Action.POST, Role.STAFF, ("บอร์ดประชาสัมพันธ์ อบต.",)),
}


def _run(workdir: Path, plans: int, ops: int, rounds: int) -> str:
    engine, actors, clock = build(workdir / "bench.db", plans)
    engine.dispose()
    _copy(workdir / "bench.db", workdir / "baseline.db")
    engine, actors, clock = _reopen(workdir / "bench.db", actors, clock)
    ctx = Context(WorkflowPolicy(), clock)
    pool = [p for p in range(1, plans + 1) if p % 10 == 0]  # the first office's plans
    assert len(pool) * len(STEPS) >= ops * (rounds + 1), "not enough plans for the rounds asked"
    at: dict[int, tuple[PlanState, int]] = dict.fromkeys(pool, (PlanState.DRAFT, 1))
    pick = random.Random(7)
    captured: list[list[tuple[str, Any]]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _m: bool) -> None:
        captured[-1].append((statement, parameters))

    def step(i: int | None = None) -> None:
        i = pick.randrange(len(pool)) if i is None else i
        plan_id = pool[i]
        state, version = at[plan_id]
        action, role, places = STEPS[state]
        captured.append([])
        plan = uow.run_unit(
            engine,
            clock,
            lambda s: perform(
                s,
                ctx,
                plan_id=plan_id,
                action=action,
                actor=actors[role],
                expected_version=version,
                places=places,
            ),
        )
        at[plan_id] = (PlanState(plan.state), plan.version)
        if plan.state not in STEPS:  # posted: out of the pool
            pool[i] = pool[-1]
            pool.pop()

    replay = sqlite3.connect(workdir / "baseline.db", isolation_level=None, cached_statements=256)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        replay.execute(f"PRAGMA {pragma}")
    for i in range(min(10, len(pool))):  # warm-up: every step once, as in a running service
        for _ in STEPS:
            step(i)
    _replay(replay, captured)
    command_rates, baseline_rates = [], []
    for _ in range(rounds):  # alternate, so both see the same load on a shared machine
        first = len(captured)
        command_rates.append(_rate(step, ops))
        baseline_rates.append(_replay(replay, captured[first:]))
    replay.close()
    engine.dispose()
    statements = sum(len(c) for c in captured) / len(captured)
    notes = (
        f"{plans:,} plans in one SQLite file (WAL); each operation is the next action of a "
        f"random plan of one office (submit, approve, announce or post, by the role the table "
        f"names) through `uow.run_unit(perform(...))` (one transaction, no ORM session): "
        f"on average {statements:.1f} SQL statements "
        f"including BEGIN IMMEDIATE, plus COMMIT. Baseline: the same statements with the same "
        f"parameters, captured from the commands and replayed with the `sqlite3` module on a "
        f"copy of the file (statement cache, WAL, synchronous=NORMAL), one transaction per "
        f"operation; command and baseline rounds alternate, after a warm-up round of each. "
        f"{versions('SQLAlchemy', 'sqlmodel', 'transitions')}, SQLite "
        f"{sqlite3.sqlite_version}."
    )
    return table(
        "commands",
        [Result("localplan command", "action", command_rates)],
        Result("raw sqlite3, same statements", "action", baseline_rates),
        TARGET,
        notes,
    )


def _rate(operation: Callable[[], None], ops: int) -> float:
    start = time.perf_counter()
    for _ in range(ops):
        operation()
    return ops / (time.perf_counter() - start)


def _copy(source: Path, target: Path) -> None:
    """A consistent copy (WAL content included) through SQLite's backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _reopen(path: Path, actors: Any, clock: Any) -> tuple[Any, Any, Any]:
    from models.db import make_engine

    return make_engine(f"sqlite:///{path}"), actors, clock


def _replay(conn: sqlite3.Connection, operations: list[list[tuple[str, Any]]]) -> float:
    start = time.perf_counter()
    for statements in operations:
        for statement, parameters in statements:
            conn.execute(statement, parameters or ())
        conn.execute("COMMIT")
    return len(operations) / (time.perf_counter() - start)
