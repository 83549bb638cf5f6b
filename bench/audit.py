"""`audit`: the reads behind the auditors' endpoints on SQLite files of 10^5, 10^6 and 10^7
transition records (bench/audit_data.py says what the data looks like): one plan's history
(`GET /plans/{id}/history`), a filtered page of transitions with cursor paging
(`GET /audit/transitions?organization=…&recorded_from=…&recorded_to=…&limit=100`) and the
compliance report of the current fiscal year (`GET /audit/compliance`), each through the
workflow.scoped_reads function the route calls, in a fresh read session as the route opens.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from bench import audit_data, audit_raw
from bench.harness import Latency, latency_table, versions
from models.clock import FixedClock, bangkok_noon
from models.db import make_engine, read_session, upgrade
from models.enums import Role
from workflow import audit
from workflow.actors import SYSTEM, Actor
from workflow.queries import PlanCompliance
from workflow.scoped_reads import (
    Page,
    PlanHistory,
    TransitionFilters,
    TransitionRow,
    compliance_in_scope,
    get_plan_history,
    list_transitions,
)

T = TypeVar("T")
TARGET = (
    "at 10^7 records: history ≤ 5 ms, page ≤ 20 ms; compliance ≤ 3× the hand-written SQL query "
    "computing the same figures (raw sqlite3), in the same run"
)
AUDITOR = Actor(
    user_id=None,
    username="audit.province",
    role=Role.AUDITOR,
    scope_province=audit_data.province_of(audit_data.BUSY_ORG),
)


CACHE = Path.home() / ".cache" / "localplan-bench"  # full runs keep their files here


def full() -> str:
    return run(
        sizes=(100_000, 1_000_000, 10_000_000), calls=200, windows=30, reports=3, cache=True
    )


def quick() -> str:
    return run(sizes=(10_000, 30_000), calls=20, windows=5, reports=1, plans_a_year=2_000)


@dataclass(frozen=True)
class Measured:
    shape: audit_data.Shape
    build_s: float
    history: list[float]
    first_page: list[float]
    next_page: list[float]
    page_rows: float
    compliance: list[float]
    compliance_plans: int
    raw: list[float]  # the hand-written query (bench/audit_raw.py), alternating with the report


def run(
    *,
    sizes: tuple[int, ...],
    calls: int,
    windows: int,
    reports: int,
    plans_a_year: int = audit_data.PLANS_A_YEAR,
    cache: bool = False,
) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="localplan-bench-audit-"))
    measured = []
    try:
        for records in sizes:
            folder = data_dir(workdir, cache=cache)
            measured.append(_measure(folder, records, calls, windows, reports, plans_a_year))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    rows = []
    for kind in ("history", "first page", "next page (cursor)"):
        # No window of a small file may hold a second page: no cursor row for that size.
        have = [m for m in measured if _seconds(kind, m)]
        for m in have:
            rows.append(Latency(_name(kind, m), _seconds(kind, m), _name(kind, have[0])))
    for m in measured:  # compliance against the hand-written query on the same file
        raw = f"hand-written SQL (raw sqlite3), same figures, {m.shape.records:,} records"
        rows.append(Latency(raw, m.raw, raw))
        rows.append(Latency(_name("compliance", m), m.compliance, raw))
    rows = [Latency(r.name, r.seconds, None if r.name == r.baseline else r.baseline) for r in rows]
    return latency_table("audit", rows, TARGET, _notes(measured, calls, windows, reports))


def _name(kind: str, m: Measured) -> str:
    size = f"{m.shape.records:,} records"
    if kind == "history":
        return f"history of one plan, {size}"
    if kind == "compliance":
        return f"compliance, {m.compliance_plans:,} plans of FY {audit_data.CURRENT_FY}, {size}"
    return f"{kind}: organization + 7 days, ≤ 100 rows (mean {m.page_rows:.0f}), {size}"


def _seconds(kind: str, m: Measured) -> list[float]:
    return {
        "history": m.history,
        "first page": m.first_page,
        "next page (cursor)": m.next_page,
        "compliance": m.compliance,
    }[kind]


def _notes(measured: list[Measured], calls: int, windows: int, reports: int) -> str:
    shapes = "; ".join(
        f"{m.shape.records:,} records: {m.shape.plans:,} plans, "
        f"{m.shape.past_years:.1f} past fiscal years, built in {m.build_s:.0f} s"
        for m in measured
    )
    year = measured[0].shape.plans_a_year
    return (
        f"One SQLite file per size (WAL), migrated to head, filled by bench/audit_data.py: "
        f"{audit_data.ORGS:,} organizations in {audit_data.PROVINCES} provinces, {year:,} plans "
        f"a fiscal year (one organization in fifty busy: 2 % of the plans), past years "
        f"complete (8 hash-chained records and 3 closed clocks a plan), the current year "
        f"(FY {audit_data.CURRENT_FY}) in progress (1–6 records, about 2 a plan); ids grow with "
        f"time; 50 plans of each file pass workflow.audit.verify ({shapes}). History: {calls} "
        f"random plans of the auditor's province (about 100 organizations) through "
        f"`get_plan_history` as that auditor. Pages: {windows} random 7-day windows of the busy "
        f"organization's records through `list_transitions` (organization code, recorded_from, "
        f"recorded_to, limit 100) as the same auditor; the cursor page continues after the "
        f"first page's last id. Compliance: `compliance_in_scope` for the current fiscal year "
        f"as the system actor (every organization), {reports} round(s), alternating with a "
        f"hand-written query computing the same figures with the sqlite3 module "
        f"(bench/audit_raw.py: one SELECT joining plans, organizations and clocks, statuses "
        f"in SQL, fetchall; checked to agree with the report). Each call in a fresh "
        f"read session, as the route opens it. No ANALYZE was run (a deployed file has no "
        f"statistics either). Baseline: the same calls at the smallest size; for compliance, "
        f"the hand-written query on the same file. "
        f"{versions('SQLAlchemy', 'sqlmodel')}, SQLite {sqlite3.sqlite_version}."
    )


def _measure(
    workdir: Path, records: int, calls: int, windows: int, reports: int, plans_a_year: int
) -> Measured:
    path, shape, build_s = dataset(workdir, records, plans_a_year)
    engine = make_engine(f"sqlite:///{path}")
    rng = random.Random(records)
    _verify_sample(engine, shape, rng)
    history = _history(engine, shape, calls, rng)
    first, following, rows = _pages(engine, shape, windows, rng)
    compliance, plans, raw = _compliance(engine, path, reports)
    engine.dispose()
    return Measured(shape, build_s, history, first, following, rows, compliance, plans, raw)


def data_dir(workdir: Path, *, cache: bool) -> Path:
    """Where the data files are built: LOCALPLAN_BENCH_DATA when set, else `CACHE` for a full
    run (`cache`), else the run's own `workdir` (a quick run, removed after it)."""
    keep = os.environ.get("LOCALPLAN_BENCH_DATA")
    return Path(keep) if keep else CACHE if cache else workdir


def dataset(
    folder: Path, records: int, plans_a_year: int
) -> tuple[Path, audit_data.Shape, float]:
    """The file of `records` records in `folder`; outside the run's own directory (see
    `data_dir`) it is kept and reused by later runs (the 10^7 file takes the better part of an
    hour to build). The bench only reads it. Returns the path, its shape and the seconds its
    first build took."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"audit-{records}-{plans_a_year}-v{audit_data.DATA_VERSION}.db"
    built = path.with_suffix(".json")  # written last: a file without it is half-built
    if built.exists():  # a file built by an earlier run
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)  # migrations added since it was built (indexes)
        engine.dispose()
        saved = json.loads(built.read_text(encoding="utf-8"))
        shape = audit_data.Shape(
            **saved["shape"]
            | {k: datetime.fromisoformat(saved["shape"][k]) for k in _INSTANTS}
        )
        return path, shape, float(saved["build_s"])
    path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    start = time.perf_counter()
    shape = audit_data.build(path, records, plans_a_year=plans_a_year)
    build_s = time.perf_counter() - start
    fields = vars(shape) | {k: getattr(shape, k).isoformat() for k in _INSTANTS}
    built.write_text(json.dumps({"shape": fields, "build_s": build_s}), encoding="utf-8")
    return path, shape, build_s


_INSTANTS = ("first_recorded", "last_recorded")


def _timed(call: Callable[[Session], T], engine: Engine) -> tuple[float, T]:
    start = time.perf_counter()
    with read_session(engine) as session:
        result = call(session)
    return time.perf_counter() - start, result


def _verify_sample(engine: Engine, shape: audit_data.Shape, rng: random.Random) -> None:
    ids = rng.sample(range(1, shape.plans + 1), 50)
    with read_session(engine) as session:
        report = audit.verify(session, plan_ids=ids)
    assert report.intact and report.plans_checked == 50, report.breaks[:3]


def _visible_plans(shape: audit_data.Shape) -> list[int]:
    """Plan ids of the auditor's province (plan i of a year belongs to org_of(i))."""
    province = AUDITOR.scope_province
    return [
        p
        for p in range(1, shape.plans + 1)
        if audit_data.province_of(audit_data.org_of(_index_of(p, shape))) == province
    ]


def _index_of(plan_id: int, shape: audit_data.Shape) -> int:
    past = shape.plans - shape.plans_a_year
    return plan_id - 1 if plan_id <= past else plan_id - past - 1


def _history(
    engine: Engine, shape: audit_data.Shape, calls: int, rng: random.Random
) -> list[float]:
    plans = rng.sample(_visible_plans(shape), calls)
    out = []
    for plan_id in plans:
        seconds, found = _timed(partial(_history_of, plan_id=plan_id), engine)
        assert found.records
        out.append(seconds)
    return out


def _pages(
    engine: Engine, shape: audit_data.Shape, windows: int, rng: random.Random
) -> tuple[list[float], list[float], float]:
    code = f"{6000000 + audit_data.BUSY_ORG}"
    span = (shape.last_recorded - shape.first_recorded).days - 7
    first, following, sizes = [], [], []
    for _ in range(windows):
        start = shape.first_recorded + timedelta(days=rng.randrange(max(1, span)))
        filters = TransitionFilters(
            organization_code=code,
            recorded_from=start,
            recorded_to=start + timedelta(days=7),
            limit=100,
        )
        seconds, page = _timed(partial(_page, filters=filters), engine)
        first.append(seconds)
        sizes.append(len(page.items))
        if page.next_after is not None:
            more = replace(filters, after_id=page.next_after)
            seconds, _ = _timed(partial(_page, filters=more), engine)
            following.append(seconds)
    return first, following, statistics.mean(sizes)


def _compliance(
    engine: Engine, path: Path, reports: int
) -> tuple[list[float], int, list[float]]:
    """Rounds of the report and of the hand-written query, alternating (the same load for
    both), after one untimed pass of each that also checks they agree."""
    audit_raw.same_figures(_raw(path), _timed(_report, engine)[1])
    out, raw, plans = [], [], 0
    for _ in range(reports):
        start = time.perf_counter()
        rows = _raw(path)
        raw.append(time.perf_counter() - start)
        seconds, lines = _timed(_report, engine)
        out.append(seconds)
        plans = len(lines)
        assert rows
    return out, plans, raw


def _raw(path: Path) -> list[tuple[object, ...]]:
    return audit_raw.report(path, fiscal_year_be=audit_data.CURRENT_FY, today=audit_data.TODAY)


def _history_of(session: Session, *, plan_id: int) -> PlanHistory:
    return get_plan_history(session, AUDITOR, plan_id)


def _page(session: Session, *, filters: TransitionFilters) -> Page[TransitionRow]:
    return list_transitions(session, AUDITOR, filters=filters)


def _report(session: Session) -> list[PlanCompliance]:
    clock = FixedClock(bangkok_noon(audit_data.TODAY))
    return compliance_in_scope(session, SYSTEM, fiscal_year_be=audit_data.CURRENT_FY, clock=clock)
