"""`peers`: one durable approval step (load the plan's state from SQLite, approve, commit) in
localplan, against SpiffWorkflow (a BPMN process serialized to JSON in SQLite) and
python-statemachine (a machine bound to a SQLModel row, with a hand-written audit table).

Each engine has its own SQLite file (WAL, synchronous=NORMAL, BEGIN IMMEDIATE) holding the same
number of plans, every one in committee_review; each step approves a plan picked at random
(never the same plan twice). Rounds alternate between the engines, in a rotating order, so the
noise of a shared machine falls on all three alike.
"""

from __future__ import annotations

import gc
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from SpiffWorkflow import TaskState
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import registry
from sqlmodel import Field, Session, SQLModel
from statemachine import State, StateMachine

from api import serving
from bench.dataset import build_in_review
from bench.harness import versions
from models.clock import Clock
from models.db import make_engine
from models.enums import Action
from workflow import audit, uow
from workflow.commands import Context, perform
from workflow.policy import WorkflowPolicy

TARGET = "≥ 1.5× SpiffWorkflow's rate (the goal beyond: 2×) and ≥ 1× python-statemachine's"
GOALS = {"SpiffWorkflow": 1.5, "python-statemachine": 1.0}
BPMN = Path(__file__).with_name("peers.bpmn")
PROCESS = "operational_plan"
WARMUP = 10  # steps per engine before timing (statement caches, first use); SQL counted here
PACKAGES = ("SpiffWorkflow", "python-statemachine", "SQLAlchemy", "sqlmodel", "transitions")
PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000")


def full() -> str:
    return run()


def quick() -> str:
    return run(plans=200, ops=20, rounds=3)


def run(*, plans: int = 10_000, ops: int = 100, rounds: int = 25) -> str:
    assert plans >= WARMUP + ops * rounds, "not enough plans for the rounds asked"
    workdir = Path(tempfile.mkdtemp(prefix="localplan-peers-"))
    try:
        return _run(workdir, plans, ops, rounds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@dataclass
class Contender:
    name: str
    does: str  # what one step does, for the notes
    step: Callable[[int], None]  # approve this plan and commit
    picks: Iterator[int]  # plan ids, shuffled
    close: Callable[[], None]
    count_sql: Callable[[Callable[[str], None] | None], None]  # install / remove a tracer
    check: Callable[[list[int]], None]  # after the rounds, given the plans approved
    rates: list[float] = field(default_factory=list)
    statements: float = 0.0


def _run(workdir: Path, plans: int, ops: int, rounds: int) -> str:
    mine, clock = _localplan(workdir / "localplan.db", plans)
    contenders = [mine]
    try:
        contenders.append(_spiff(workdir / "spiff.db", plans))
        contenders.append(_statemachine(workdir / "statemachine.db", plans, clock))
        for c in contenders:
            _warm_up(c)
        with _as_served():
            for n in range(rounds):
                k = n % len(contenders)
                for c in contenders[k:] + contenders[:k]:
                    start = time.perf_counter()
                    for _ in range(ops):
                        c.step(next(c.picks))
                    c.rates.append(ops / (time.perf_counter() - start))
        approved = list(_shuffled(plans))[: WARMUP + ops * rounds]
        for c in contenders:
            c.check(approved)
    finally:
        for c in contenders:
            c.close()
    return _table(contenders, _notes(contenders, plans, ops, rounds))


@contextmanager
def _as_served() -> Iterator[None]:
    """The timed rounds in the interpreter as `localplan serve` settles it (api/serving.py:
    what is built frozen out of the collector's walks, rarer collections, a 0.5 ms switch
    interval), for the three engines alike; the process as it was after. The durable step
    runs in that process (an action over HTTP, the scheduler's moves). docs/benchmarks.md
    "Speed, fifth round: the server" gives the unsettled figure beside it."""
    thresholds, interval = gc.get_threshold(), sys.getswitchinterval()
    callbacks = list(gc.callbacks)
    serving.settle()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        sys.setswitchinterval(interval)
        gc.callbacks[:] = callbacks


def _warm_up(c: Contender) -> None:
    seen: list[str] = []
    c.count_sql(seen.append)
    for _ in range(WARMUP):
        c.step(next(c.picks))
    c.count_sql(None)
    c.statements = len(seen) / WARMUP


def _shuffled(plans: int) -> Iterator[int]:
    ids = list(range(1, plans + 1))
    random.Random(7).shuffle(ids)
    return iter(ids)


def _engine_tracer(engine: Engine) -> Callable[[Callable[[str], None] | None], None]:
    """Counts the statements SQLite itself runs (BEGIN and COMMIT included) on an engine."""

    def checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        dbapi_conn.set_trace_callback(tracer[0])

    tracer: list[Callable[[str], None] | None] = [None]

    def install(callback: Callable[[str], None] | None) -> None:
        tracer[0] = callback
        # Drop the pool's connections, and localplan's writer's (kept checked out between
        # transactions, models.db.Writer): the next ones are checked out anew, traced or not.
        engine.dispose()
        if callback is not None:
            event.listen(engine, "checkout", checkout)
        else:
            event.remove(engine, "checkout", checkout)

    return install


# --- localplan: the real command ------------------------------------------------------------


def _localplan(path: Path, plans: int) -> tuple[Contender, Clock]:
    built, committees, clock = build_in_review(path, plans)
    built.dispose()
    # The engine as `localplan serve` makes it (api/cli/serve.py): checkpoints behind the writer.
    engine = make_engine(f"sqlite:///{path}", checkpoint_behind=True)
    with sqlite3.connect(path) as conn:
        org_of = dict(conn.execute("SELECT id, organization_id FROM plan").fetchall())
    conn.close()
    ctx = Context(WorkflowPolicy(), clock)

    def step(plan_id: int) -> None:
        actor = committees[org_of[plan_id]]
        uow.run_unit(
            engine,
            clock,
            lambda s: perform(
                s, ctx, plan_id=plan_id, action=Action.APPROVE, actor=actor, expected_version=2
            ),
        )

    does = (
        "`uow.run_unit(perform(approve))` (one transaction, no ORM session): load the plan and "
        "its deadlines, check visibility, role, "
        "the table's move, the version (optimistic lock) and the guards, fire the machine "
        "(its answer memoized per state, kind, action and policy), read the number and hash "
        "of the latest frozen content version (the record names it), update the plan, append "
        "the SHA-256 hash-chained record (with the deadlines as they stand), write the outbox "
        "row for the executive, commit (a database trigger appends the record's entry to the "
        "history log)"
    )

    def check(approved: list[int]) -> None:
        with Session(engine) as session:
            report = audit.verify(session, plan_ids=approved[:100] + list(range(1, 101)))
        assert report.intact, f"broken chains after the bench: {report.breaks[:3]}"
        assert report.records_checked >= 3 * min(100, len(approved))

    contender = Contender(
        "localplan", does, step, _shuffled(plans), engine.dispose, _engine_tracer(engine), check
    )
    return contender, clock


# --- SpiffWorkflow: a BPMN process, serialized to JSON in SQLite ----------------------------


def _spiff(path: Path, plans: int) -> Contender:
    parser = BpmnParser(validator=BpmnValidator())
    parser.add_bpmn_file(str(BPMN))
    spec = parser.get_spec(PROCESS)
    subprocesses = parser.get_subprocess_specs(PROCESS)
    serializer = BpmnWorkflowSerializer()
    conn = sqlite3.connect(path, isolation_level=None, cached_statements=256)
    for pragma in PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")
    size = _spiff_plans(conn, plans, lambda: BpmnWorkflow(spec, subprocesses), serializer)

    def step(plan_id: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            (text,) = conn.execute(
                "SELECT serialization FROM workflow WHERE plan_id = ?", (plan_id,)
            ).fetchone()
            workflow = serializer.deserialize_json(text)
            _complete(workflow, "approve", actor="committee")
            conn.execute(
                "UPDATE workflow SET serialization = ? WHERE plan_id = ?",
                (serializer.serialize_json(workflow), plan_id),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    does = (
        "select the workflow's JSON, `deserialize_json`, find the ready user task "
        "(`get_next_task(state=TaskState.READY, manual=True)`), `set_data(actor=…)`, `run()`, "
        f"`do_engine_steps()`, `serialize_json` (about {size / 1000:.1f} kB a plan, the spec "
        "included), update, commit"
    )

    def check(approved: list[int]) -> None:
        for plan_id in approved[:20]:
            (text,) = conn.execute(
                "SELECT serialization FROM workflow WHERE plan_id = ?", (plan_id,)
            ).fetchone()
            task = serializer.deserialize_json(text).get_next_task(
                state=TaskState.READY, manual=True
            )
            assert task.task_spec.bpmn_id == "announce", f"plan {plan_id} was not approved"

    tracer = conn.set_trace_callback
    return Contender("SpiffWorkflow", does, step, _shuffled(plans), conn.close, tracer, check)


def _spiff_plans(
    conn: sqlite3.Connection, plans: int, start: Callable[[], Any], serializer: Any
) -> float:
    """One workflow a plan, run through submit (so at approve) and stored; the mean size."""
    conn.execute("CREATE TABLE workflow (plan_id INTEGER PRIMARY KEY, serialization TEXT)")
    rows = []
    for plan_id in range(1, plans + 1):
        workflow = start()
        workflow.do_engine_steps()
        _complete(workflow, "submit", actor="staff")
        rows.append((plan_id, serializer.serialize_json(workflow)))
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO workflow VALUES (?, ?)", rows)
    conn.execute("COMMIT")
    return sum(len(text) for _, text in rows) / len(rows)


def _complete(workflow: Any, task_id: str, *, actor: str) -> None:
    """Complete the ready user task `task_id` as `actor`, then run the engine to the next one."""
    task = workflow.get_next_task(state=TaskState.READY, manual=True)
    if task is None or task.task_spec.bpmn_id != task_id:
        raise RuntimeError(f"{task_id} is not the ready user task")
    task.set_data(actor=actor)
    task.run()
    workflow.do_engine_steps()


# --- python-statemachine: a machine bound to a SQLModel row, a hand-written audit table -----


class PeerModel(SQLModel, registry=registry()):
    """Its own metadata: these tables must not join localplan's (migrations, schema tests)."""


class PeerPlan(PeerModel, table=True):
    __tablename__ = "plan"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    state: str = Field(index=True)
    updated_at: datetime


class PeerAudit(PeerModel, table=True):
    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    event: str
    source: str
    target: str
    actor: str
    at: datetime


class PlanMachine(StateMachine):
    """The same states and moves as workflow/table.py (without roles, kinds and guards)."""

    draft = State(initial=True, value="draft")
    committee_review = State(value="committee_review")
    awaiting_announcement = State(value="awaiting_announcement")
    announced = State(value="announced")
    posted = State(value="posted")
    posting_complete = State(final=True, value="posting_complete")
    withdrawn = State(final=True, value="withdrawn")

    submit = draft.to(committee_review)
    return_for_revision = committee_review.to(draft)
    approve = committee_review.to(awaiting_announcement)
    send_back = awaiting_announcement.to(committee_review)
    announce = awaiting_announcement.to(announced)
    post = announced.to(posted)
    complete_posting = posted.to(posting_complete)
    withdraw = (
        draft.to(withdrawn) | committee_review.to(withdrawn) | awaiting_announcement.to(withdrawn)
    )


def _statemachine(path: Path, plans: int, clock: Clock) -> Contender:
    engine = _sqlite_engine(path)
    PeerModel.metadata.create_all(engine)
    at = clock.now()
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO plan (id, title, state, updated_at) VALUES (?, ?, ?, ?)",
            [(p, f"แผน {p}", "committee_review", at.isoformat()) for p in range(1, plans + 1)],
        )
    conn.close()

    def step(plan_id: int) -> None:
        with Session(engine) as session, session.begin():
            _approve(session, plan_id, clock)

    does = (
        "in a `Session`: `session.get` the plan row, `PlanMachine(model=row)` (the row's "
        "`state` field is the machine's state), `send('approve')`, add an audit row (event, "
        "source, target, actor, time), commit"
    )

    def check(approved: list[int]) -> None:
        with sqlite3.connect(path) as conn:
            moved = conn.execute(
                "SELECT count(*) FROM plan WHERE state = 'awaiting_announcement'"
            ).fetchone()[0]
            audited = conn.execute("SELECT count(DISTINCT plan_id) FROM audit").fetchone()[0]
        conn.close()
        assert moved == audited == len(approved), (moved, audited, len(approved))

    tracer = _engine_tracer(engine)
    return Contender(
        "python-statemachine", does, step, _shuffled(plans), engine.dispose, tracer, check
    )


def _sqlite_engine(path: Path) -> Engine:
    """The peer's own engine, not localplan's (so localplan's changes cannot move it): the
    same pragmas, and SQLAlchemy's recipe for emitting BEGIN IMMEDIATE itself."""
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        for pragma in PRAGMAS:
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _approve(session: Session, plan_id: int, clock: Clock) -> None:
    plan = session.get(PeerPlan, plan_id)
    if plan is None:
        raise LookupError(f"no plan {plan_id}")
    source = plan.state
    machine = PlanMachine(model=plan)
    machine.send("approve")
    plan.updated_at = clock.now()
    session.add(plan)
    session.add(
        PeerAudit(
            plan_id=plan_id,
            event="approve",
            source=source,
            target=plan.state,
            actor="committee",
            at=plan.updated_at,
        )
    )


# --- The table --------------------------------------------------------------------------------


def _table(contenders: list[Contender], notes: str) -> str:
    mine = contenders[0]
    lines = [
        "### peers",
        "",
        notes,
        "",
        "| engine | SQL a step | median steps/s | min–max steps/s | localplan ÷ engine "
        "| same, round by round (min–max) |",
        "|---|---|---|---|---|---|",
    ]
    verdicts = []
    for c in contenders:
        ratio = statistics.median(mine.rates) / statistics.median(c.rates)
        paired = [m / r for m, r in zip(mine.rates, c.rates, strict=True)]
        lines.append(
            f"| {c.name} | {c.statements:.0f} | {statistics.median(c.rates):,.0f} | "
            f"{min(c.rates):,.0f}–{max(c.rates):,.0f} | {ratio:.2f} | "
            f"{min(paired):.2f}–{max(paired):.2f} |"
        )
        if c is not mine:
            met = "met" if ratio >= GOALS[c.name] else "not met"
            verdicts.append(f"{ratio:.2f}× {c.name} (needs {GOALS[c.name]:g}×: {met})")
    lines += ["", f"Target: {TARGET}. Measured: " + "; ".join(verdicts) + ".", ""]
    return "\n".join(lines)


def _notes(contenders: list[Contender], plans: int, ops: int, rounds: int) -> str:
    steps = "\n".join(f"- **{c.name}**: {c.does}." for c in contenders)
    return (
        f"One step = the committee's approve (committee_review → awaiting_announcement) on a "
        f"plan picked at random among {plans:,} plans in committee_review, each engine on its "
        f"own SQLite file (WAL, synchronous=NORMAL, BEGIN IMMEDIATE … COMMIT); {rounds} rounds "
        f"of {ops} steps per engine, the engines taking turns in a rotating order, so the last "
        f"column compares rounds run side by side. What one step does:\n\n{steps}\n\n"
        f"Only localplan checks who may act, keeps a tamper-evident history and tells the next "
        f"person; the peers do none of that (python-statemachine's audit row is a plain insert; "
        f"Spiff keeps no history outside its JSON). Approve neither starts nor closes a clock, "
        f"so no deadline row is written: localplan reads the plan's deadlines and copies them "
        f"into the record. The BPMN process (bench/peers.bpmn) is the main path only, five user "
        f"tasks in a row, the cheapest form for Spiff. SQL a step counts the statements SQLite "
        f"ran, BEGIN and COMMIT included. The timed rounds run in the process as `localplan "
        f"serve` settles it (api/serving.py), for every engine alike. "
        f"{versions(*PACKAGES)}, SQLite "
        f"{sqlite3.sqlite_version}."
    )
