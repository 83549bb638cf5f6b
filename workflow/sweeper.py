"""The sweep (docs/architecture.md "The three flows", 2): derive the alerts each open deadline owes
today and write them to the outbox; complete a posting whose minimum period is satisfied
(clause 26 (2)) as the actor `system`, through the same command a person uses.

A sweep reads only the open deadlines whose `alert_on` (the next legal day they may owe an
alert: a threshold of one of their series) has come, through one index; its cost grows with the
work due, not with the deadlines in the database. Each is one unit (workflow/sweep_unit.py);
up to `BATCH` units share one write transaction (workflow.uow.run_unit) and its statements (one
claim, one insert of the alerts, one executemany of the next looks and one of the cursors),
and a unit that raises sends its batch round again one unit a transaction, so only the one at
fault is set aside (workflow/faults.py). The deadline rows are claimed with their plans'
columns and their cursors, `FOR UPDATE SKIP LOCKED` of the deadlines on PostgreSQL (SQLite's
`BEGIN IMMEDIATE` already admits one writer at a time), and a deadline is skipped when another
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
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy import Engine

from models import store
from models.clock import BANGKOK
from models.db import WriteUnit, read_session
from models.enums import Action, DeadlineStatus
from models.fastsql import Prepared
from models.store import DEADLINE, PlanWithClocks
from workflow import faults as faults_of
from workflow import uow
from workflow.actors import SYSTEM
from workflow.commands import Context, perform
from workflow.errors import DomainError
from workflow.report_sweep import complete_report, open_yearly_floors, remind_half_rounds
from workflow.sweep_unit import SweepSettings, Unit, sweep_batch

__all__ = ["SweepReport", "SweepSettings", "alert_day", "sweep"]

log = logging.getLogger(__name__)

# Deadlines swept in one write transaction (docs/benchmarks.md "sweep"): the writer lock is
# held for a few milliseconds per batch; a unit's row error sends its batch one by one.
BATCH = 50

COMPLETION_COMMENT = (
    "ปิดประกาศครบระยะเวลาขั้นต่ำแล้ว ระบบบันทึกโดยอัตโนมัติ / "
    "minimum posting period satisfied: completed by the scheduler"
)


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


# Open deadlines whose next look has come (index ix_deadline_status_alert_on): a prepared
# statement, as the steady sweep (nothing due) runs it every minute.
_CANDIDATES = Prepared(
    sa.select(DEADLINE.c.id)
    .where(DEADLINE.c.status == DeadlineStatus.OPEN, DEADLINE.c.alert_on <= sa.bindparam("today"))
    .order_by(DEADLINE.c.due_on, DEADLINE.c.id)
)


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
        ids = [found for (found,) in _CANDIDATES.rows(session.connection(), {"today": today})]
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

    def units(unit: WriteUnit) -> list[Unit | None]:
        return _units(unit, ctx, batch, today, settings)

    try:
        done = uow.run_unit(engine, ctx.clock, units)
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


def _report_unit(engine: Engine, ctx: Context, unit: Unit | None, report: SweepReport) -> bool:
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
    units = uow.run_unit(
        engine, ctx.clock, lambda unit: _units(unit, ctx, [deadline_id], today, settings)
    )
    return _report_unit(engine, ctx, units[0], report)


def _units(
    unit: WriteUnit, ctx: Context, batch: list[int], today: date, settings: SweepSettings
) -> list[Unit | None]:
    """The batch's units at one instant (its messages' and cursors' time)."""
    now = ctx.clock.now()
    return sweep_batch(unit, deadline_ids=batch, today=today, now=now, settings=settings)


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

    def command(unit: WriteUnit) -> PlanWithClocks:
        plan = store.PLANS.lock(unit.conn, plan_id)
        assert plan is not None
        return perform(
            unit,
            ctx,
            plan_id=plan_id,
            action=Action.COMPLETE_POSTING,
            actor=SYSTEM,
            expected_version=plan.version,
            effective_on=removal_on,
            comment=COMPLETION_COMMENT,
        )

    try:
        uow.run_unit(engine, ctx.clock, command)
    except DomainError as error:  # recorded as a refused attempt by uow.run_unit; tried tomorrow
        log.warning("automatic completion of plan %s refused: %s", plan_id, error.code)
        report.refused.append((plan_id, error.code))
        return
    report.completed.append(plan_id)
