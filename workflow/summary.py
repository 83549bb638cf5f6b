"""ผด.01 บัญชีสรุปจำนวนโครงการและงบประมาณ, computed from the rows, never stored or typed
(docs/domain.md "Plan content"). Pure.

Counts and budgets reconcile exactly: each total is the sum of the rows below it. Percentages
are of all projects (count) and of all projects' budget, rounded half-up to two decimals, so
they may sum to 99.99 or 100.01 when printed; the exact fractions are not stored anywhere.
The office's own projects and outside agencies' are also summed apart; equipment (ผด.02/1) is
summed by แผนงาน in its own section.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from workflow.content_model import Content, Equipment, Project

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """`part` as a percentage of `whole`, two decimals, half-up; 0.00 of nothing."""
    if not whole:
        return ZERO
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    """One row of ผด.01: a group, how many projects and how much, and who does them."""

    name: str
    projects: int
    projects_percent: Decimal
    budget_baht: Decimal
    budget_percent: Decimal
    units: tuple[str, ...]


@dataclass(frozen=True)
class StrategyLine:
    strategy_id: str
    number: int
    total: Line
    programmes: tuple[Line, ...]


@dataclass(frozen=True)
class Summary:
    strategies: tuple[StrategyLine, ...]
    total: Line
    own: Line  # the office's own projects
    outside: Line  # outside agencies' projects
    equipment: tuple[Line, ...]  # ผด.02/1 by แผนงาน (percentages of the equipment total)
    equipment_total: Line

    @property
    def grand_total_baht(self) -> Decimal:
        return self.total.budget_baht + self.equipment_total.budget_baht


def _units(rows: Iterable[Project | Equipment]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.unit for r in rows))


def _line(name: str, rows: list[Any], count_all: int, budget_all: Decimal) -> Line:
    budget = sum((r.budget_baht for r in rows), ZERO)
    return Line(
        name=name,
        projects=len(rows),
        projects_percent=percent(len(rows), count_all),
        budget_baht=budget,
        budget_percent=percent(budget, budget_all),
        units=_units(rows),
    )


def _by_programme(rows: list[Any]) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {}
    for row in rows:
        groups.setdefault(row.programme, []).append(row)
    return groups


def summarize(content: Content) -> Summary:
    """ผด.01 of `content`: strategies in their printed order, programmes in first-seen order."""
    projects = list(content.projects)
    count_all = len(projects)
    budget_all = sum((p.budget_baht for p in projects), ZERO)
    lines: list[StrategyLine] = []
    for strategy in sorted(content.strategies, key=lambda s: s.number):
        rows = [p for p in projects if p.strategy_id == strategy.id]
        programmes = tuple(
            _line(name, group, count_all, budget_all) for name, group in _by_programme(rows).items()
        )
        lines.append(
            StrategyLine(
                strategy.id,
                strategy.number,
                _line(strategy.name, rows, count_all, budget_all),
                programmes,
            )
        )
    equipment = list(content.equipment)
    equipment_all = sum((e.budget_baht for e in equipment), ZERO)
    return Summary(
        strategies=tuple(lines),
        total=_line("รวม", projects, count_all, budget_all),
        own=_line(
            "โครงการขององค์กรปกครองส่วนท้องถิ่น", [p for p in projects if p.own], count_all, budget_all
        ),
        outside=_line(
            "โครงการของหน่วยงานอื่น", [p for p in projects if not p.own], count_all, budget_all
        ),
        equipment=tuple(
            _line(name, group, len(equipment), equipment_all)
            for name, group in _by_programme(equipment).items()
        ),
        equipment_total=_line("รวมครุภัณฑ์", equipment, len(equipment), equipment_all),
    )


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def line_data(line: Line) -> dict[str, Any]:
    return {
        "name": line.name,
        "projects": line.projects,
        "projects_percent": _money(line.projects_percent),
        "budget_baht": _money(line.budget_baht),
        "budget_percent": _money(line.budget_percent),
        "units": list(line.units),
    }


def summary_data(summary: Summary) -> dict[str, Any]:
    """The figures as JSON-ready data: the API's `GET /plans/{id}/summary` and the CLI's
    `content summary --json` print exactly this."""
    return {
        "total_projects": summary.total.projects,
        "total_budget_baht": _money(summary.total.budget_baht),
        "own_projects": summary.own.projects,
        "own_budget_baht": _money(summary.own.budget_baht),
        "outside_projects": summary.outside.projects,
        "outside_budget_baht": _money(summary.outside.budget_baht),
        "equipment_items": summary.equipment_total.projects,
        "equipment_budget_baht": _money(summary.equipment_total.budget_baht),
        "grand_total_baht": _money(summary.grand_total_baht),
        "by_strategy": [
            {
                "strategy": s.total.name,
                "strategy_id": s.strategy_id,
                "number": s.number,
                "projects": s.total.projects,
                "projects_percent": _money(s.total.projects_percent),
                "budget_baht": _money(s.total.budget_baht),
                "budget_percent": _money(s.total.budget_percent),
                "units": list(s.total.units),
                "programmes": [line_data(p) for p in s.programmes],
            }
            for s in summary.strategies
        ],
        "equipment_by_programme": [line_data(e) for e in summary.equipment],
    }
