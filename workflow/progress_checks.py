"""Two checks of a progress entry against the sheet it is written on (docs/domain.md
"Progress"): the as-of date within the plan's fiscal year (`workflow.as_of_rules`), and the
optimistic lock: a person names the item's latest entry they saw (its seq on the chain, 0
for none), and a write over a newer one is refused 409 `stale_version`, naming the current
entry, so two people editing one item never overwrite each other unseen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow.as_of_rules import as_of_problem
from workflow.errors import Reason, StaleVersion
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
