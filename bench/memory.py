"""`memory`: the resident memory of `localplan serve` after many actions over HTTP on a large
SQLite file, against the same process right after /healthz first answered."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path

import psutil  # type: ignore[import-untyped]

from bench import load
from bench.dataset import build
from bench.harness import versions

TARGET = "≤ 200 MB after the actions and ≤ 1.5× the RSS at start"
THREADS = 2
MB = 1024 * 1024


def full() -> str:
    # The issue asks for 100k actions; at this machine's rate (docs/benchmarks.md "http") that
    # takes longer than a full bench may, so the actions stop at the time bound and the table
    # says how many were done.
    return run(plans=1_000_000, actions=100_000, limit_seconds=600)


def quick() -> str:
    return run(plans=5_000, actions=400, limit_seconds=30)


def run(*, plans: int, actions: int, limit_seconds: float) -> str:
    """RSS of serve at start and after `actions` actions, or as many as `limit_seconds` allow."""
    workdir = Path(tempfile.mkdtemp(prefix="localplan-bench-"))
    try:
        return _run(workdir, plans, actions, limit_seconds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(workdir: Path, plans: int, actions: int, limit_seconds: float) -> str:
    database = workdir / "bench.db"
    engine, _, _ = build(database, plans)
    tokens = load.issue_tokens(engine)
    engine.dispose()
    office = plans // 10  # the first office's plans (bench.dataset): submit, then approve
    if actions > 2 * office:
        raise ValueError(f"{actions} actions need at least {actions * 5} plans")
    port = load.free_port()
    command = load.serve_command(port)
    with load.server(command, database=database, port=port, log=workdir / "log") as pid:
        process = psutil.Process(pid)
        start = process.memory_info().rss
        started = time.perf_counter()
        peak = _Peak(process)
        peak.start()
        try:
            result = load.wrk(
                workdir,
                port,
                mode="actions",
                seconds=limit_seconds,
                plans=load.Plans(1, office),
                tokens=tokens,
                connections=32,
                threads=THREADS,
                stop_after_per_thread=actions // THREADS,
            )
        finally:
            peak.stop()
        elapsed = time.perf_counter() - started
        after = process.memory_info().rss
    done = (
        f"{result.requests:,} actions"
        if result.requests >= actions
        else f"{result.requests:,} actions (of {actions:,} asked; stopped at {limit_seconds:.0f} s)"
    )
    notes = (
        f"`localplan serve --no-scheduler` on 127.0.0.1 over a SQLite file of {plans:,} plans; "
        f"resident set size (psutil) as soon as /healthz answers, then after {done} sent by "
        f"wrk (32 connections, timeout 2 s; `submit` then `approve` on plans no "
        f"other request touches) in {elapsed:.0f} s ({result.rate:,.0f}/s), "
        f"{result.errors} errors, {result.timeouts} timeouts. "
        f"{versions('fastapi', 'uvicorn', 'SQLAlchemy', 'psutil')}."
    )
    lines = [
        "### memory",
        "",
        notes,
        "",
        "| what | RSS MB | times the start |",
        "|---|---|---|",
        f"| serve right after start (baseline) | {start / MB:,.1f} | 1.00 |",
        f"| serve halfway through the actions | {peak.halfway / MB:,.1f} "
        f"| {peak.halfway / start:.2f} |",
        f"| serve, highest while acting (sampled each second) | {peak.rss / MB:,.1f} "
        f"| {peak.rss / start:.2f} |",
        f"| serve after {done} | {after / MB:,.1f} | {after / start:.2f} |",
    ]
    return "\n".join([*lines, "", f"Target: {TARGET}", ""])


class _Peak(threading.Thread):
    """Samples a process's RSS once a second and keeps the highest."""

    def __init__(self, process: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.process, self.rss = process, 0
        self.samples: list[int] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(1.0):
            rss = int(self.process.memory_info().rss)
            self.samples.append(rss)
            self.rss = max(self.rss, rss)

    @property
    def halfway(self) -> int:
        return self.samples[len(self.samples) // 2] if self.samples else 0

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=10)
