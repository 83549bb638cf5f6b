"""The demo's plan content as a `Content` value (docs/domain.md "The demo's content"): the
rows of `workflow.content_seed_rows` with ids derived from a fixed seed, so the content, its
canonical form and its SHA-256 are the same on every run and every machine. Pure.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal

from workflow import content_seed_rows as rows
from workflow.content_model import (
    FISCAL_MONTHS,
    STANDARD_INTRODUCTION,
    Content,
    DevPlanRef,
    Equipment,
    Ownership,
    Project,
    Strategy,
    check_content,
)

SEED = "localplan-demo-laemrang-2562"
ORG_PLACE = "ตำบลแหลมรัง"
DEV_PLAN_EDITION = "2561-2565"


def seeded_id(seed: str, kind: str, n: int) -> str:
    """A stable 32-hex id for the n-th `kind` row of the content named by `seed`."""
    return hashlib.sha256(f"{seed}:{kind}:{n}".encode()).hexdigest()[:32]


def month_span(spec: str) -> tuple[int, ...]:
    """Months from "all", "a-b" (a to b in fiscal order, e.g. "11-2" is Nov to Feb) or "a,b,c-d"."""
    if spec == "all":
        return FISCAL_MONTHS
    chosen: set[int] = set()
    for part in spec.split(","):
        first, _, last = part.partition("-")
        start = FISCAL_MONTHS.index(int(first))
        end = FISCAL_MONTHS.index(int(last or first))
        chosen.update(FISCAL_MONTHS[start : end + 1])
    return tuple(m for m in FISCAL_MONTHS if m in chosen)


def _projects(seed: str, strategy_ids: dict[int, str]) -> tuple[Project, ...]:
    made: list[Project] = []
    counters: dict[tuple[int, str], int] = {}
    for n, row in enumerate(rows.PROJECTS, start=1):
        strategy, programme, name, activity, budget, village, unit, spec, funding, agency = row
        counters[(strategy, programme)] = counters.get((strategy, programme), 0) + 1
        made.append(
            Project(
                id=seeded_id(seed, "project", n),
                strategy_id=strategy_ids[strategy],
                programme=programme,
                number=counters[(strategy, programme)],
                name=name,
                activity=activity,
                budget_baht=Decimal(budget).quantize(Decimal("0.01")),
                location=f"หมู่ที่ {village} {ORG_PLACE}" if village else ORG_PLACE,
                unit=unit,
                months=month_span(spec),
                funding=funding,
                ownership=agency[0] if agency else Ownership.OWN,
                village=village,
                dev_plan=DevPlanRef(DEV_PLAN_EDITION, page=str(40 + n), row=str(n))
                if agency is None
                else None,
            )
        )
    return tuple(made)


def _equipment(seed: str) -> tuple[Equipment, ...]:
    counters: dict[str, int] = {}
    made: list[Equipment] = []
    for n, (programme, kind, target, budget, place, unit, spec) in enumerate(
        rows.EQUIPMENT, start=1
    ):
        counters[programme] = counters.get(programme, 0) + 1
        made.append(
            Equipment(
                id=seeded_id(seed, "equipment", n),
                programme=programme,
                number=counters[programme],
                category="ค่าครุภัณฑ์",
                type=kind,
                target=target,
                budget_baht=Decimal(budget).quantize(Decimal("0.01")),
                location=place,
                unit=unit,
                months=month_span(spec),
            )
        )
    return tuple(made)


def demo_content(seed: str = SEED) -> Content:
    """อบต.แหลมรัง's FY 2562 plan content: six strategies, 66 projects (some of outside
    agencies), eight equipment rows, the standard introduction with a foreword."""
    strategies = tuple(
        Strategy(id=seeded_id(seed, "strategy", number), number=number, name=name)
        for number, name in rows.STRATEGIES
    )
    ids = {s.number: s.id for s in strategies}
    introduction = replace(STANDARD_INTRODUCTION, foreword=rows.FOREWORD)
    return check_content(
        Content(
            introduction=introduction,
            strategies=strategies,
            projects=_projects(seed, ids),
            equipment=_equipment(seed),
        )
    )
