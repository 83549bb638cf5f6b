"""A monitoring report's year with an injected clock, on both engines (docs/domain.md
"Monitoring reports"): the 6-month round reminded in April and announced within 15 days of
its presentation; the scheduler opening the yearly floor on 1 October and the annual report
announced in December; a December that passes with no report, and the overdue alert that
reaches the executive and the auditors; `audit verify` intact over it all, and a hand edit
of a report's record or clock found."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.clock import FixedClock, bangkok_noon
from models.enums import Action, DeadlineKind, DeadlineStatus, ReportRound, ReportState, Role
from models.outbox import OutboxMessage
from models.report import MonitoringReport
from tests.factories import Office
from tests.report_factories import FINDINGS, PLACES, act, monitoring_member, new_report, reload
from workflow.actors import SYSTEM
from workflow.audit import verify
from workflow.commands import Context
from workflow.sweeper import SweepSettings, sweep

SETTINGS = SweepSettings(open_yearly_floors=True, half_report_reminder_day=15)


def on(clock: FixedClock, day: date) -> None:
    clock.set(bangkok_noon(day))


def messages(engine: Engine, kind: str) -> list[OutboxMessage]:
    with Session(engine) as s:
        return list(s.exec(select(OutboxMessage).where(OutboxMessage.kind == kind)).all())


def test_a_year_of_monitoring_reports(engine: Engine, clock: FixedClock, ctx: Context,
                                      office: Office) -> None:
    monitor = monitoring_member(engine, clock, office)
    # April 2019 (FY 2562): the 6-month round is reminded from the 15th, once.
    # The first pass opens the floor of FY 2561 (ended 30 September 2018): its December has
    # passed with no report, so it is overdue at once.
    on(clock, date(2019, 4, 14))
    first = sweep(engine, ctx, settings=SETTINGS)
    (late_id,) = first.opened
    assert [k.split(":")[2] for k in first.alerts] == ["overdue"]
    on(clock, date(2019, 4, 15))
    assert sweep(engine, ctx, settings=SETTINGS).alerts == [
        f"report.half_reminder:{office.organization_id}:2562"
    ]
    assert sweep(engine, ctx, settings=SETTINGS).alerts == []  # idempotent
    half = new_report(engine, ctx, office, ReportRound.HALF, 2562)
    assert half.clocks == ()  # no legal clock for the 6-month round
    half = act(engine, ctx, half, Action.SUBMIT, office.staff)
    half = act(engine, ctx, half, Action.APPROVE, monitor, **FINDINGS)
    on(clock, date(2019, 4, 20))
    half = act(engine, ctx, half, Action.PRESENT, office.executive)
    announcement = half.clock(DeadlineKind.REPORT_ANNOUNCEMENT)
    assert announcement is not None and announcement.due_on == date(2019, 5, 5)
    on(clock, date(2019, 4, 30))
    half = act(engine, ctx, half, Action.ANNOUNCE, office.executive)
    closed = half.clock(DeadlineKind.REPORT_ANNOUNCEMENT)
    assert closed is not None and closed.status is DeadlineStatus.MET
    half = act(engine, ctx, half, Action.POST, office.staff, places=PLACES)
    minimum = half.clock(DeadlineKind.MINIMUM_POSTING)
    assert minimum is not None
    on(clock, minimum.due_on)
    done = sweep(engine, ctx, settings=SETTINGS)  # the scheduler completes the posting
    assert -half.id in done.completed
    assert reload(engine, half.id).state is ReportState.POSTING_COMPLETE

    # 1 October 2019: FY 2562 has ended; the scheduler opens its yearly floor.
    on(clock, date(2019, 9, 30))
    assert sweep(engine, ctx, settings=SETTINGS).opened == []
    on(clock, date(2019, 10, 1))
    (annual_id,) = sweep(engine, ctx, settings=SETTINGS).opened
    assert sweep(engine, ctx, settings=SETTINGS).opened == []  # once per organization
    annual = reload(engine, annual_id)
    floor = annual.clock(DeadlineKind.YEARLY_REPORT)
    assert (annual.round, annual.fiscal_year_be) == (ReportRound.ANNUAL, 2562)
    assert floor is not None and floor.due_on == date(2019, 12, 31)
    on(clock, date(2019, 12, 2))
    annual = act(engine, ctx, annual, Action.SUBMIT, office.staff)
    annual = act(engine, ctx, annual, Action.APPROVE, monitor, **FINDINGS)
    annual = act(engine, ctx, annual, Action.PRESENT, office.executive)
    on(clock, date(2019, 12, 16))
    annual = act(engine, ctx, annual, Action.ANNOUNCE, office.executive)
    statuses = {c.kind: c.status for c in annual.clocks}
    assert statuses == {DeadlineKind.YEARLY_REPORT: DeadlineStatus.MET,
                        DeadlineKind.REPORT_ANNOUNCEMENT: DeadlineStatus.MET}

    # FY 2563 ends; nobody reports; December passes.
    on(clock, date(2020, 10, 1))
    (idle_id,) = sweep(engine, ctx, settings=SETTINGS).opened
    on(clock, date(2020, 12, 24))
    sweep(engine, ctx, settings=SETTINGS)
    reminders = messages(engine, "alert.reminder")
    assert reminders and all(m.payload["report"]["id"] == idle_id for m in reminders)
    assert {m.payload["report"]["id"] for m in messages(engine, "alert.overdue")} == {late_id}
    on(clock, date(2021, 1, 1))
    sweep(engine, ctx, settings=SETTINGS)
    (overdue,) = [m for m in messages(engine, "alert.overdue")
                  if m.payload["report"]["id"] == idle_id]
    assert overdue.plan_id is None and overdue.payload["report"]["fiscal_year_be"] == 2563
    assert {Role.EXECUTIVE.value, Role.AUDITOR.value} <= set(overdue.audience)
    assert overdue.payload["clause"] == "ข้อ 30 (5)"

    with Session(engine) as session:
        found = verify(session)
    assert found.intact, [b.as_dict() for b in found.breaks]
    assert found.reports_checked == 4


def test_verify_finds_a_hand_edit(engine: Engine, clock: FixedClock, ctx: Context,
                                  office: Office) -> None:
    monitor = monitoring_member(engine, clock, office)
    report = new_report(engine, ctx, office, ReportRound.ANNUAL, 2561)
    report = act(engine, ctx, report, Action.SUBMIT, office.staff)
    report = act(engine, ctx, report, Action.APPROVE, monitor, **FINDINGS)
    with engine.begin() as conn:
        conn.execute(sa.update(MonitoringReport.__table__).values(findings="แก้ไขด้วยมือ"))  # type: ignore[attr-defined]
        conn.execute(sa.text("UPDATE deadline SET due_on = '2019-01-31' "
                             "WHERE report_id IS NOT NULL"))
    with Session(engine) as session:
        found = verify(session)
    problems = {(b.table, b.field) for b in found.breaks}
    assert ("monitoring_report", "findings") in problems
    assert ("deadline", "due_on") in problems


def test_the_scheduler_refuses_what_staff_may_not(engine: Engine, clock: FixedClock,
                                                  ctx: Context, office: Office) -> None:
    """The system may create an annual report (the floor) but never a half one, and a second
    live report of the same year and round is a conflict."""
    from tests.report_factories import attempt  # noqa: F401  (the same attempt shape)
    from workflow import uow
    from workflow.errors import DomainError
    from workflow.report_commands import create_report

    def make(round_: ReportRound) -> str:
        try:
            uow.run(engine, clock, lambda s: create_report(
                s, ctx, organization_id=office.organization_id, fiscal_year_be=2561,
                round_=round_, actor=SYSTEM))
        except DomainError as error:
            return error.code
        return "ok"

    assert make(ReportRound.HALF) == "forbidden"
    assert make(ReportRound.ANNUAL) == "ok"
    assert make(ReportRound.ANNUAL) == "conflict"
