"""What a correction may say (docs/domain.md "Corrections"): the new value under the input
rules, then the guards against what is stored. A corrected date obeys the rules of the date
it corrects (never in the future, never before the trigger nor the action before it, never
after the action after it), and only while the clocks it started still run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.audit import TransitionRecord
from models.enums import DeadlineStatus
from models.store import PlanWithClocks
from models.thai_dates import format_thai_date
from workflow import corrected as cv
from workflow import input_rules as rules
from workflow.errors import Reason, reason
from workflow.guards import ActionInput, not_before_previous, not_before_trigger, not_in_future
from workflow.table_corrections import Correction


@dataclass(frozen=True)
class Wanted:
    """The correction's field and new value (JSON form; `on`: the date, for a date field)."""

    field: str
    json: Any
    on: date | None = None


def clean_value(field: str, value: object) -> Wanted:
    """The field and value as the input rules leave them (workflow/input_rules.py)."""
    json = rules.corrected_value(field, value)
    on = date.fromisoformat(str(json)) if field in rules.CORRECTED_DATES else None
    return Wanted(field, json, on)


def check_correction(
    row: Correction,
    target: TransitionRecord,
    records: Sequence[TransitionRecord],
    corrected: cv.Corrected,
    before: Any,
    wanted: Wanted,
    plan: PlanWithClocks,
    today: date,
) -> list[Reason | None]:
    """Every reason the correction is refused (None where a guard holds)."""
    found: list[Reason | None] = []
    if wanted.json == before:
        found.append(
            reason("correction_unchanged", "ค่าใหม่เหมือนค่าเดิม", "the new value is the value in force")
        )
    if row.required and not wanted.json:
        found.append(
            reason(
                "value_required",
                "ต้องระบุค่าใหม่ (ขั้นตอนนี้ต้องมีข้อมูลนี้)",
                f"a {row.field} record of {row.action.value} needs a value",
            )
        )
    if wanted.on is not None:
        found += _date_guards(row, target, list(records), corrected, wanted.on, plan, today)
    return found


def _date_guards(
    row: Correction,
    target: TransitionRecord,
    records: list[TransitionRecord],
    corrected: cv.Corrected,
    on: date,
    plan: PlanWithClocks,
    today: date,
) -> list[Reason | None]:
    acts = [r for r in records if r.action != cv.CORRECT]
    earlier = [cv.effective_on(r, corrected) for r in acts if r.seq < target.seq]
    later = [cv.effective_on(r, corrected) for r in acts if r.seq > target.seq]
    trigger = None if row.field == "trigger_on" else cv.trigger_on(records, corrected)
    inp = ActionInput(on, today, max(earlier, default=None), trigger_on=trigger)
    if row.field == "trigger_on":
        inp = ActionInput(on, today, None)
    found = [not_in_future(inp), not_before_trigger(inp), not_before_previous(inp)]
    if later and on > min(later):
        found.append(
            reason(
                "effective_after_next",
                f"วันที่ต้องไม่หลังวันที่ของขั้นตอนถัดไป ({format_thai_date(min(later))})",
                f"the date is after the next record's date {min(later).isoformat()}",
            )
        )
    for kind in row.restarts:
        clock = plan.clock(kind)
        if clock is not None and clock.status is not DeadlineStatus.OPEN:
            found.append(
                reason(
                    "deadline_closed",
                    "กำหนดเวลาที่นับจากวันที่นี้สิ้นสุดแล้ว จึงแก้วันที่นี้ไม่ได้",
                    f"the {kind.value} deadline this date starts is closed",
                )
            )
    return found
