"""One deadline's unit of the sweep (workflow/sweeper.py runs the pass): claim the deadline for
today's legal day, write the alerts it owes that no earlier look wrote, set its next look and
its cursor, and say whether it owes an automatic completion of a posting (clause 26 (2)).

The unit runs in the batch's write transaction (a `WriteUnit`: no ORM session) on the rows of
workflow/sweep_rows.py. Alerts carry a unique idempotency key (deadline, alert kind,
occurrence) and are inserted only if their key is new, so a second sweep, a restart or a
second process adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection

from models.db import WriteUnit
from models.enums import DeadlineKind
from workflow import sweep_rows as rows
from workflow.alert_policy import (
    Alert,
    AlertKind,
    AlertPolicy,
    DeadlineFacts,
    days_left,
    next_alert_on,
)
from workflow.alert_policy import due_alerts as derive
from workflow.notices import message
from workflow.report_sweep import Owner, owner_of
from workflow.table import CLOCKS


@dataclass(frozen=True)
class SweepSettings:
    policy: AlertPolicy = field(default_factory=AlertPolicy)
    auto_complete_posting: bool = True
    # Alerts of a legal day are due from this local time (nobody wants mail at 00:01).
    alert_time: time = time(0, 0)
    # Open each organization's yearly monitoring floor when a fiscal year ends (clause 30 (5)).
    open_yearly_floors: bool = False  # the service turns it on (api/scheduler_settings.py)
    # The day of April from which the 6-month round is reminded (None: never).
    half_report_reminder_day: int | None = None


@dataclass(frozen=True)
class Unit:
    """What a committed unit did: the alerts' keys written and the completion it claimed."""

    written: tuple[str, ...] = ()
    complete: tuple[int, int, date] | None = None  # (plan id, deadline id, removal date)


def sweep_one(
    unit: WriteUnit, *, deadline_id: int, today: date, now: datetime, settings: SweepSettings
) -> Unit | None:
    """Claim one deadline for `today`, write the alerts it owes; None: nothing to claim."""
    conn = unit.conn
    claimed = rows.claim(conn, deadline_id)
    if claimed is None or claimed.deadline.alert_on > today:
        return None  # closed meanwhile, another process holds it or swept it first
    deadline = claimed.deadline
    owner = owner_of(conn, deadline, claimed.plan)  # a plan or a monitoring report
    facts = DeadlineFacts(
        kind=deadline.kind,
        due_on=deadline.due_on,
        last_working_on=deadline.last_working_on,
        status=deadline.status,
        extended=deadline.extended,
    )
    written = _write_alerts(conn, facts, deadline, owner, today, now, settings)
    tried = claimed.completion_tried_on
    complete = None
    if _completion_due(deadline, owner, tried, today, settings):
        tried = today  # one attempt a day, by one process
        complete = (owner.plan_id or -(owner.report_id or 0), deadline_id, deadline.due_on)
    rows.set_next_look(conn, deadline_id, _next_look(facts, today, settings))
    cursor = rows.Cursor(
        deadline_id=deadline_id,
        swept_on=today,
        due_on=deadline.due_on,
        last_working_on=deadline.last_working_on,
        completion_tried_on=tried,
        updated_at=now,
    )
    rows.write_cursor(conn, cursor, new=not claimed.swept_before)
    return Unit(tuple(written), complete)


def _write_alerts(
    conn: Connection,
    facts: DeadlineFacts,
    deadline: rows.Due,
    owner: Owner,
    today: date,
    now: datetime,
    settings: SweepSettings,
) -> list[str]:
    """Write the alerts the deadline owes today that no earlier look wrote; their keys."""
    written = []
    for alert in derive(facts, today=today, policy=settings.policy):
        key = alert.key(deadline.id)
        values = message(
            key=key,
            kind=f"alert.{alert.kind.value}",
            organization_id=owner.organization_id,
            plan_id=owner.plan_id,
            report_id=owner.report_id,
            audience=alert.audience,
            payload=_payload(alert, deadline, owner, today, settings),
            now=now,
            deadline_id=deadline.id,
        )
        if rows.add_message(conn, values):  # not if an earlier look wrote it
            written.append(key)
    return written


def _next_look(facts: DeadlineFacts, today: date, settings: SweepSettings) -> date:
    """The next alert threshold; tomorrow for a removal date that has passed while automatic
    completion is on (a refused completion is tried again each day)."""
    following = next_alert_on(facts, today=today, policy=settings.policy)
    if (
        settings.auto_complete_posting
        and CLOCKS[facts.kind].floor
        and facts.due_on <= today
    ):
        return min(following, today + timedelta(days=1))
    return following


def _completion_due(
    deadline: rows.Due,
    owner: Owner,
    tried_on: date | None,
    today: date,
    settings: SweepSettings,
) -> bool:
    return (
        settings.auto_complete_posting
        and CLOCKS[DeadlineKind(deadline.kind)].floor
        and deadline.due_on <= today
        and owner.posted
        and (tried_on is None or tried_on < today)
    )


def _payload(
    alert: Alert, deadline: rows.Due, owner: Owner, today: date, settings: SweepSettings
) -> dict[str, Any]:
    """Everything the texts need, as it stood when the alert was written."""
    clock = CLOCKS[DeadlineKind(deadline.kind)]
    return {
        "alert": alert.kind.value,
        "occurrence": alert.occurrence,
        "deadline_kind": DeadlineKind(deadline.kind).value,
        "clause": deadline.clause,
        "duty_th": clock.label_th,
        "duty_en": clock.label_en,
        "start_on": deadline.start_on.isoformat(),
        "due_on": deadline.due_on.isoformat(),
        "last_working_on": deadline.last_working_on.isoformat(),
        "extended": deadline.extended,
        "threshold_on": alert.on.isoformat(),
        "emitted_on": today.isoformat(),
        "days_left": days_left(deadline.due_on, today),
        "days_before": alert.days_before,
        "week": alert.week,
        "auto_complete": alert.kind is AlertKind.MAY_COME_DOWN and settings.auto_complete_posting,
        **owner.described,
    }

