"""One deadline's unit of the sweep (workflow/sweeper.py runs the pass): claim the deadline for
today's legal day, write the alerts it owes that no earlier look wrote, set its next look and
its cursor, and say whether it owes an automatic completion of a posting (clause 26 (2)).

The units of a batch run in its write transaction (a `WriteUnit`: no ORM session) on the rows
of workflow/sweep_rows.py, each of the batch's statements once for all its units. Alerts
carry a unique idempotency key (deadline, alert kind, occurrence) and are inserted only if
their key is new, so a second sweep, a restart or a second process adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from models.db import WriteUnit
from models.enums import DeadlineKind, DeadlineStatus
from workflow import sweep_rows as rows
from workflow.alert_policy import Alert, AlertPolicy, DeadlineFacts, next_alert_on
from workflow.alert_policy import due_alerts as derive
from workflow.notices import message
from workflow.report_sweep import Owner, owner_of
from workflow.sweep_payload import Template, pairs, payload, template
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


def sweep_batch(
    unit: WriteUnit,
    *,
    deadline_ids: Sequence[int],
    today: date,
    now: datetime,
    settings: SweepSettings,
) -> list[Unit | None]:
    """Claim the deadlines for `today` and write the alerts they owe; each deadline's unit in
    the order given, None where there was nothing to claim. The batch's statements are one
    each (the claim, the alerts, the next looks, the cursors), run after every unit was
    derived: a unit reads nothing another writes."""
    conn = unit.conn
    claims = rows.claim(conn, deadline_ids)
    done: list[tuple[list[str], tuple[int, int, date] | None] | None] = []
    messages: list[dict[str, Any]] = []
    looks: list[tuple[int, date]] = []
    cursors: list[tuple[rows.Cursor, bool]] = []
    for deadline_id in deadline_ids:
        claimed = claims.get(deadline_id)
        if claimed is None or claimed.deadline.alert_on > today:
            done.append(None)  # closed meanwhile, another process holds it or swept it first
            continue
        deadline = claimed.deadline
        owner = owner_of(conn, deadline, claimed.plan)  # a plan or a monitoring report
        alerts, next_look = _derived(
            deadline.kind,
            deadline.due_on,
            deadline.last_working_on,
            deadline.status,
            deadline.extended,
            today,
            settings,
        )
        keys = _alerts(messages, alerts, deadline, owner, now)
        tried = claimed.completion_tried_on
        complete = None
        if _completion_due(deadline, owner, tried, today, settings):
            tried = today  # one attempt a day, by one process
            complete = (owner.plan_id or -(owner.report_id or 0), deadline_id, deadline.due_on)
        looks.append((deadline_id, next_look))
        cursor = rows.Cursor(
            deadline_id=deadline_id,
            swept_on=today,
            due_on=deadline.due_on,
            last_working_on=deadline.last_working_on,
            completion_tried_on=tried,
            updated_at=now,
        )
        cursors.append((cursor, not claimed.swept_before))
        done.append((keys, complete))
    written = rows.add_messages(conn, messages)  # not those an earlier look wrote
    rows.set_next_looks(conn, looks)
    rows.write_cursors(conn, cursors)
    return [
        None if d is None else Unit(tuple(k for k in d[0] if k in written), d[1]) for d in done
    ]


@lru_cache(maxsize=4096)
def _derived(
    kind: DeadlineKind,
    due_on: date,
    last_working_on: date,
    status: DeadlineStatus,
    extended: bool,
    today: date,
    settings: SweepSettings,
) -> tuple[tuple[tuple[Alert, Template], ...], date]:
    """The alerts a deadline of these facts owes today with their payloads' templates, and
    its next look. Pure, and cached: many clocks share their dates (every organization's
    yearly floor is due on 31 December, the clocks of one budget act start on one day), so a
    sweep derives each set of dates once."""
    facts = DeadlineFacts(kind, due_on, last_working_on, status, extended)
    auto = settings.auto_complete_posting
    alerts = tuple(
        (alert, template(alert, facts, today, auto))
        for alert in derive(facts, today=today, policy=settings.policy)
    )
    return alerts, _next_look(facts, today, settings)


def _alerts(
    messages: list[dict[str, Any]],
    alerts: tuple[tuple[Alert, Template], ...],
    deadline: rows.Due,
    owner: Owner,
    now: datetime,
) -> list[str]:
    """Add to `messages` the deadline's alerts; their keys."""
    keys = []
    subject = pairs(owner.described) if alerts else ""
    for alert, parts in alerts:
        key = alert.key(deadline.id)
        values = message(
            key=key,
            kind=parts.kind,
            organization_id=owner.organization_id,
            plan_id=owner.plan_id,
            report_id=owner.report_id,
            audience=(),
            payload=payload(parts, deadline.clause, deadline.start_on, subject),
            now=now,
            deadline_id=deadline.id,
        )
        values["audience"] = parts.audience  # encoded once (message() lists the roles)
        messages.append(values)
        keys.append(key)
    return keys


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
        and CLOCKS[deadline.kind].floor
        and deadline.due_on <= today
        and owner.posted
        and (tried_on is None or tried_on < today)
    )
