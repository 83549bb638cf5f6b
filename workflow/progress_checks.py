"""Three checks of a progress entry against the sheet it is written on (docs/domain.md
"Progress"): the as-of date within the plan's fiscal year (`workflow.as_of_rules`); not on or
before the end of a round whose monitoring report is announced (the figures the report froze
stay the figures the board shows); and the optimistic lock: a person names the item's latest
entry they saw (its seq on the chain, 0 for none), and a write over a newer one is refused 409
`stale_version`, naming the current entry, so two people editing one item never overwrite
each other unseen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from models.enums import ReportRound, ReportState
from models.report_store import REPORT
from workflow.as_of_rules import as_of_problem, be_day, fiscal_year_bounds
from workflow.errors import Reason, StaleVersion, reason
from workflow.progress_rules import STATUS_LABELS, FieldProblem, ProgressStatus


@dataclass(frozen=True)
class CurrentEntry(Reason):
    """The refusal's reason, naming the item's current latest entry (None: there is none)."""

    current_entry: int = 0
    current_as_of: str | None = None
    current_status: str | None = None


def in_fiscal_year(as_of: date, fiscal_year_be: int) -> list[FieldProblem]:
    """The as-of date outside the plan's fiscal year, as a problem of the field `as_of`."""
    problem = as_of_problem(as_of, fiscal_year_be, None)
    return [] if problem is None else [FieldProblem("as_of", problem)]


ANNOUNCED = (ReportState.ANNOUNCED, ReportState.POSTED, ReportState.POSTING_COMPLETE)


def announced_through(conn: Connection, organization_id: int, fiscal_year_be: int) -> date | None:
    """The end of the latest round of the fiscal year whose monitoring report is announced
    (31 March for the 6-month round, 30 September for the annual), or None."""
    rounds = set(conn.execute(sa.select(REPORT.c.round).where(
        REPORT.c.organization_id == organization_id, REPORT.c.fiscal_year_be == fiscal_year_be,
        REPORT.c.state.in_([s.value for s in ANNOUNCED]))).scalars())  # fmt: skip
    if ReportRound.ANNUAL.value in rounds:
        return fiscal_year_bounds(fiscal_year_be)[1]
    return date(fiscal_year_be - 543, 3, 31) if ReportRound.HALF.value in rounds else None


def after_announced(as_of: date, through: date | None) -> list[FieldProblem]:
    """An as-of date on or before the end of an announced round, as a problem of `as_of`."""
    if through is None or as_of > through:
        return []
    return [FieldProblem("as_of", reason(
        "progress_round_announced",
        f"รายงานผลการติดตามถึงวันที่ {be_day(through)} ประกาศแล้ว "
        "จึงบันทึกความก้าวหน้า ณ วันที่ไม่เกินวันนั้นไม่ได้ (บันทึกด้วยวันที่หลังจากนั้น)",
        f"the monitoring report up to {through} is announced: record progress as of a later date",
    ))]  # fmt: skip


def check_seen(latest: Mapping[str, Any] | None, expected_entry: int | None) -> None:
    """Refuse unless the latest entry the person saw is still the latest (None: not checked)."""
    current = 0 if latest is None else int(latest["seq"])
    if expected_entry is None or expected_entry == current:
        return
    if latest is None:
        raise StaleVersion([CurrentEntry("progress_stale_entry", "รายการนี้ไม่มีข้อมูลที่ระบุ",
                                         "the item has no such entry")])  # fmt: skip
    status = ProgressStatus(latest["status"])
    day = latest["as_of"]
    raise StaleVersion(
        [
            CurrentEntry(
                "progress_stale_entry",
                f"มีผู้บันทึกความก้าวหน้าของรายการนี้ไปแล้ว (ครั้งที่ {current}: "
                f"{STATUS_LABELS[status][0]} ข้อมูล ณ {day.day}/{day.month}/{day.year + 543}) "
                "โปรดตรวจสอบแล้วบันทึกอีกครั้ง",
                f"someone recorded this item since (entry {current}: {status.value} as of "
                f"{day.isoformat()}); check it and save again",
                current,
                day.isoformat(),
                status.value,
            )
        ]
    )
