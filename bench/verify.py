"""`verify`: the daily `localplan audit verify` over a whole national database: SQLite files
of 10^5 and 10^6 transition records filled by bench/audit_data.py (valid chains, plan rows
and deadlines as the commands write them), each checked once end to end: every chain replayed,
every plan row, deadline and extension compared with its history, the holiday overlay with the
calendar changes (workflow.audit.verify), then the log against its rows
(workflow.log.verify_log, no checkpoint signed).
"""

from __future__ import annotations

import resource
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import audit_data
from bench.harness import Latency, latency_table, versions
from models.db import make_engine, read_session, upgrade
from workflow import audit, log

TARGET = "the whole check of a national database within a night (≤ 1 h at 10^7 records)"


@dataclass(frozen=True)
class Measured:
    shape: audit_data.Shape
    build_s: float
    verify_s: float
    verify_cpu_s: float  # the process's CPU time for the same check (the machine is shared)
    log_s: float
    peak_mib: float  # the process's peak resident memory after the check


def full() -> str:
    return run(sizes=(100_000, 1_000_000))


def quick() -> str:
    return run(sizes=(10_000,), plans_a_year=2_000)


def run(*, sizes: tuple[int, ...], plans_a_year: int = audit_data.PLANS_A_YEAR) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="localplan-bench-verify-"))
    measured = []
    try:
        for records in sizes:
            path = workdir / f"verify-{records}.db"
            measured.append(_measure(path, records, plans_a_year))
            path.unlink()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    rows = []
    for m in measured:
        size = f"{m.shape.records:,} records"
        rows.append(Latency(f"audit verify (chains, rows, deadlines), {size}", [m.verify_s]))
        rows.append(Latency(f"log against its rows, {size}", [m.log_s]))
    first = rows[0].name, rows[1].name
    rows = [
        Latency(r.name, r.seconds, None if r.name in first else first[i % 2])
        for i, r in enumerate(rows)
    ]
    return latency_table("verify", rows, TARGET, _notes(measured))


def _measure(path: Path, records: int, plans_a_year: int) -> Measured:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    start = time.perf_counter()
    shape = audit_data.build(path, records, plans_a_year=plans_a_year)
    build_s = time.perf_counter() - start
    engine = make_engine(f"sqlite:///{path}")
    start, cpu = time.perf_counter(), time.process_time()
    with read_session(engine) as session:
        report = audit.verify(session)
    verify_s, verify_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    assert report.intact, report.breaks[:3]
    assert report.records_checked == shape.records, (report.records_checked, shape.records)
    start = time.perf_counter()
    with read_session(engine) as session:
        findings = log.verify_log(session, public_keys={})
    log_s = time.perf_counter() - start
    assert findings == [], findings[:3]
    engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Measured(shape, build_s, verify_s, verify_cpu_s, log_s, peak)


def _notes(measured: list[Measured]) -> str:
    shapes = "; ".join(
        f"{m.shape.records:,} records: {m.shape.plans:,} plans, built in {m.build_s:.0f} s; "
        f"audit verify took {m.verify_cpu_s:,.1f} s of CPU; peak memory of the process "
        f"{m.peak_mib:,.0f} MiB after the check"
        for m in measured
    )
    return (
        "One SQLite file per size (WAL), migrated to head, filled by bench/audit_data.py "
        "(see the audit bench); one end-to-end run per size, in seconds as milliseconds. "
        f"{shapes}. The check streams plans, records and deadlines in plan order. "
        f"{versions('SQLAlchemy', 'sqlmodel')}, SQLite {sqlite3.sqlite_version}."
    )
