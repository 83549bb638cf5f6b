"""`startup`: the CLI answering `deadlines --json`, and `serve` until /healthz answers, against
`python -c pass` measured in the same run."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.harness import versions

LOCALPLAN = str(Path(sys.executable).with_name("localplan"))
TARGET = "CLI ≤ 0.5 s; serve ≤ 2 s"


def _seconds(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - start


def _serve_seconds(env: dict[str, str]) -> float:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    start = time.perf_counter()
    process = subprocess.Popen(
        [LOCALPLAN, "serve", "--port", str(port), "--no-scheduler"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - start < 60:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    return time.perf_counter() - start
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("serve did not answer /healthz within 60 s")
    finally:
        process.terminate()
        process.wait(timeout=15)


def full() -> str:
    return run()


def quick() -> str:
    return run(rounds=1)


def run(*, rounds: int = 5) -> str:
    with tempfile.TemporaryDirectory(prefix="localplan-bench-") as tmp:
        # As an installed service runs: only its own setting, and bytecode written once and
        # reused (this workplace sets PYTHONDONTWRITEBYTECODE, which an install does not).
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("LOCALPLAN_") and k != "PYTHONDONTWRITEBYTECODE"
        }
        env["LOCALPLAN_DATABASE_URL"] = f"sqlite:///{tmp}/startup.db"
        subprocess.run([LOCALPLAN, "db", "upgrade"], env=env, check=True, capture_output=True)
        cli_command = [LOCALPLAN, "deadlines", "--announced-on", "2018-10-25", "--json"]
        _seconds(cli_command, env)  # warm-up: compile bytecode once
        _serve_seconds(env)
        base, cli, serve = [], [], []
        for _ in range(rounds):  # alternate, so each sees the same load
            base.append(_seconds([sys.executable, "-c", "pass"], env))
            cli.append(_seconds(cli_command, env))
            serve.append(_serve_seconds(env))
    notes = (
        f"Wall-clock seconds from spawning the process to its answer (a migrated SQLite "
        f"file exists; bytecode compiled by one untimed run first, as an install has it; "
        f"rounds alternate). "
        f"{versions('fastapi', 'uvicorn', 'typer', 'SQLAlchemy', 'alembic')}."
    )
    rows = [
        ("python -c pass", base),
        ("localplan deadlines --json", cli),
        ("localplan serve until /healthz answers", serve),
    ]
    baseline = statistics.median(base)
    lines = [
        "### startup",
        "",
        notes,
        "",
        "| what | median s | min–max s | times the baseline |",
        "|---|---|---|---|",
    ]
    for name, seconds in rows:
        lines.append(
            f"| {name} | {statistics.median(seconds):.3f} | {min(seconds):.3f}–"
            f"{max(seconds):.3f} | {statistics.median(seconds) / baseline:.1f} |"
        )
    return "\n".join([*lines, "", f"Target: {TARGET}", ""])
