"""`memory`: the resident memory of `localplan serve` after many actions over HTTP on a large
SQLite file, against the same process right after /healthz first answered."""

from __future__ import annotations

import shutil
import tempfile
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
    return run()


def quick() -> str:
    return run(plans=5_000, actions=400, limit_seconds=60)


def run(*, plans: int = 1_000_000, actions: int = 100_000, limit_seconds: float = 900) -> str:
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
        elapsed = time.perf_counter() - started
        after = process.memory_info().rss
    if result.requests < actions:
        raise RuntimeError(f"only {result.requests} of {actions} actions in {limit_seconds} s")
    notes = (
        f"`localplan serve --no-scheduler` on 127.0.0.1 over a SQLite file of {plans:,} plans; "
        f"resident set size (psutil) as soon as /healthz answers, then after {result.requests:,} "
        f"actions sent by wrk (32 connections, timeout 2 s; `submit` then `approve` on plans no "
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
        f"| serve after {result.requests:,} actions | {after / MB:,.1f} | {after / start:.2f} |",
    ]
    return "\n".join([*lines, "", f"Target: {TARGET}", ""])
