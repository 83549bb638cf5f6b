"""Pure: which alerts a legal clock owes by a given legal day (docs/domain.md "Alerts").

Who is reminded of each clock, and whether it is a floor, is the table's (`ClockRule`).

A deadline's alerts form *series*; each series has thresholds (legal dates in Asia/Bangkok):

- ``reminder``: ``due_on - n`` for each n of the policy's reminder days (default 7, 3, 1, and 0,
  the due date itself). The series is live only up to the due date: after it, the overdue
  series speaks instead.
- ``last_working_day``: when the due date is not a working day (strict counting, clause 26 (2)
  and 27 with APA §64 ¶2), one warning on the last working day before it; live from that day up
  to the due date.
- ``overdue``: ``due_on + 1 + k × repeat`` for k = 0, 1, 2, … while the deadline stays open,
  escalated to the executive and to the auditors in scope (from week ``escalate_from`` on).
- ``may_come_down``: a floor clock, the minimum posting period (clause 26 (2)), is satisfied;
  one alert on the earliest removal date, live for as long as the deadline is open.

**Catch-up after downtime.** A sweep on day T emits, for each series, the *latest* threshold
on or before T that is still live, and nothing older (``catch_up="latest"``, the default): a
scheduler that was down across the 7- and 3-day reminders sends "3 days" (with the days really
left) once, never "7 days" afterwards, and one overdue alert for the latest week missed, not one
per missed week or tick. ``catch_up="all"`` emits every missed live threshold instead. Either
way each alert has a stable occurrence key: the due date it was derived from plus its threshold,
so sweeping again (or from another process) finds the alert already written, and an extended
or recomputed due date starts fresh series.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from models.enums import DeadlineKind, DeadlineStatus, Role
from workflow.table import CLOCKS


class AlertKind(StrEnum):
    REMINDER = "reminder"
    LAST_WORKING_DAY = "last_working_day"
    OVERDUE = "overdue"
    MAY_COME_DOWN = "may_come_down"


ESCALATION: tuple[Role, ...] = (Role.EXECUTIVE, Role.AUDITOR)


@dataclass(frozen=True)
class AlertPolicy:
    """The alert settings of a deployment, as plain values."""

    reminder_days: tuple[int, ...] = (7, 3, 1, 0)
    last_working_day_warning: bool = True
    overdue_repeat_days: int = 7
    escalate: bool = True
    escalate_from: int = 0  # the overdue occurrence (0 = the first) from which to escalate
    catch_up: Literal["latest", "all"] = "latest"

    def __post_init__(self) -> None:
        if any(n < 0 for n in self.reminder_days):
            raise ValueError("reminder days are days before the due date: 0 or more")
        if self.overdue_repeat_days < 1:
            raise ValueError("the overdue repeat is at least one day")


@dataclass(frozen=True)
class DeadlineFacts:
    """What the policy needs of a deadline row."""

    kind: DeadlineKind
    due_on: date
    last_working_on: date
    status: DeadlineStatus
    extended: bool = False


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    occurrence: str  # stable within the deadline: "<due_on>/<threshold>"
    on: date  # the threshold: the legal day the alert became due
    audience: tuple[Role, ...]
    days_before: int | None = None  # reminders: the threshold's days before the due date
    week: int | None = None  # overdue: 0 for the day after the due date, 1 a week later, …

    def key(self, deadline_id: int) -> str:
        """The outbox idempotency key: (deadline, alert kind, occurrence)."""
        return f"alert:{deadline_id}:{self.kind.value}:{self.occurrence}"


def due_alerts(facts: DeadlineFacts, *, today: date, policy: AlertPolicy) -> list[Alert]:
    """The alerts owed by `today` (a legal date), oldest threshold first."""
    if facts.status is not DeadlineStatus.OPEN:
        return []
    if CLOCKS[facts.kind].floor:
        series = [list(_may_come_down(facts, today))]
    else:
        series = [
            list(_reminders(facts, today, policy)),
            list(_last_working_day(facts, today, policy)),
            list(_overdue(facts, today, policy)),
        ]
    found = [a for s in series for a in (s if policy.catch_up == "all" else s[-1:])]
    return sorted(found, key=lambda a: (a.on, a.kind.value))


def next_alert_on(facts: DeadlineFacts, *, today: date, policy: AlertPolicy) -> date:
    """The first legal day after `today` on which `facts` may owe an alert not owed by
    `today` (date.max: none while the dates stay as they are). Every series only gains a new
    alert on one of its thresholds, so a sweep needs to look at the deadline again on that day
    and on no day between (the sweeper keeps it in `Deadline.alert_on`)."""
    if facts.status is not DeadlineStatus.OPEN:
        return date.max
    if CLOCKS[facts.kind].floor:
        thresholds = [facts.due_on]
    else:
        thresholds = [facts.due_on - timedelta(days=n) for n in policy.reminder_days]
        if policy.last_working_day_warning and facts.last_working_on < facts.due_on:
            thresholds.append(facts.last_working_on)
        first = facts.due_on + timedelta(days=1)
        repeat = policy.overdue_repeat_days
        weeks = 0 if today < first else (today - first).days // repeat + 1
        thresholds.append(first + timedelta(days=weeks * repeat))
    return min((on for on in thresholds if on > today), default=date.max)


def days_left(due_on: date, today: date) -> int:
    """Calendar days from `today` to the due date: negative when overdue."""
    return (due_on - today).days


def _reminders(facts: DeadlineFacts, today: date, policy: AlertPolicy) -> Iterator[Alert]:
    if today > facts.due_on:
        return
    for n in sorted(set(policy.reminder_days), reverse=True):
        on = facts.due_on - timedelta(days=n)
        if on <= today:
            yield Alert(
                AlertKind.REMINDER,
                f"{facts.due_on.isoformat()}/{n}d",
                on,
                CLOCKS[facts.kind].reminded,
                days_before=n,
            )


def _last_working_day(facts: DeadlineFacts, today: date, policy: AlertPolicy) -> Iterator[Alert]:
    on = facts.last_working_on
    if not policy.last_working_day_warning or on >= facts.due_on:
        return
    if on <= today <= facts.due_on:
        yield Alert(
            AlertKind.LAST_WORKING_DAY,
            f"{facts.due_on.isoformat()}/{on.isoformat()}",
            on,
            CLOCKS[facts.kind].reminded,
        )


def _overdue(facts: DeadlineFacts, today: date, policy: AlertPolicy) -> Iterator[Alert]:
    first = facts.due_on + timedelta(days=1)
    if today < first:
        return
    weeks = (today - first).days // policy.overdue_repeat_days
    for k in range(weeks + 1):
        audience = CLOCKS[facts.kind].reminded
        if policy.escalate and k >= policy.escalate_from:
            audience = _merge(audience, ESCALATION)
        yield Alert(
            AlertKind.OVERDUE,
            f"{facts.due_on.isoformat()}/w{k}",
            first + timedelta(days=k * policy.overdue_repeat_days),
            audience,
            week=k,
        )


def _may_come_down(facts: DeadlineFacts, today: date) -> Iterator[Alert]:
    if today >= facts.due_on:
        yield Alert(
            AlertKind.MAY_COME_DOWN,
            facts.due_on.isoformat(),
            facts.due_on,
            CLOCKS[facts.kind].reminded,
        )


def _merge(first: tuple[Role, ...], second: tuple[Role, ...]) -> tuple[Role, ...]:
    return (*first, *(r for r in second if r not in first))
