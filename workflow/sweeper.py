"""The sweep (docs/architecture.md "The three flows", 2): derive the alerts each open deadline owes
today and write them to the outbox; complete a posting whose minimum period is satisfied
(clause 26 (2)) as the actor `system`, through the same command a person uses.

A sweep reads only the open deadlines whose `alert_on` (the next legal day they may owe an
alert: a threshold of one of their series) has come, through one index; its cost grows with the
work due, not with the deadlines in the database. Each is one unit; up to `BATCH` units share
one write transaction (workflow.uow.run), and a unit that raises sends its batch round again
one unit a transaction, so only the one at fault is set aside. The deadline row is claimed
with its plan and its cursor, `FOR UPDATE SKIP LOCKED` of the deadline on PostgreSQL
(SQLite's `BEGIN IMMEDIATE` already admits one writer at a time), and skipped when another
process already moved its `alert_on` past today. Alerts carry a unique idempotency key
(deadline, alert kind, occurrence), so a second sweep, a restart or a second process adds
nothing. The unit sets the next `alert_on`; a moved due date resets it (a database trigger), so
the deadline is swept again at once. The cursor (`deadline_alert_state`) records what the last
look derived from and the day the automatic completion was claimed.

A changed alert policy applies to each deadline from its next look: a new threshold earlier
than the `alert_on` already stored is caught up then (the latest threshold of each series).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Engine
from sqlmodel import Session, col, select

from models import store
from models.clock import BANGKOK
from models.db import read_session
from models.deadline import Deadline
from models.enums import Action, DeadlineKind, DeadlineStatus
from models.store import ClockRow, PlanWithClocks
from workflow import faults as faults_of
from workflow import sweep_rows as rows
from workflow import uow
from workflow.actors import SYSTEM
from workflow.alert_policy import (
    Alert,
    AlertKind,
    AlertPolicy,
    DeadlineFacts,
    days_left,
    next_alert_on,
)
from workflow.alert_policy import due_alerts as derive
from workflow.commands import Context, perform
from workflow.errors import DomainError
from workflow.notices import message
from workflow.report_sweep import (
    Owner,
    complete_report,
    open_yearly_floors,
    owner_of,
    remind_half_rounds,
)
from workflow.table import CLOCKS

log = logging.getLogger(__name__)

# Deadlines swept in one write transaction (docs/benchmarks.md "sweep"): the writer lock is
# held for a few milliseconds per batch; a unit's row error sends its batch one by one.
BATCH = 50

COMPLETION_COMMENT = (
    "ปิดประกาศครบระยะเวลาขั้นต่ำแล้ว ระบบบันทึกโดยอัตโนมัติ / "
    "minimum posting period satisfied: completed by the scheduler"
)


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


@dataclass
class SweepReport:
    day: date
    swept: int = 0
    alerts: list[str] = field(default_factory=list)  # idempotency keys written
    completed: list[int] = field(default_factory=list)  # plan ids (minus: report ids)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (plan id, error code)
    set_aside: list[int] = field(default_factory=list)  # deadline ids (workflow.faults)
    cleared: list[int] = field(default_factory=list)  # deadline ids no longer set aside
    opened: list[int] = field(default_factory=list)  # annual reports the scheduler created


@dataclass(frozen=True)
class _Unit:
    written: tuple[str, ...] = ()
    complete: tuple[int, int, date] | None = None  # (plan id, deadline id, removal date)


def alert_day(now: datetime, alert_time: time) -> date:
    """The legal day whose alerts are due at `now` (Asia/Bangkok)."""
    local = now.astimezone(BANGKOK)
    return local.date() if local.time() >= alert_time else local.date() - timedelta(days=1)


def sweep(engine: Engine, ctx: Context, *, settings: SweepSettings) -> SweepReport:
    """One pass over the open deadlines that were not yet swept for today's legal day. A
    deadline whose unit raises is set aside (workflow.faults) and the pass goes on."""
    today = alert_day(ctx.clock.now(), settings.alert_time)
    report = SweepReport(day=today)
    if settings.open_yearly_floors:  # clause 30 (5), once a legal day, idempotent
        report.opened.extend(open_yearly_floors(engine, ctx, today))
    if settings.half_report_reminder_day is not None:
        day = settings.half_report_reminder_day
        report.alerts.extend(remind_half_rounds(engine, ctx, today, day))
    with read_session(engine) as session:
        ids = list(session.exec(_candidates(today)).all())
        faults = {f.deadline_id: f for f in faults_of.open_faults(session)}
    skipped = faults_of.passed_over(engine, faults, ids, today)
    report.set_aside.extend(sorted(skipped))
    batched = [d for d in ids if d not in faults]
    for start in range(0, len(batched), BATCH):
        _sweep_batch(engine, ctx, batched[start : start + BATCH], today, settings, report)
    for deadline_id in ids:
        if deadline_id in skipped or deadline_id not in faults:
            continue
        try:
            claimed = _sweep_deadline(engine, ctx, deadline_id, today, settings, report)
        except Exception as error:
            if not faults_of.is_row_error(error):
                raise
            _set_aside(engine, ctx, deadline_id, error, today, report)
            continue
        if claimed and deadline_id in faults:
            faults_of.clear(engine, ctx.clock, faults[deadline_id].id or 0, faults_of.SWEPT)
            report.cleared.append(deadline_id)
    due = set(ids)
    for deadline_id, fault in faults.items():
        if deadline_id not in due:  # closed, or its next look is in the future
            faults_of.clear(engine, ctx.clock, fault.id or 0, faults_of.NOT_DUE)
            report.cleared.append(deadline_id)
    _log(report)
    return report


def _sweep_batch(
    engine: Engine,
    ctx: Context,
    batch: list[int],
    today: date,
    settings: SweepSettings,
    report: SweepReport,
) -> None:
    """The units of several deadlines in one write transaction, then their completions. If
    one raises a row error, the batch rolls back whole and each deadline is swept alone, so
    the one at fault is set aside and the others are written as if it had not been there."""

    def units(session: Session) -> list[_Unit | None]:
        return [
            _sweep_one(session, deadline_id=d, today=today, ctx=ctx, settings=settings)
            for d in batch
        ]

    try:
        done = uow.run(engine, ctx.clock, units)
    except Exception as error:
        if not faults_of.is_row_error(error):
            raise
        for deadline_id in batch:
            try:
                _sweep_deadline(engine, ctx, deadline_id, today, settings, report)
            except Exception as alone:
                if not faults_of.is_row_error(alone):
                    raise
                _set_aside(engine, ctx, deadline_id, alone, today, report)
        return
    for unit in done:
        _report_unit(engine, ctx, unit, report)


def _report_unit(engine: Engine, ctx: Context, unit: _Unit | None, report: SweepReport) -> bool:
    """Count a committed unit and complete the posting it claimed; False: nothing claimed."""
    if unit is None:
        return False
    report.swept += 1
    report.alerts.extend(unit.written)
    if unit.complete is not None:
        _complete(engine, ctx, unit.complete, report)
    return True


def _sweep_deadline(
    engine: Engine,
    ctx: Context,
    deadline_id: int,
    today: date,
    settings: SweepSettings,
    report: SweepReport,
) -> bool:
    """One deadline's unit, then its automatic completion if it owes one; False when there
    was nothing to claim (closed meanwhile, or another process holds it)."""
    unit = uow.run(
        engine,
        ctx.clock,
        lambda s: _sweep_one(s, deadline_id=deadline_id, today=today, ctx=ctx, settings=settings),
    )
    return _report_unit(engine, ctx, unit, report)


def _set_aside(
    engine: Engine,
    ctx: Context,
    deadline_id: int,
    error: Exception,
    today: date,
    report: SweepReport,
) -> None:
    if faults_of.set_aside(engine, ctx.clock, deadline_id=deadline_id, error=error, today=today):
        log.error("deadline %s set aside: the sweep cannot process it", deadline_id, exc_info=error)
    else:
        log.warning("deadline %s still set aside: %s", deadline_id, faults_of.describe(error))
    report.set_aside.append(deadline_id)


def _log(report: SweepReport) -> None:
    if report.alerts or report.completed or report.refused or report.set_aside or report.cleared:
        log.info(
            "sweep %s: %d deadline(s), %d alert(s), completed %s, refused %s, set aside %s, "
            "cleared %s",
            report.day,
            report.swept,
            len(report.alerts),
            report.completed,
            report.refused,
            report.set_aside,
            report.cleared,
        )


def _candidates(today: date) -> Any:
    """Open deadlines whose next look has come (index ix_deadline_status_alert_on)."""
    return (
        select(Deadline.id)
        .where(Deadline.status == DeadlineStatus.OPEN, col(Deadline.alert_on) <= today)
        .order_by(col(Deadline.due_on), col(Deadline.id))
    )


def _sweep_one(
    session: Session, *, deadline_id: int, today: date, ctx: Context, settings: SweepSettings
) -> _Unit | None:
    """Claim one deadline for `today`, write the alerts it owes; None: nothing to claim."""
    conn = session.connection()
    claimed = rows.claim(conn, deadline_id)
    if claimed is None or claimed[0].alert_on > today:
        return None  # closed meanwhile, another process holds it or swept it first
    deadline, plan_row, stored = claimed
    plan = owner_of(conn, deadline, plan_row)  # a plan or a monitoring report (report_sweep)
    now = ctx.clock.now()
    facts = DeadlineFacts(
        kind=deadline.kind,
        due_on=deadline.due_on,
        last_working_on=deadline.last_working_on,
        status=deadline.status,
        extended=deadline.extended,
    )
    written = _write_alerts(conn, facts, deadline, plan, today, now, settings)
    cursor = rows.Cursor(
        deadline_id=deadline_id,
        swept_on=today,
        due_on=deadline.due_on,
        last_working_on=deadline.last_working_on,
        completion_tried_on=None if stored is None else stored.completion_tried_on,
        updated_at=now,
    )
    complete = None
    if _completion_due(deadline, plan, cursor, today, settings):
        cursor = replace(cursor, completion_tried_on=today)  # one attempt a day, by one process
        complete = (plan.plan_id or -(plan.report_id or 0), deadline_id, deadline.due_on)
    store.move_clock(conn, deadline, replace(deadline, alert_on=_next_look(facts, today, settings)))
    rows.write_cursor(conn, cursor, new=stored is None)
    return _Unit(tuple(written), complete)


def _write_alerts(
    conn: Connection,
    facts: DeadlineFacts,
    deadline: ClockRow,
    plan: Owner,
    today: date,
    now: datetime,
    settings: SweepSettings,
) -> list[str]:
    """Write the alerts the deadline owes today that no earlier look wrote; their keys."""
    alerts = derive(facts, today=today, policy=settings.policy)
    keys = [a.key(deadline.id) for a in alerts]
    known = rows.known_keys(conn, keys)
    written = []
    for alert, key in zip(alerts, keys, strict=True):
        if key in known:
            continue
        store.insert_values(
            conn,
            store.OUTBOX,
            message(
                key=key,
                kind=f"alert.{alert.kind.value}",
                organization_id=plan.organization_id,
                plan_id=plan.plan_id, report_id=plan.report_id,
                audience=alert.audience,
                payload=_payload(alert, deadline, plan, today, settings),
                now=now,
                deadline_id=deadline.id,
            ),
        )
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
    deadline: ClockRow, plan: Owner, cursor: rows.Cursor, today: date, settings: SweepSettings
) -> bool:
    return (
        settings.auto_complete_posting
        and CLOCKS[DeadlineKind(deadline.kind)].floor
        and deadline.due_on <= today
        and plan.posted
        and (cursor.completion_tried_on is None or cursor.completion_tried_on < today)
    )


def _payload(
    alert: Alert, deadline: ClockRow, plan: Owner, today: date, settings: SweepSettings
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
        **plan.described,
    }


def _complete(
    engine: Engine, ctx: Context, claim: tuple[int, int, date], report: SweepReport
) -> None:
    """Complete the posting as `system` on the earliest removal date (clause 26 (2))."""
    plan_id, _deadline_id, removal_on = claim
    if plan_id < 0:  # a monitoring report's posting (workflow/report_sweep.py)
        code = complete_report(engine, ctx, -plan_id, removal_on, COMPLETION_COMMENT)
        if code is None:
            report.completed.append(plan_id)
        else:
            report.refused.append((plan_id, code))
        return

    def command(session: Session) -> PlanWithClocks:
        plan = store.PLANS.lock(session.connection(), plan_id)
        assert plan is not None
        return perform(
            session,
            ctx,
            plan_id=plan_id,
            action=Action.COMPLETE_POSTING,
            actor=SYSTEM,
            expected_version=plan.version,
            effective_on=removal_on,
            comment=COMPLETION_COMMENT,
        )

    try:
        uow.run(engine, ctx.clock, command)
    except DomainError as error:  # recorded as a refused attempt by uow.run; tried tomorrow
        log.warning("automatic completion of plan %s refused: %s", plan_id, error.code)
        report.refused.append((plan_id, error.code))
        return
    report.completed.append(plan_id)
