"""Pure: each deadline row as the records, the extensions and the calendar in force say it
(docs/integrity.md "What verification finds"; docs/domain.md "The three clocks", "Counting
days").

A clock is started by a record whose details list it (clause 26 (2), 27), closed or cancelled
by the record whose details first list it closed, and moved only by the executive's
extensions (records of the chain, clause 27), by a correction of the date that started or
closed it (docs/domain.md "Corrections": the correction's record lists the clock as it left
it, started from the corrected date), or, while open, by a calendar change: an open
clock always stands where the project's own deadline code (`workflow.deadlines.terms`) puts it
under the calendar in force, an extended one on its last extension's date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from models.audit import TransitionRecord
from models.deadline import Deadline, DeadlineExtension
from models.enums import Action, CountingMode, DeadlineKind, DeadlineStatus
from workflow.calendar import WorkingCalendar
from workflow.deadlines import terms
from workflow.policy import WorkflowPolicy
from workflow.verify_rows import FieldDiff


@dataclass
class ClockHistory:
    """What a plan's chain says about one of its clocks."""

    started: dict[str, Any]  # the clock as the record that started it lists it
    latest: dict[str, Any]  # as the newest record listing it lists it
    closed_at: datetime | None = None  # when the record that closed it was written
    extensions: list[TransitionRecord] = field(default_factory=list)


def clock_histories(records: Sequence[TransitionRecord]) -> dict[str, ClockHistory]:
    """Deadline kind → its history, from a plan's whole chain in order."""
    found: dict[str, ClockHistory] = {}
    for record in records:
        if record.action == Action.EXTEND_DEADLINE.value:
            kind = str(record.details.get("deadline"))
            if kind in found:
                found[kind].extensions.append(record)
            continue
        for clock in record.details.get("deadlines") or []:
            kind = str(clock.get("kind"))
            if record.action == Action.CORRECT.value and kind in found:
                found[kind].started = {**found[kind].started, "start_on": clock.get("start_on")}
            history = found.setdefault(kind, ClockHistory(started=clock, latest=clock))
            history.latest = clock
            if history.closed_at is None and clock.get("status") != DeadlineStatus.OPEN.value:
                history.closed_at = record.recorded_at
    return found


def expected_deadline(
    row: Deadline, history: ClockHistory, calendar: WorkingCalendar
) -> dict[str, Any]:
    """The deadline's fields as its history says them; `conservative` (the policy it was
    started under) is taken from the row, as the records do not list it."""
    kind = DeadlineKind(row.kind)
    start_on = _day(history.started.get("start_on"))
    mode = CountingMode(str(history.started.get("mode")))
    latest = history.latest
    status = str(latest.get("status"))
    policy = WorkflowPolicy(counting_mode=mode, conservative_minimum_posting=row.conservative)
    fields: dict[str, Any] = {
        "start_on": start_on,
        "mode": mode.value,
        "status": status,
        "closed_on": _day(latest.get("closed_on")),
        "closed_at": history.closed_at,
        "extended": bool(history.extensions),
    }
    if start_on is None:
        return fields
    fresh = terms(kind, start_on, policy=policy, calendar=calendar)
    fields |= {"days": fresh.days, "clause": fresh.clause, "base_due_on": fresh.base_due_on}
    if status != DeadlineStatus.OPEN.value:
        fields["due_on"] = _day(latest.get("due_on"))
        fields["last_working_on"] = _day(latest.get("last_working_on"))
    elif history.extensions:
        due_on = _day(history.extensions[-1].details.get("new_due_on"))
        fields["due_on"] = due_on
        fields["last_working_on"] = (
            None if due_on is None else calendar.last_working_on_or_before(due_on)
        )
    else:
        fields["due_on"], fields["last_working_on"] = fresh.due_on, fresh.last_working_on
    return fields


def deadline_diffs(
    row: Deadline, history: ClockHistory, calendar: WorkingCalendar
) -> list[FieldDiff]:
    """Each field of the deadline row that differs from its history."""
    diffs = []
    for name, expected in expected_deadline(row, history, calendar).items():
        stored = getattr(row, name)
        stored = stored.value if isinstance(stored, CountingMode | DeadlineStatus) else stored
        if stored != expected:
            diffs.append(FieldDiff(name, stored, expected))
    return diffs


def extension_diffs(
    row: DeadlineExtension, record: TransitionRecord, deadline_id: int | None
) -> list[FieldDiff]:
    """Each field of an extension row that differs from the chain's record of it."""
    expected = {
        "deadline_id": deadline_id,
        "previous_due_on": _day(record.details.get("previous_due_on")),
        "new_due_on": _day(record.details.get("new_due_on")),
        "reason": record.comment,
        "recorded_at": record.recorded_at,
    }
    return [
        FieldDiff(name, getattr(row, name), value)
        for name, value in expected.items()
        if getattr(row, name) != value
    ]


def unused_kinds(
    rows: Sequence[Deadline], histories: Mapping[str, ClockHistory]
) -> tuple[list[Deadline], list[str]]:
    """Rows no record started, and kinds the records started with no row."""
    kinds = {DeadlineKind(r.kind).value for r in rows}
    unrecorded = [r for r in rows if DeadlineKind(r.kind).value not in histories]
    return unrecorded, sorted(set(histories) - kinds)


def _day(text: object) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None
