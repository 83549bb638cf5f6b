"""`report`: the monitoring report's figures of a 500-project plan in force with a year of
progress (two rounds, as of 31 March and 30 September; 1,000 entries), computed by
`workflow.report_figures` (the plan in force read, each item's latest entry as of the date in
one statement, the pure tally) and written as the API's JSON, against reading the same
progress rows (each item's latest entry as of the date) with raw sqlite3, in the same run on
one SQLite file. Rounds alternate, after a warm-up of each."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from bench.content import content_of
from bench.dataset import build
from bench.harness import Result, rate, table, versions
from models.clock import FixedClock, bangkok_noon
from models.db import read_session
from models.enums import Action, PlanKind, Role, TriggerKind
from workflow import content as cc
from workflow import progress, uow
from workflow.actors import Actor
from workflow.commands import Context, NewPlan, create_plan, perform
from workflow.policy import WorkflowPolicy
from workflow.report_data import figures_data, visible_figures
from workflow.report_figures import report_figures

TARGET = "the figures ≤ 10× reading the progress rows with raw SQL (ratio ≥ 0.10)"
PROJECTS, AS_OF = 500, date(2019, 9, 30)
RAW_LATEST = """
SELECT e.* FROM progress_entry e
JOIN (SELECT item_id, MAX(seq) AS seq FROM progress_entry
      WHERE plan_id = :plan AND as_of <= :day GROUP BY item_id) last
  ON last.item_id = e.item_id AND last.seq = e.seq
WHERE e.plan_id = :plan
"""


def full() -> str:
    return run(ops=20, rounds=5)


def quick() -> str:
    return run(ops=2, rounds=1)


def run(*, ops: int, rounds: int) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="localplan-bench-"))
    try:
        return _run(workdir, ops, rounds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _line(item_id: str, n: int, as_of: str, final: bool) -> progress.Line:
    status = ("completed", "in_progress", "not_started", "cancelled")[n % 4 if final else 1]
    data = {"status": status, "as_of": as_of, "committed_baht": "90000", "disbursed_baht": "0"}
    if status in ("completed", "in_progress"):
        data["started_on"] = "01/11/2561"
    if status == "completed":
        data |= {"finished_on": as_of, "disbursed_baht": "89500.50"}
    if status == "not_started":
        data |= {"committed_baht": "0"}
    return progress.Line(item_id, data)


def _annual(engine: Engine, ctx: Context, staff: Actor) -> int:
    """The first office's annual plan of FY 2562 (the dataset's plans are supplementary)."""
    new = NewPlan(organization_id=1, kind=PlanKind.ANNUAL, trigger_kind=TriggerKind.ANNUAL_BUDGET,
                  trigger_on=date(2018, 9, 20), title="แผนการดำเนินงาน ประจำปี 2562",
                  fiscal_year_be=2562)  # fmt: skip

    def command(s: Session) -> int:
        made = create_plan(s, ctx, new=new, actor=staff)
        assert made.id is not None
        return made.id

    return uow.run(engine, ctx.clock, command)


def _announce(engine: Engine, ctx: Context, actors: dict[Role, Actor], plan_id: int) -> None:
    steps = ((Action.SUBMIT, Role.STAFF), (Action.APPROVE, Role.COMMITTEE),
             (Action.ANNOUNCE, Role.EXECUTIVE))  # fmt: skip
    for version, (action, role) in enumerate(steps, start=1):

        def command(s: Session, a: Action = action, r: Role = role, v: int = version) -> object:
            return perform(s, ctx, plan_id=plan_id, expected_version=v, action=a, actor=actors[r])

        uow.run(engine, ctx.clock, command)


def _seed(
    engine: Engine, ctx: Context, clock: FixedClock, actors: dict[Role, Actor]
) -> tuple[int, int]:
    """The plan's content, its announcement and the two rounds; the plan, the entries."""
    staff = actors[Role.STAFF]
    content = content_of(PROJECTS)
    plan_id = _annual(engine, ctx, staff)
    uow.run(engine, clock, lambda s: cc.replace_content(
        s, ctx, plan_id=plan_id, actor=staff, expected_revision=0, content=content,
        source="bench"))  # fmt: skip
    _announce(engine, ctx, actors, plan_id)
    clock.set(bangkok_noon(date(2019, 10, 15)))
    written = 0
    for as_of, final in (("31/03/2562", False), ("30/09/2562", True)):
        lines = [_line(p.id, n, as_of, final) for n, p in enumerate(content.projects)]

        def batch(s: Session, lines: list[progress.Line] = lines) -> list[progress.Recorded]:
            return progress.record_batch(
                s, ctx, plan_id=plan_id, actor=staff, lines=lines, source="bench"
            )

        written += len(uow.run(engine, clock, batch))
    return plan_id, written


def _run(workdir: Path, ops: int, rounds: int) -> str:
    path = workdir / "bench.db"
    engine, actors, clock = build(path, 30)
    ctx = Context(WorkflowPolicy(), clock)
    plan_id, written = _seed(engine, ctx, clock, actors)
    raw = sqlite3.connect(path)
    params = {"plan": plan_id, "day": AS_OF.isoformat()}
    staff = actors[Role.STAFF]

    def raw_read() -> None:
        raw.execute(RAW_LATEST, params).fetchall()

    def figures() -> None:
        with read_session(engine) as s:
            report_figures(s, plan_id, AS_OF)

    def as_json() -> None:
        with read_session(engine) as s:
            figures_data(*visible_figures(s, plan_id=plan_id, actor=staff, as_of=AS_OF,
                                          today=date(2019, 10, 15)))  # fmt: skip

    with read_session(engine) as s:
        got = report_figures(s, plan_id, AS_OF)
    assert len(raw.execute(RAW_LATEST, params).fetchall()) == got.overall.items == PROJECTS
    names = ("raw", "figures", "json")
    ops_of = {"raw": raw_read, "figures": figures, "json": as_json}
    rates: dict[str, list[float]] = {n: [] for n in names}
    for n in names:
        rate(ops_of[n], ops=1, rounds=1)  # warm-up
    for _ in range(rounds):
        for n in names:
            rates[n] += rate(ops_of[n], ops=ops, rounds=1)
    raw.close()
    baseline = Result("raw sqlite3: each item's latest entry as of the date", "read", rates["raw"])
    results = [
        Result("report_figures (plan in force, entries, tally)", "figures", rates["figures"]),
        Result("… and the API's JSON (visibility, heading, figures_data)", "answer", rates["json"]),
    ]
    notes = (
        f"A plan in force of {PROJECTS} projects over 6 strategies, {written:,} progress "
        f"entries in two rounds; as of {AS_OF}; {ops} operations a round, {rounds} rounds, "
        f"alternating. {versions('sqlalchemy')}."
    )
    return table("report: the monitoring report's figures", results, baseline, TARGET, notes)
