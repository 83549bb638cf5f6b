"""`http`: `POST /api/v1/plans/{id}/actions/{action}` under wrk (32 connections) on one uvicorn
process serving the real app over a SQLite file, against a trivial JSON route of the same
server (bench/http_app.py) measured in the same run."""

from __future__ import annotations

import shutil
import statistics
import tempfile
from pathlib import Path

from bench import load
from bench.dataset import build
from bench.harness import versions

TARGET = (
    "≥ 0.20 of the trivial route's requests/s, p99 ≤ 3× the trivial route's p99 in the same run, "
    "zero errors and timeouts"
)
CONNECTIONS = 32
THREADS = 2
WARM_PLANS = 1_000  # the office's last plans, used by the warm-up only


def full() -> str:
    return run()


def quick() -> str:
    return run(plans=20_000, seconds=2, rounds=1)


# The first office's plans (a tenth) are the ones acted on, each at most twice (submit, then
# approve): 150,000 plans leave 4,666 a round, enough for 930 actions/s over a 10 s round
# (100,000 were enough until the ninth round's 700: docs/benchmarks.md "Speed, ninth round").
PLANS = 150_000


def run(*, plans: int = PLANS, seconds: float = 10, rounds: int = 3) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="localplan-bench-"))
    try:
        return _run(workdir, plans, seconds, rounds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(workdir: Path, plans: int, seconds: float, rounds: int) -> str:
    database = workdir / "bench.db"
    engine, _, _ = build(database, plans)
    tokens = load.issue_tokens(engine)
    engine.dispose()
    office = plans // 10  # the first office's plans (bench.dataset)
    warm = min(WARM_PLANS, office // 10)
    per_round = (office - warm) // rounds
    port = load.free_port()
    trivial: list[load.WrkResult] = []
    actions: list[load.WrkResult] = []
    with load.server(load.uvicorn_command(port), database=database, port=port, log=workdir / "log"):
        for mode, first, count in (("trivial", 1, 1), ("actions", office - warm + 1, warm)):
            load.wrk(
                workdir, port, mode=mode, seconds=1, plans=load.Plans(first, count), tokens=tokens
            )
        for r in range(rounds):
            trivial.append(load.wrk(workdir, port, mode="trivial", seconds=seconds))
            round_plans = load.Plans(1 + r * per_round, per_round)
            result = load.wrk(
                workdir, port, mode="actions", seconds=seconds, plans=round_plans, tokens=tokens
            )
            if result.requests > 2 * per_round:
                raise RuntimeError(f"{result.requests} actions exceed the round's plans")
            actions.append(result)
    notes = (
        f"wrk ({CONNECTIONS} connections, {THREADS} threads, {seconds:.0f} s a round, "
        f"{rounds} round(s), timeout 2 s) against one uvicorn process on 127.0.0.1 serving the "
        f"app from the app factory over a SQLite file of {plans:,} plans, logging as "
        f"`localplan serve` does. Each action request acts on a plan no other request touches: "
        f"`submit` (staff, expected_version 1), then on the same plans `approve` (committee, "
        f"expected_version 2); it returns the plan as read after the commit. Baseline: "
        f"`GET /bench/trivial`, a JSON route added to the same app (async, same middleware). "
        f"A non-2xx answer counts as an error. {versions('fastapi', 'uvicorn', 'SQLAlchemy')}."
    )
    return _table(notes, trivial, actions)


def _table(notes: str, trivial: list[load.WrkResult], actions: list[load.WrkResult]) -> str:
    base = statistics.median(r.rate for r in trivial)
    lines = [
        "### http",
        "",
        notes,
        "",
        "| what | median requests/s | min–max requests/s | p50 ms | p99 ms (worst round) | "
        "errors | timeouts | ratio to baseline |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, results in (
        ("trivial JSON route (baseline)", trivial),
        ("POST /api/v1/plans/{id}/actions/{action}", actions),
    ):
        rates = [r.rate for r in results]
        lines.append(
            f"| {name} | {statistics.median(rates):,.0f} | {min(rates):,.0f}–{max(rates):,.0f} "
            f"| {statistics.median(r.p50_ms for r in results):.1f} "
            f"| {max(r.p99_ms for r in results):.1f} | {sum(r.errors for r in results)} "
            f"| {sum(r.timeouts for r in results)} | {statistics.median(rates) / base:.2f} |"
        )
    return "\n".join([*lines, "", f"Target: {TARGET}", ""])
