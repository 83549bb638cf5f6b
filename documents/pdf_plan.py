"""The plan as the book offices publish (docs/domain.md "Documents"): cover, foreword,
contents, ส่วนที่ 1 บทนำ (1.1–1.4), ส่วนที่ 2 with ผด.01 (workflow/summary.py), ผด.02 by
ยุทธศาสตร์ and แผนงาน with the Oct–Sep month bars under their two พ.ศ. years, ผด.02/1, and for
an amendment its changes (เพิ่ม / เปลี่ยนแปลง / ยกเลิก), each with its reason and, for a change,
the project before (in the plan in force) and after. Pure: it turns a frozen content version
into the values the template prints."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from models.thai_dates import THAI_MONTHS_SHORT
from workflow.content_model import (
    CHANGE_LABELS,
    FISCAL_MONTHS,
    Change,
    ChangeKind,
    Content,
    Equipment,
    Project,
)
from workflow.summary import Line, summarize

INTRODUCTION = (
    ("1.1", "บทนำ", "background"),
    ("1.2", "วัตถุประสงค์ของแผนการดำเนินงาน", "objectives"),
    ("1.3", "ขั้นตอนการจัดทำแผนการดำเนินงาน", "steps"),
    ("1.4", "ประโยชน์ของแผนการดำเนินงาน", "benefits"),
)


def baht(value: Decimal) -> str:
    """'1,234,500' or '1,234,500.50': thousands separated, satang only when there are."""
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def percent(value: Decimal) -> str:
    return f"{value:.2f}"


@dataclass(frozen=True)
class Book:
    """What the plan template prints."""

    title: str
    fiscal_year_be: int
    organization: str
    district: str
    province: str
    emblem_uri: str | None
    content_version: int
    content_sha256: str
    foreword: str | None
    introduction: tuple[tuple[str, str, tuple[str, ...]], ...]
    summary: list[dict[str, Any]]
    summary_total: dict[str, Any]
    strategies: list[dict[str, Any]]
    equipment: list[dict[str, Any]]
    equipment_total: str
    month_headers: tuple[tuple[str, int], ...]  # (พ.ศ. year, how many months under it)
    months: tuple[str, ...]
    changes: tuple[dict[str, Any], ...] = ()


def book(
    content: Content,
    *,
    title: str,
    fiscal_year_be: int,
    organization: str,
    district: str,
    province: str,
    emblem_uri: str | None,
    content_version: int,
    content_sha256: str,
    in_force: Content | None = None,
) -> Book:
    """The book of `content`; for an amendment, `in_force` is the content it changes (the
    before of each change, workflow/in_force.py `in_force_before`)."""
    summary = summarize(content)
    intro = content.introduction
    return Book(
        title=title,
        fiscal_year_be=fiscal_year_be,
        organization=organization,
        district=district,
        province=province,
        emblem_uri=emblem_uri,
        content_version=content_version,
        content_sha256=content_sha256,
        foreword=intro.foreword,
        introduction=tuple(
            (n, heading, _paragraphs(getattr(intro, key))) for n, heading, key in INTRODUCTION
        ),
        summary=[
            {"name": f"ยุทธศาสตร์ที่ {s.number} {s.total.name}", **_line(s.total)}
            for s in summary.strategies
        ],
        summary_total=_line(summary.total),
        strategies=_strategies(content),
        equipment=_equipment(content),
        equipment_total=baht(summary.equipment_total.budget_baht),
        month_headers=((f"พ.ศ. {fiscal_year_be - 1}", 3), (f"พ.ศ. {fiscal_year_be}", 9)),
        months=tuple(THAI_MONTHS_SHORT[m - 1] for m in FISCAL_MONTHS),
        changes=tuple(_change(c, content, in_force) for c in content.changes),
    )


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("\n") if p.strip())


def _line(line: Line) -> dict[str, Any]:
    return {
        "projects": line.projects,
        "projects_percent": percent(line.projects_percent),
        "budget": baht(line.budget_baht),
        "budget_percent": percent(line.budget_percent),
        "units": ", ".join(line.units),
    }


def _bars(months: tuple[int, ...]) -> tuple[bool, ...]:
    return tuple(m in months for m in FISCAL_MONTHS)


def _project_row(p: Project) -> dict[str, Any]:
    return {
        "number": p.number,
        "name": p.name,
        "activity": p.activity,
        "budget": baht(p.budget_baht),
        "location": p.location,
        "unit": p.unit,
        "bars": _bars(p.months),
    }


def _strategies(content: Content) -> list[dict[str, Any]]:
    """ผด.02: each strategy, its programmes in first-seen order, their projects and totals."""
    out = []
    for strategy in sorted(content.strategies, key=lambda s: s.number):
        programmes: dict[str, list[Project]] = {}
        for p in content.projects:
            if p.strategy_id == strategy.id:
                programmes.setdefault(p.programme, []).append(p)
        out.append(
            {
                "number": strategy.number,
                "name": strategy.name,
                "programmes": [
                    {
                        "name": name,
                        "rows": [_project_row(p) for p in rows],
                        "total": baht(sum((p.budget_baht for p in rows), Decimal(0))),
                        "count": len(rows),
                    }
                    for name, rows in programmes.items()
                ],
            }
        )
    return [s for s in out if s["programmes"]]


def _equipment_row(e: Equipment) -> dict[str, Any]:
    return {
        "number": e.number,
        "category": e.category,
        "type": e.type,
        "target": e.target,
        "budget": baht(e.budget_baht),
        "location": e.location,
        "unit": e.unit,
        "bars": _bars(e.months),
    }


def _equipment(content: Content) -> list[dict[str, Any]]:
    """ผด.02/1 by แผนงาน."""
    groups: dict[str, list[Equipment]] = {}
    for e in content.equipment:
        groups.setdefault(e.programme, []).append(e)
    return [
        {
            "name": name,
            "rows": [_equipment_row(e) for e in rows],
            "total": baht(sum((e.budget_baht for e in rows), Decimal(0))),
        }
        for name, rows in groups.items()
    ]


def _side(p: Project | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"name": p.name, "activity": p.activity, "budget": baht(p.budget_baht),
            "location": p.location, "unit": p.unit}  # fmt: skip


def _change(change: Change, content: Content, in_force: Content | None) -> dict[str, Any]:
    """One change of an amendment as printed: its kind in Thai, the project before (for a
    change or a removal, from the plan in force) and after (for an addition or a change)."""
    before = None if change.kind is ChangeKind.ADD or in_force is None else (
        in_force.project(change.project_id)
    )  # fmt: skip
    after = None if change.kind is ChangeKind.REMOVE else content.project(change.project_id)
    shown = after or before
    return {
        "kind": CHANGE_LABELS[change.kind],
        "name": shown.name if shown else change.project_id,
        "before": _side(before),
        "after": _side(after),
        "reason": change.reason,
    }
