"""`sweep`: one scheduler sweep (workflow.sweeper.sweep, what `Ticks.sweep` runs every minute)
over 10^4, 10^5 and 10^6 deadlines of which the same few hundred are due, on a SQLite file.

Two rows per size, because "one sweep" is two different things in a day:
- *due sweep*: the first sweep after the day's alerts became due; it claims each due deadline
  in its own write transaction and writes its alerts to the outbox (the work due);
- *steady sweep*: every later sweep of that day (one a minute); nothing is due any more.
Between rounds the due deadlines are made due again with raw SQL (not timed): their outbox
rows are deleted and their next-look day and cursor set back.

The raw baseline replays what the due sweep ran, as it ran it: since the fifth round
(docs/benchmarks.md "Speed, fifth round: sweep") a batch of 50 deadlines is one claim of the 50,
one multi-row INSERT of their alerts and one executemany each of the next looks and the
cursors, so the replay runs the same statements with the same parameter rows and calls
`executemany` where the sweep did (before: four statements a deadline, replayed one by one).
Both sides start on an open connection: the replay opens its `sqlite3` connection before its
clock starts, and the engine's pool (emptied by the raw writes that make the deadlines due
again) opens its connection before the sweep's does, as a running scheduler's pool has one
(before the fifth round the sweep's time included opening it, about 1.5 ms at 10^4).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from bench.harness import Latency, latency_table, versions
from models.clock import FixedClock, bangkok_noon
from models.db import make_engine, upgrade
from models.deadline import SWEEP_NOW
from models.enums import DeadlineKind, DeadlineStatus
from workflow.alert_policy import AlertPolicy, DeadlineFacts, next_alert_on
from workflow.commands import Context
from workflow.policy import WorkflowPolicy
from workflow.sweeper import SweepSettings, sweep

TARGET = (
    "the first sweep of the day (300 alerts) ≤ 3× raw sqlite3 running its statements; steady sweep "
    "at 10^6 ≤ 5 ms and ≤ 2× its 10^4 time"
)
DAY = date(2025, 3, 10)  # a Monday: the bench's legal day
ORGS = 100
OPEN_SHARE = 50  # one deadline in 50 is open and not due (the rest are closed history)
DUE_EACH = 100  # per kind of due work below: 3 × 100 = 300 deadlines due on DAY
STAMP = "2025-01-01 05:00:00.000000"
NOW = SWEEP_NOW


def full() -> str:
    return run(sizes=(10_000, 100_000, 1_000_000), due_each=DUE_EACH, rounds=5, steady=20)


def quick() -> str:
    return run(sizes=(1_000, 4_000), due_each=10, rounds=2, steady=5)


@dataclass(frozen=True)
class Size:
    deadlines: int
    open_not_due: int
    due: int
    due_alerts: int
    due_s: list[float]
    steady_s: list[float]
    raw_s: list[float]


def run(*, sizes: tuple[int, ...], due_each: int, rounds: int, steady: int) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="localplan-bench-sweep-"))
    try:
        measured = [_measure(workdir / f"sweep-{n}.db", n, due_each, rounds, steady) for n in sizes]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    rows: list[Latency] = []
    due_base, steady_base = _names(measured[0])
    del due_base  # the due sweep is compared with raw sqlite3 at its own size
    for m in measured:
        due_name, steady_name = _names(m)
        raw_name = f"raw sqlite3, the due sweep's statements, {m.deadlines:,} deadlines"
        rows.append(Latency(raw_name, m.raw_s))
        rows.append(Latency(due_name, m.due_s, raw_name))
        rows.append(Latency(steady_name, m.steady_s, None if m is measured[0] else steady_base))
    first = measured[0]
    notes = (
        f"One SQLite file per size (WAL), migrated to head. Each size holds {ORGS} "
        f"organizations, plans with their deadlines: one deadline in {OPEN_SHARE} is open and "
        f"not yet due (preparation and posting clocks whose next reminder is days away; "
        f"{first.open_not_due:,} at {first.deadlines:,}), {first.due} are due on the bench day "
        f"(7-day preparation reminders, 3-day posting reminders, week-2 overdue posting alerts, "
        f"{due_each} each), the rest are closed clocks of past plans (a database that has run "
        f"for years: about one open clock per organization). The scheduler has been running: the "
        f"open deadlines not due carry the next-look day the sweep of the day before set "
        f"(`next_alert_on`, written with the data), then the real sweep ran on the day before. "
        f"Due sweep: {rounds} rounds, each after the due deadlines were made due again and the "
        f"engine's connection opened again; steady sweep: {steady} calls a round. "
        f"Baseline of the due sweep: the statements it ran (captured in the same round: the "
        f"read of what is due, then per batch of 50 deadlines BEGIN IMMEDIATE, the claim of the "
        f"batch with its rows fetched, the insert of its alerts with the keys returned, the "
        f"deadlines' and the cursors' updates as one executemany each), replayed with the "
        f"`sqlite3` module in the same transactions (executemany where the sweep ran one), each "
        f"committed, on the same file made due again, on a connection opened before the clock "
        f"starts (statement cache, WAL, synchronous=NORMAL); rounds alternate. "
        f"{versions('SQLAlchemy', 'sqlmodel')}, SQLite {sqlite3.sqlite_version}."
    )
    return latency_table("sweep", rows, TARGET, notes)


def _names(m: Size) -> tuple[str, str]:
    n = f"{m.deadlines:,}"
    return (
        f"due sweep, {n} deadlines ({m.due} due, {m.due_alerts} alerts written)",
        f"steady sweep, {n} deadlines (nothing due)",
    )


def _measure(path: Path, deadlines: int, due_each: int, rounds: int, steady: int) -> Size:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    due_ids, open_not_due = _fill(path, deadlines, due_each)
    clock = FixedClock(bangkok_noon(DAY - timedelta(days=1)))
    ctx = Context(WorkflowPolicy(), clock)
    settings = SweepSettings()
    sweep(engine, ctx, settings=settings)  # the day before (sees the due deadlines once)
    clock.set(bangkok_noon(DAY))
    mark = _max_outbox(path)
    groups: list[list[tuple[str, Any, bool]]] = []
    capture = _capture(engine, groups)
    due_s, steady_s, raw_s, alerts = [], [], [], 0
    for _ in range(rounds):
        _make_due_again(engine, path, due_ids, mark)
        with engine.connect():  # the pool's connection open again, as the replay's is
            pass
        groups.clear()
        capture[0] = True
        start = time.perf_counter()
        report = sweep(engine, ctx, settings=settings)
        due_s.append(time.perf_counter() - start)
        capture[0] = False
        assert report.swept >= len(due_ids), "the due deadlines were not swept"
        alerts = len(report.alerts)
        for _ in range(steady):
            start = time.perf_counter()
            idle = sweep(engine, ctx, settings=settings)
            steady_s.append(time.perf_counter() - start)
            assert idle.swept == 0 and not idle.alerts
        _make_due_again(engine, path, due_ids, mark)
        raw_s.append(_replay(path, groups))
        assert _max_outbox(path) - mark >= alerts, "the replay wrote fewer alerts"
    engine.dispose()
    return Size(deadlines, open_not_due, len(due_ids), alerts, due_s, steady_s, raw_s)


def _capture(engine: Engine, groups: list[list[tuple[str, Any, bool]]]) -> list[bool]:
    """Record each statement the engine runs while the flag is set (with its parameters, and
    whether it was an executemany), a group per transaction (a group starts at each BEGIN);
    returns the flag."""
    on = [False]

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, many: bool) -> None:
        if not on[0]:
            return
        if sql.startswith("BEGIN") or not groups:
            groups.append([])
        groups[-1].append((sql, params, many))

    return on


def _replay(path: Path, groups: list[list[tuple[str, Any, bool]]]) -> float:
    """The captured transactions again with the sqlite3 module, each committed; seconds."""
    conn = sqlite3.connect(path, isolation_level=None, cached_statements=256)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    start = time.perf_counter()
    for statements in groups:
        for sql, params, many in statements:
            if many:
                conn.executemany(sql, params)
            else:
                conn.execute(sql, params or ()).fetchall()
        if conn.in_transaction:
            conn.execute("COMMIT")
    took = time.perf_counter() - start
    conn.close()
    return took


def _max_outbox(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        found = conn.execute("SELECT coalesce(max(id), 0) FROM outbox_message").fetchone()
    conn.close()
    return int(found[0])


def _make_due_again(engine: Engine, path: Path, due_ids: list[int], mark: int) -> None:
    """Undo the last due sweep: its outbox rows go, the due deadlines are due on DAY again."""
    engine.dispose()  # no pooled connection holds a snapshot across the raw writes
    conn = sqlite3.connect(path)
    marks = ",".join("?" * len(due_ids))
    yesterday = (DAY - timedelta(days=1)).isoformat()
    with conn:
        conn.execute("DELETE FROM outbox_message WHERE id > ?", (mark,))
        conn.execute(f"UPDATE deadline SET alert_on = ? WHERE id IN ({marks})", [DAY, *due_ids])
        # The cursor as the day before left it (what the sweep before 0004 compared with).
        conn.execute("UPDATE deadline_alert_state SET swept_on = ?", (yesterday,))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _fill(path: Path, deadlines: int, due_each: int) -> tuple[list[int], int]:
    """Organizations, plans and deadlines with raw executemany; returns the due deadline ids
    and the number of open deadlines not due."""
    due = 3 * due_each
    open_not_due = deadlines // OPEN_SHARE
    closed_plans = max(0, (deadlines - due - open_not_due) // 3)
    plans: list[tuple[object, ...]] = []
    rows: list[tuple[object, ...]] = []

    def plan(state: str, kind: str = "supplementary") -> int:
        pid = len(plans) + 1
        org = pid % ORGS + 1
        plans.append((pid, org, 2568, kind, pid, f"แผนเพิ่มเติม {pid}", state, 1, "0" * 64))
        return pid

    def clock(pid: int, kind: str, due_on: date, status: str = "open", look: date = NOW) -> None:
        start = due_on - timedelta(days=30 if kind != "posting" else 15)
        closed = due_on.isoformat() if status != "open" else None
        days = (due_on - start).days
        dates = [due_on.isoformat()] * 3
        rows.append((pid, kind, start.isoformat(), days, *dates, status, closed, look.isoformat()))

    for i in range(closed_plans):  # past years: three clocks, all met
        pid = plan("posting_complete")
        base = DAY - timedelta(days=400 + i % 3000)
        for kind, due_on in (
            ("preparation", base),
            ("posting", base + timedelta(days=15)),
            ("minimum_posting", base + timedelta(days=45)),
        ):
            clock(pid, kind, due_on, "met")
    for i in range(open_not_due):  # in progress: next reminder 7 to 20 days away
        due_on = DAY + timedelta(days=14 + i % 14)
        kind, state = ("preparation", "draft") if i % 2 else ("posting", "announced")
        clock(plan(state), kind, due_on, look=_look(kind, due_on))
    first_due = len(rows)
    for _ in range(due_each):
        clock(plan("draft"), "preparation", DAY + timedelta(days=7))  # 7-day reminder
        clock(plan("announced"), "posting", DAY + timedelta(days=3))  # 3-day reminder
        clock(plan("announced"), "posting", DAY - timedelta(days=15))  # overdue, week 2
    _insert(path, plans, rows)
    return list(range(first_due + 1, len(rows) + 1)), open_not_due


def _look(kind: str, due_on: date) -> date:
    """The next look the sweep of the day before set (the scheduler has been running)."""
    facts = DeadlineFacts(DeadlineKind(kind), due_on, due_on, DeadlineStatus.OPEN)
    return next_alert_on(facts, today=DAY - timedelta(days=1), policy=AlertPolicy())


def _insert(path: Path, plans: list[tuple[object, ...]], rows: list[tuple[object, ...]]) -> None:
    orgs = [
        (n + 1, f"6{n:06d}", f"อบต.ทดสอบ {n}", "sao", "เมือง", f"จังหวัด {n % 10}")
        for n in range(ORGS)
    ]
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO organization (id, code, name, org_type, district, province) "
            "VALUES (?,?,?,?,?,?)",
            orgs,
        )
        conn.executemany(
            "INSERT INTO plan (id, organization_id, fiscal_year_be, kind, number, title, state, "
            "version, head_hash, trigger_kind, trigger_on, last_effective_on, posting_places, "
            "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,'supplementary_budget',"
            f"'2025-01-01','2025-01-01','[]','{STAMP}','{STAMP}')",
            plans,
        )
        conn.executemany(
            "INSERT INTO deadline (plan_id, kind, start_on, days, mode, conservative, clause, "
            "base_due_on, due_on, last_working_on, extended, status, closed_on, alert_on, "
            f"created_at) VALUES (?,?,?,?,'strict',0,'ข้อ 27',?,?,?,0,?,?,?,'{STAMP}')",
            rows,
        )
    conn.close()
