"""Pure: the terms of each legal clock, and whether a closed one was met."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.enums import CountingMode, DeadlineKind, DeadlineStatus
from workflow.calendar import WorkingCalendar, due_date, minimum_posting, period_end
from workflow.policy import WorkflowPolicy
from workflow.table import CLOCKS


@dataclass(frozen=True)
class Terms:
    kind: DeadlineKind
    start_on: date
    days: int
    clause: str
    base_due_on: date
    due_on: date
    last_working_on: date


def terms(
    kind: DeadlineKind, start_on: date, *, policy: WorkflowPolicy, calendar: WorkingCalendar
) -> Terms:
    """Clause 27 (preparation, B+30), 26(2) (posting, D+15; minimum posting, P+30)."""
    clock = CLOCKS[kind]
    if clock.until_december:  # within December of the year it starts in (clause 30 (5))
        december = date(start_on.year, 12, 31)
        return Terms(
            kind=kind,
            start_on=start_on,
            days=(december - start_on).days,
            clause=clock.clause,
            base_due_on=december,
            due_on=december,
            last_working_on=calendar.last_working_on_or_before(december),
        )
    if clock.floor:  # due on the earliest removal date
        period = minimum_posting(start_on, clock.days, calendar=calendar)
        removal = period.removal_on(policy.conservative_minimum_posting)
        due_on, advice = removal, calendar.last_working_on_or_before(removal)
    else:
        due = due_date(start_on, clock.days, mode=policy.counting_mode, calendar=calendar)
        due_on, advice = due.due_on, due.last_working_day_on
    return Terms(
        kind=kind,
        start_on=start_on,
        days=clock.days,
        clause=clock.clause,
        base_due_on=period_end(start_on, clock.days),
        due_on=due_on,
        last_working_on=advice,
    )


def closed_status(kind: DeadlineKind, due_on: date, closed_on: date) -> DeadlineStatus:
    """Met when done by the end of the due date; a floor (the minimum posting period, clause
    26 (2)) is met by construction (completion before the removal date is refused)."""
    if CLOCKS[kind].floor or closed_on <= due_on:
        return DeadlineStatus.MET
    return DeadlineStatus.LATE


def explain(
    rule: str,
    start_on: date,
    *,
    mode: CountingMode,
    conservative: bool,
    calendar: WorkingCalendar,
) -> dict[str, object]:
    """The legal dates for one start date, as `localplan deadlines --json` and
    `GET /api/v1/calendar/deadlines` give them (keys fixed by contract)."""
    kind = DeadlineKind(rule)
    clock = CLOCKS[kind]
    days = clock.days
    out: dict[str, object] = {
        "rule": kind.value,
        "start_on": start_on.isoformat(),
        "days": days,
        "mode": mode.value,
    }
    if clock.floor:
        period = minimum_posting(start_on, days, calendar=calendar)
        out |= {
            "satisfied_end_of": period.satisfied_end_of.isoformat(),
            "earliest_removal_on": period.removal_on(conservative).isoformat(),
            "conservative_removal_on": period.conservative_removal_on.isoformat(),
        }
        return out
    due = due_date(start_on, days, mode=mode, calendar=calendar)
    out |= {
        "due_on": due.due_on.isoformat(),
        "due_is_working_day": due.due_is_working_day,
        "last_working_day_on": due.last_working_day_on.isoformat(),
        "civil_due_on": due.civil_due_on.isoformat(),
    }
    return out
