"""The monitoring report's figures as the PDF and the workbook print them (docs/domain.md "The
report's figures"): labels, the round's wording, the rows of each table. Pure: no library."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from models.thai_dates import THAI_MONTHS_LONG, format_thai_date, to_be
from workflow.progress_rules import STATUS_LABELS
from workflow.report_figures import ItemFigure, ReportFigures, ReportHeading, Tally, shown
from workflow.report_values import STATUSES

TITLE = "รายงานผลการติดตามและประเมินผลแผนการดำเนินงาน"
STATUS_HEADERS = tuple(STATUS_LABELS[s][0] for s in STATUSES)


def money(value: Decimal) -> str:
    """Baht with satang, thousands separated: 1,234,500.00."""
    return f"{value:,.2f}"


def long_day(day: Any) -> str:
    return f"{day.day} {THAI_MONTHS_LONG[day.month - 1]} พ.ศ. {to_be(day.year)}"


def round_span(round_: str, fiscal_year_be: int) -> tuple[str, str]:
    """("6 เดือน", "ตุลาคม 2561 – มีนาคม 2562") or ("12 เดือน", "ตุลาคม 2561 – กันยายน 2562")."""
    year = fiscal_year_be
    if round_ == "half":
        return "6 เดือน", f"ตุลาคม {year - 1} – มีนาคม {year}"
    return "12 เดือน", f"ตุลาคม {year - 1} – กันยายน {year}"


def round_label(heading: ReportHeading) -> str:
    """รอบ 6 เดือน (ตุลาคม 2561 – มีนาคม 2562) or รอบ 12 เดือน (ตุลาคม 2561 – กันยายน 2562)."""
    months, span = round_span(heading.round, heading.fiscal_year_be)
    return f"รอบ {months} ({span})"


def count_row(t: Tally, *, approved: bool) -> dict[str, Any]:
    """A row of a count table: the group, its denominator, then each status's count and %."""
    cells = []
    for s in STATUSES:
        c = t.status(s)
        cells.append(
            (c.approved_count, shown(c.of_approved)) if approved else (c.count, shown(c.of_all))
        )
    return {"name": t.name, "number": t.number, "base": t.approved if approved else t.items,
            "cells": cells}  # fmt: skip


def money_row(t: Tally) -> dict[str, Any]:
    return {
        "name": t.name,
        "number": t.number,
        "items": t.items,
        "approved": t.approved,
        "planned": money(t.planned_baht),
        "approved_planned": money(t.approved_planned_baht),
        "committed": money(t.committed_baht),
        "disbursed": money(t.disbursed_baht),
        "disbursed_percent": shown(t.disbursed_of_planned),
    }


def item_row(i: ItemFigure) -> dict[str, Any]:
    return {
        "number": i.number,
        "name": i.name,
        "unit": i.unit,
        "approved": "✓" if i.approved else "-",
        "planned": money(i.planned_baht),
        "status": STATUS_LABELS[i.status][0],
        "committed": money(i.committed_baht),
        "disbursed": money(i.disbursed_baht),
        "as_of": "-" if i.entry_as_of is None else format_thai_date(i.entry_as_of),
    }


def grouped_items(f: ReportFigures) -> list[dict[str, Any]]:
    """The per-project list, grouped by strategy in printed order."""
    return [
        {
            "name": s.name,
            "number": s.number,
            "items": [item_row(p) for p in f.projects if p.group_id == s.id],
        }
        for s in f.strategies
    ]


def view(f: ReportFigures, heading: ReportHeading) -> dict[str, Any]:
    """Everything the report template prints."""
    groups = [*f.strategies, f.overall]
    return {
        "title": TITLE,
        "organization": heading.organization,
        "fiscal_year_be": heading.fiscal_year_be,
        "round": round_label(heading),
        "as_of": long_day(heading.as_of),
        "plan_title": heading.plan_title,
        "statuses": STATUS_HEADERS,
        "counts_all": [count_row(t, approved=False) for t in groups],
        "counts_approved": [count_row(t, approved=True) for t in groups],
        "money": [money_row(t) for t in groups],
        "equipment_all": count_row(f.equipment, approved=False),
        "equipment_money": money_row(f.equipment),
        "groups": grouped_items(f),
        "equipment_items": [item_row(e) for e in f.equipment_items],
    }
