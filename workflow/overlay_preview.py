"""What a holiday overlay change would do, without doing it: the open deadlines it would move.

Pure over the rows it is given, so the admin page can show the consequences before the admin
confirms; `workflow.overlay.change_overlay` then applies the same rule (extended deadlines keep
their date, the last working day is recomputed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session, col, select

from models.deadline import Deadline
from models.enums import DeadlineKind, DeadlineStatus, OverlayKind
from workflow.calendar import Overlay, WorkingCalendar
from workflow.deadlines import terms
from workflow.overlay import OverlayEntry, load_calendar
from workflow.policy import WorkflowPolicy


@dataclass(frozen=True)
class Move:
    deadline_id: int
    plan_id: int
    kind: DeadlineKind
    due_on_before: date
    due_on_after: date
    last_working_on_before: date
    last_working_on_after: date


def with_entry(calendar: WorkingCalendar, entry: OverlayEntry) -> WorkingCalendar:
    """The calendar as it would be after the entry is applied."""
    added = {d: n for d, n in calendar.overlay.added.items() if d != entry.day}
    removed = {d for d in calendar.overlay.removed if d != entry.day}
    if entry.kind is OverlayKind.ADD:
        added[entry.day] = entry.name
    elif entry.kind is OverlayKind.REMOVE:
        removed.add(entry.day)
    return replace(calendar, overlay=Overlay(added=added, removed=frozenset(removed)))


def moves(
    deadlines: list[Deadline], *, policy: WorkflowPolicy, calendar: WorkingCalendar
) -> list[Move]:
    """Pure: the open deadlines whose due date or last working day differ under `calendar`."""
    found = []
    for deadline in deadlines:
        if deadline.status is not DeadlineStatus.OPEN:
            continue
        kind = DeadlineKind(deadline.kind)
        fresh = terms(
            kind,
            deadline.start_on,
            policy=WorkflowPolicy(
                counting_mode=deadline.mode,
                conservative_minimum_posting=deadline.conservative,
                amendment_requires_committee=policy.amendment_requires_committee,
            ),
            calendar=calendar,
        )
        due_on = deadline.due_on if deadline.extended else fresh.due_on
        last = calendar.last_working_on_or_before(due_on)
        if (due_on, last) != (deadline.due_on, deadline.last_working_on):
            found.append(
                Move(
                    deadline.id or 0,
                    deadline.plan_id,
                    kind,
                    deadline.due_on,
                    due_on,
                    deadline.last_working_on,
                    last,
                )
            )
    return found


def preview_overlay_change(
    session: Session, *, entry: OverlayEntry, policy: WorkflowPolicy
) -> list[Move]:
    """Read only: the moves `change_overlay(entry)` would make now."""
    query = select(Deadline).where(Deadline.status == DeadlineStatus.OPEN)
    open_deadlines = list(session.exec(query.order_by(col(Deadline.id))))
    calendar = with_entry(load_calendar(session), entry)
    return moves(open_deadlines, policy=policy, calendar=calendar)
