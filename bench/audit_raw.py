"""The hand-written baseline of the compliance report: one SQL query with the `sqlite3` module
that computes the same figures as `workflow.queries.compliance` (per plan of the fiscal year:
its organization, kind, number, state, dates, and each clock's start, due date, extension,
closing day and on time / late / open / overdue / cancelled), ordered as the report is."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from workflow.queries import PlanCompliance

# A minimum posting period is never overdue (docs/domain.md "What auditors need").
RAW_COMPLIANCE = """
SELECT p.id, o.code, o.name, o.province, p.kind, p.number, p.state, p.trigger_on,
       p.announced_on, p.posted_on, p.posting_complete_on,
       d.kind, d.start_on, d.due_on, d.extended, d.closed_on, d.mode,
       CASE d.status
           WHEN 'open' THEN CASE WHEN d.kind <> 'minimum_posting' AND :today > d.due_on
                                 THEN 'overdue' ELSE 'open' END
           WHEN 'met' THEN 'on_time'
           ELSE d.status END
FROM plan p
JOIN organization o ON o.id = p.organization_id
LEFT JOIN deadline d ON d.plan_id = p.id
WHERE p.fiscal_year_be = :year
ORDER BY o.code, p.kind, p.number, p.id,
         CASE d.kind WHEN 'preparation' THEN 0 WHEN 'posting' THEN 1 ELSE 2 END, d.id
"""


def report(path: Path, *, fiscal_year_be: int, today: date) -> list[tuple[Any, ...]]:
    """The rows of the baseline: one a clock (a plan without clocks: one row of NULLs)."""
    conn = sqlite3.connect(path)
    try:
        query = conn.execute(RAW_COMPLIANCE, {"today": today.isoformat(), "year": fiscal_year_be})
        return query.fetchall()
    finally:
        conn.close()


def same_figures(rows: list[tuple[Any, ...]], lines: list[PlanCompliance]) -> None:
    """The baseline and the report agree: the same plans in the same order, the same count of
    each clock status."""
    plans = list(dict.fromkeys(r[0] for r in rows))
    assert plans == [line.plan_id for line in lines], "the plans differ"
    raw = Counter(r[17] for r in rows if r[11] is not None)
    ours = Counter(c.status for line in lines for c in line.clocks)
    assert raw == ours, (raw, ours)
