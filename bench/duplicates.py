"""`duplicates`: a 500-project plan against 5,000 projects of the organization's other plans
of the same fiscal year, against a plain rapidfuzz pass over the same normalized names in the
same run; and the cost of the key saved with each project."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.content_data import demo_content
from bench.harness import Latency, latency_table, versions
from workflow.content_model import Project
from workflow.duplicates import THRESHOLD, Candidate, candidates, find, match_key
from workflow.thai_normalize import from_key

PHASES = tuple(
    f"{what}{where}"
    for what in ("ระยะแรก", "ระยะสอง", "ต่อเนื่อง", "เพิ่มเติม", "ปรับปรุงใหม่", "ขยายผล", "นำร่อง")
    for where in ("", " ฝั่งตะวันออก", " ฝั่งตะวันตก", " ทิศเหนือ", " ทิศใต้", " กลางหมู่บ้าน", " ริมน้ำ")
)

TARGET = "duplicates ≤ 2× a plain rapidfuzz pass over the same normalized names"


def _seconds(operation: Callable[[], Any], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        operation()
        out.append(time.perf_counter() - start)
    return out


def _plain(plan: list[Candidate], others: list[Candidate]) -> None:
    from rapidfuzz import fuzz, process

    works = [from_key(c.key).work for c in (*plan, *others)]
    for name in works[: len(plan)]:
        process.extract(
            name, works, scorer=fuzz.token_sort_ratio, score_cutoff=THRESHOLD, limit=None
        )


def _varied(projects: Sequence[Project], seed: int) -> list[Project]:
    """The generator's names with a phase word each, so most normalized names differ."""
    return [
        dataclasses.replace(p, name=f"{p.name} {PHASES[(i * 7 + seed) % len(PHASES)]}")
        for i, p in enumerate(projects)
    ]


def run(*, plan_size: int = 500, others_size: int = 5000, rounds: int = 3) -> str:
    plan_content = demo_content(plan_size, seed=1)
    plan = candidates(1, "แผนการดำเนินงาน", _varied(plan_content.projects, 1))
    others: list[Candidate] = []
    for n in range(others_size // 500 or 1):
        content = demo_content(min(500, others_size), seed=100 + n)
        others += candidates(2 + n, f"แผนเพิ่มเติม {n + 1}", _varied(content.projects, n))
    flags = find(plan, others)
    keys = list(plan_content.projects[:200])
    rows = [
        Latency("plain rapidfuzz pass", _seconds(lambda: _plain(plan, others), rounds)),
        Latency(
            "duplicates (places, scores, why)",
            _seconds(lambda: find(plan, others), rounds),
            baseline="plain rapidfuzz pass",
        ),
        Latency(
            "match_key of 200 projects (on save)",
            _seconds(lambda: [match_key(p) for p in keys], rounds),
        ),
    ]
    distinct = len({from_key(c.key).work for c in (*plan, *others)})
    notes = (
        f"{plan_size} projects against {len(others):,} others ({distinct:,} distinct normalized"
        f" names; names written alike are compared once), token_sort_ratio with cutoff"
        f" {THRESHOLD}; {len(flags):,} pairs flagged; {rounds} rounds. The keys are computed "
        f"once beforehand, as the store saves them. {versions('rapidfuzz', 'pythainlp')}."
    )
    return latency_table("duplicates", rows, TARGET, notes)


def full() -> str:
    return run()


def quick() -> str:
    return run(plan_size=60, others_size=500, rounds=1)
