"""Pure: the holiday overlay as the log of calendar changes says it (docs/domain.md "Counting
days"; docs/integrity.md "What verification finds").

Each change replaces the overlay's entry for its day (`workflow.overlay.change_overlay`): an
`add` or `remove` writes the entry with the change's name, source, actor and time, a `clear`
deletes it. Replaying the changes in order gives the overlay that must be stored; the deadlines
are then checked against that calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from models.calendar import CalendarChange, HolidayOverlay
from workflow.verify_rows import FieldDiff


def replayed_overlay(changes: Iterable[CalendarChange]) -> dict[date, dict[str, Any]]:
    """Day → the overlay entry's fields after every change, in the order given (by id)."""
    overlay: dict[date, dict[str, Any]] = {}
    for change in changes:
        if change.change == "clear":
            overlay.pop(change.day, None)
            continue
        overlay[change.day] = {
            "kind": change.change,
            "name": change.name,
            "source": change.source,
            "created_by": change.actor_username,
            "created_at": change.recorded_at,
        }
    return overlay


def overlay_diffs(
    rows: Iterable[HolidayOverlay], changes: Iterable[CalendarChange]
) -> tuple[list[tuple[HolidayOverlay, list[FieldDiff]]], list[HolidayOverlay], list[date]]:
    """(row, its differing fields) for each overlay row the changes say otherwise; the rows no
    change wrote; the days the changes hold an entry for that is not stored."""
    expected = replayed_overlay(changes)
    differing, unrecorded = [], []
    for row in rows:
        want = expected.pop(row.day, None)
        if want is None:
            unrecorded.append(row)
            continue
        diffs = [
            FieldDiff(name, _plain(getattr(row, name)), value)
            for name, value in want.items()
            if _plain(getattr(row, name)) != value
        ]
        if diffs:
            differing.append((row, diffs))
    return differing, unrecorded, sorted(expected)


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") and isinstance(value.value, str) else value
