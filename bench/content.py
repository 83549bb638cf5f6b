"""`content`: ผด.01 of a 500-project plan (the draft read through the store, summarized and
written as the API's data) against reading the same rows with raw sqlite3; and saving one
project edit (`update_project`: lock, read the draft, validate, write one row, the history
row with the new hash) against one plan action (`perform`: submit or return for revision),
both through `uow.run` on one SQLite file. Rounds alternate, after a warm-up of each."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from bench.dataset import build
from bench.harness import Result, rate, table, versions
from models.clock import FixedClock
from models.db import read_session
from models.enums import Action, Role
from workflow import content as cc
from workflow import uow
from workflow.actors import Actor
from workflow.commands import Context, perform
from workflow.content_model import (
    EMPTY,
    Content,
    new_id,
    project_from_input,
    strategy_from_input,
)
from workflow.policy import WorkflowPolicy
from workflow.summary import summarize, summary_data

TARGET = "ผด.01 ≤ 5× the raw read (ratio ≥ 0.20); one project edit ≤ 2× a plan action (≥ 0.50)"
BIG, TYPICAL = 500, 60  # projects: the bench's size, and a sub-district office's usual plan


def full() -> str:
    return run(ops=50, rounds=5)


def quick() -> str:
    return run(ops=5, rounds=2)


def content_of(projects: int) -> Content:
    strategies = tuple(
        strategy_from_input({"number": i + 1, "name": f"ยุทธศาสตร์ที่ {i + 1}"}, strategy_id=new_id())
        for i in range(6)
    )
    rows = tuple(
        project_from_input(
            {
                "strategy_id": strategies[i % 6].id,
                "programme": f"แผนงานที่ {i % 4 + 1}",
                "number": i + 1,
                "name": f"โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก สายที่ {i + 1}",
                "activity": "ก่อสร้างถนน คสล. กว้าง 4 เมตร ยาว 200 เมตร หนา 0.15 เมตร",
                "budget_baht": f"{100000 + i * 1000}.00",
                "location": f"หมู่ที่ {i % 12 + 1}",
                "village": i % 12 + 1,
                "unit": "กองช่าง" if i % 5 else "แขวงทางหลวงชนบท",
                "ownership": "own" if i % 5 else "regional",
                "months": [10, 11, 12] if i % 2 else [3, 4],
            },
            project_id=new_id(),
        )
        for i in range(projects)
    )
    return Content(introduction=EMPTY.introduction, strategies=strategies, projects=rows)


def run(*, ops: int, rounds: int) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="localplan-bench-"))
    try:
        return _run(workdir, ops, rounds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _seed(engine: object, ctx: Context, staff: Actor, plan_id: int, projects: int) -> None:
    content = content_of(projects)
    uow.run(
        engine,  # type: ignore[arg-type]
        ctx.clock,
        lambda s: cc.replace_content(
            s, ctx, plan_id=plan_id, actor=staff, expected_revision=0, content=content,
            source="bench",
        ),
    )  # fmt: skip


def _run(workdir: Path, ops: int, rounds: int) -> str:
    path = workdir / "bench.db"
    engine, actors, clock = build(path, 30)
    ctx = Context(WorkflowPolicy(), clock)
    staff, committee = actors[Role.STAFF], actors[Role.COMMITTEE]
    big, typical, acted = 10, 20, 30  # the first office's plans (bench.dataset)
    _seed(engine, ctx, staff, big, BIG)
    _seed(engine, ctx, staff, typical, TYPICAL)
    raw = sqlite3.connect(path)

    def summary() -> None:
        with read_session(engine) as s:
            summary_data(summarize(cc.read_draft(s, plan_id=big, actor=staff).content))

    def raw_read() -> None:
        for table_name in ("content_strategy", "content_project", "content_equipment"):
            raw.execute(
                f"SELECT * FROM {table_name} WHERE plan_id = ? ORDER BY position", (big,)
            ).fetchall()
        raw.execute("SELECT * FROM content_draft WHERE plan_id = ?", (big,)).fetchall()

    state = {"action": 0, big: 1, typical: 1, "budget": 0}

    def action() -> None:
        n = state["action"]
        submit = n % 2 == 0
        uow.run(
            engine,
            clock,
            lambda s: perform(
                s, ctx, plan_id=acted, expected_version=n + 1,
                action=Action.SUBMIT if submit else Action.RETURN_FOR_REVISION,
                actor=staff if submit else committee,
                comment=None if submit else "ขอให้ปรับปรุงรายละเอียดโครงการ",
            ),
        )  # fmt: skip
        state["action"] = n + 1

    def editor(plan_id: int) -> Callable[[], None]:
        project_id = _first_project(engine, staff, plan_id)

        def edit() -> None:
            state["budget"] += 1
            budget = f"{Decimal(1000 + state['budget'])}.00"
            uow.run(
                engine,
                clock,
                lambda s: cc.update_project(
                    s, ctx, plan_id=plan_id, actor=staff, expected_revision=state[plan_id],
                    project_id=project_id, data={"budget_baht": budget},
                ),
            )  # fmt: skip
            state[plan_id] += 1

        return edit

    measured = {
        "raw sqlite3, the plan's content rows": raw_read,
        f"ผด.01 of {BIG} projects (read, summarize, data)": summary,
        "plan action (submit / return for revision)": action,
        f"one project edit, {BIG}-project plan": editor(big),
        f"one project edit, {TYPICAL}-project plan": editor(typical),
    }
    rates: dict[str, list[float]] = {name: [] for name in measured}
    for operation in measured.values():  # warm-up
        rate(operation, ops=max(1, ops // 5), rounds=1)
    for _ in range(rounds):
        for name, operation in measured.items():
            rates[name] += rate(operation, ops=ops, rounds=1)
    raw.close()
    engine.dispose()
    return _tables(rates, clock)


def _first_project(engine: object, staff: Actor, plan_id: int) -> str:
    with read_session(engine) as s:  # type: ignore[arg-type]
        return cc.read_draft(s, plan_id=plan_id, actor=staff).content.projects[0].id


def _tables(rates: dict[str, list[float]], clock: FixedClock) -> str:
    names = list(rates)
    results = {name: Result(name, "op", values) for name, values in rates.items()}
    notes = (
        f"One SQLite file (WAL) with a {BIG}-project and a {TYPICAL}-project draft. ผด.01: "
        "`read_draft` (four SELECTs, rows into values) + `summarize` + `summary_data`, against "
        "the same rows fetched with the `sqlite3` module. Edits: `update_project` (budget of "
        "the first project) in `uow.run`, against `perform` alternating submit (which freezes "
        "the plan's empty content) and return for revision on a third plan. The machine is "
        "shared by several sessions: absolute figures drift, ratios hold better. "
        + versions("SQLAlchemy", "sqlmodel")
    )
    first = table("content: ผด.01", [results[names[1]]], results[names[0]], TARGET, notes)
    second = table(
        "content: an edit against an action",
        [results[names[3]], results[names[4]]],
        results[names[2]],
        TARGET,
        "Same run as above; the baseline is the plan action.",
    )
    return first + "\n" + second
