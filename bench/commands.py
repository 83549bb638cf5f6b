"""`commands`: a full action command in process (guards, hash-chained record, deadlines,
outbox) on a SQLite file with many plans, against raw sqlite3 executing the very statements
the command issued (captured, then replayed prepared, WAL, one transaction each)."""

from __future__ import annotations

import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.dataset import build
from bench.harness import Result, table, versions
from models.enums import Action, Role
from workflow import uow
from workflow.commands import Context, perform
from workflow.policy import WorkflowPolicy

TARGET = "≥ 0.30 of the baseline"


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


def _run(workdir: Path, plans: int, ops: int, rounds: int) -> str:
    engine, actors, clock = build(workdir / "bench.db", plans)
    engine.dispose()
    _copy(workdir / "bench.db", workdir / "baseline.db")
    engine, actors, clock = _reopen(workdir / "bench.db", actors, clock)
    ctx = Context(WorkflowPolicy(), clock)
    mine = [p for p in range(1, plans + 1) if p % 10 == 0]  # the first office's plans
    random.Random(7).shuffle(mine)
    assert len(mine) >= ops * rounds, "not enough plans for the rounds asked"
    captured: list[list[tuple[str, Any]]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _m: bool) -> None:
        captured[-1].append((statement, parameters))

    staff = actors[Role.STAFF]
    picks = iter(mine)
    command_rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(ops):
            plan_id = next(picks)
            captured.append([])
            uow.run(
                engine,
                clock,
                lambda s, p=plan_id: perform(  # type: ignore[misc]
                    s, ctx, plan_id=p, action=Action.SUBMIT, actor=staff, expected_version=1
                ),
            )
        command_rates.append(ops / (time.perf_counter() - start))
    engine.dispose()
    baseline_rates = _replay(workdir / "baseline.db", captured, ops, rounds)
    statements = sum(len(c) for c in captured) / len(captured)
    notes = (
        f"{plans:,} plans in one SQLite file (WAL); each operation is `submit` on a random "
        f"draft plan through `uow.run(perform(...))`: {statements:.1f} SQL statements "
        f"including BEGIN IMMEDIATE, plus COMMIT. Baseline: the same statements with the same "
        f"parameters, captured from the commands and replayed with the `sqlite3` module "
        f"(statement cache, WAL, synchronous=NORMAL), one transaction per operation. "
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


def _copy(source: Path, target: Path) -> None:
    """A consistent copy (WAL content included) through SQLite's backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _reopen(path: Path, actors: Any, clock: Any) -> tuple[Any, Any, Any]:
    from models.db import make_engine

    return make_engine(f"sqlite:///{path}"), actors, clock


def _replay(
    path: Path, captured: list[list[tuple[str, Any]]], ops: int, rounds: int
) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None, cached_statements=256)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    rates = []
    it = iter(captured)
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(ops):
            for statement, parameters in next(it):
                conn.execute(statement, parameters or ())
            conn.execute("COMMIT")
        rates.append(ops / (time.perf_counter() - start))
    conn.close()
    return rates
