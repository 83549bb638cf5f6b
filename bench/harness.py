"""Timing rounds, medians and ratios; the table every bench prints."""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata


@dataclass(frozen=True)
class Result:
    name: str
    unit: str  # what one operation is
    per_round: list[float]  # operations per second, one value per round

    @property
    def median(self) -> float:
        return statistics.median(self.per_round)


def rate(operation: Callable[[], None], *, ops: int, rounds: int) -> list[float]:
    """Operations per second for `rounds` rounds of `ops` calls each."""
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(ops):
            operation()
        rates.append(ops / (time.perf_counter() - start))
    return rates


def versions(*packages: str) -> str:
    found = []
    for package in packages:
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package} (not installed)")
    return f"Python {platform.python_version()}; " + ", ".join(found)


def table(title: str, results: list[Result], baseline: Result, target: str, notes: str) -> str:
    lines = [
        f"### {title}",
        "",
        notes,
        "",
        "| what | median ops/s | min–max ops/s | ratio to baseline |",
        "|---|---|---|---|",
    ]
    for r in [baseline, *results]:
        lines.append(
            f"| {r.name} ({r.unit}) | {r.median:,.0f} | {min(r.per_round):,.0f}–"
            f"{max(r.per_round):,.0f} | {r.median / baseline.median:.2f} |"
        )
    lines += ["", f"Target: {target}", ""]
    return "\n".join(lines)


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"


@dataclass(frozen=True)
class Latency:
    """Seconds per call over rounds; `baseline` names the row this one is compared with."""

    name: str
    seconds: list[float]
    baseline: str | None = None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000


def latency_table(title: str, rows: list[Latency], target: str, notes: str) -> str:
    """Medians and min–max in milliseconds, each row's ratio to its baseline row."""
    by_name = {r.name: r for r in rows}
    lines = [
        f"### {title}",
        "",
        notes,
        "",
        "| what | median ms | min–max ms | ratio to baseline |",
        "|---|---|---|---|",
    ]
    for r in rows:
        base = by_name.get(r.baseline) if r.baseline else None
        ratio = "baseline" if base is None else f"{r.median_ms / base.median_ms:.2f}"
        lines.append(
            f"| {r.name} | {r.median_ms:,.2f} | {min(r.seconds) * 1000:,.2f}–"
            f"{max(r.seconds) * 1000:,.2f} | {ratio} |"
        )
    lines += ["", f"Target: {target}", ""]
    return "\n".join(lines)
