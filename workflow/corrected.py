"""Pure: what a plan's records say once their corrections are applied (docs/domain.md
"Corrections").

A correction is a record of its own in the plan's chain (action `correct`); its details name
the record it corrects (`corrects.seq`), the field, the value before and after (JSON: an ISO
date, a text or a list of places) and the clocks it moved. Nothing is erased: the corrected
record keeps what it first said, and the value in force is the latest correction's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from models.audit import TransitionRecord
from models.enums import Action

CORRECT = Action.CORRECT.value
# Records that are no action on the plan: they never move its last legal date.
NOT_PLAN_ACTIONS = frozenset({Action.EXTEND_DEADLINE.value, CORRECT})
Corrected = Mapping[int, Mapping[str, Any]]


def first_value(record: TransitionRecord, field: str) -> Any:
    """The value `field` of the record as it was first recorded (JSON form)."""
    if field == "effective_on":
        return record.effective_on.isoformat()
    if field == "trigger_on":
        return (record.details.get("trigger") or {}).get("on")
    if field == "places":
        return list(record.details.get("places") or [])
    return record.comment


def corrections_by_seq(records: Iterable[TransitionRecord]) -> dict[int, dict[str, Any]]:
    """The seq of each corrected record → field → the value in force (the latest one)."""
    found: dict[int, dict[str, Any]] = {}
    for record in records:
        if record.action == CORRECT:
            target = int((record.details.get("corrects") or {}).get("seq") or 0)
            found.setdefault(target, {})[str(record.details.get("field"))] = record.details.get(
                "after"
            )
    return found


def value_in_force(record: TransitionRecord, field: str, corrected: Corrected) -> Any:
    """The value of `field` in force: the latest correction's, else the record's own."""
    fields = corrected.get(record.seq, {})
    return fields[field] if field in fields else first_value(record, field)


def effective_on(record: TransitionRecord, corrected: Corrected) -> date:
    """The record's legal date in force."""
    return _day(value_in_force(record, "effective_on", corrected)) or record.effective_on


def trigger_on(records: list[TransitionRecord], corrected: Corrected) -> date | None:
    """The trigger date in force, from the creation record and its corrections."""
    return _day(value_in_force(records[0], "trigger_on", corrected)) if records else None


def _day(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None
