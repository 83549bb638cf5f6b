"""What the sweep (workflow/sweeper.py) does for monitoring reports (docs/domain.md
"Monitoring reports"): the subject a clock belongs to (a plan or a report), the report's
automatic completion of its posting, and the daily pass that opens the yearly floor.

The yearly floor (clause 30 (5): at least once a year, within December) is keyed by the
annual-round report of the fiscal year just ended: on or after 1 October, an organization
with no live annual report of that year gets one, created by the scheduler (`system`) through
the same create command staff use, whose row starts the floor clock (started 30 September,
due 31 December). The clock thus always has a subject, its alerts name it, and announcing
that report closes it; a withdrawn report cancels it and the next pass opens a new one, with
the same dates. Idempotent: the partial unique index admits one live report per organization,
year and round, and the pass skips organizations that have one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlmodel import Session

from models import store
from models.enums import Action, ReportRound, ReportState, Role
from models.report_store import REPORT, REPORTS, ReportWithClocks
from models.store import ORGANIZATION, OUTBOX, ClockRow, PlanRow, insert_values
from workflow import uow
from workflow.actors import SYSTEM
from workflow.command_base import Context
from workflow.errors import DomainError
from workflow.notices import message
from workflow.report_commands import create_report, fiscal_year_end, perform_report
from workflow.sweep_rows import Due, PlanFacts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Owner:
    """The subject a clock belongs to, as the sweep needs it."""

    organization_id: int
    plan_id: int | None
    report_id: int | None
    posted: bool  # the subject is in the state its automatic completion leaves
    described: dict[str, Any]  # the payload's description of the subject


def owner_of(
    conn: Connection, clock: ClockRow | Due, plan: PlanRow | PlanFacts | None = None
) -> Owner:
    """The plan or the report the clock belongs to (`plan`: its plan's columns, already read)."""
    if clock.report_id is not None:
        report = REPORTS.row(conn, clock.report_id)
        assert report is not None
        return Owner(report.organization_id, None, report.id,
                     report.state is ReportState.POSTED,
                     {"report": {"id": report.id, "round": report.round.value,
                                 "fiscal_year_be": report.fiscal_year_be,
                                 "state": report.state.value}})
    assert clock.plan_id is not None
    plan = plan or store.PLANS.row(conn, clock.plan_id)
    assert plan is not None
    return Owner(plan.organization_id, plan.id, None, plan.state.value == "posted",
                 {"plan": {"title": plan.title, "kind": str(plan.kind), "number": plan.number,
                           "fiscal_year_be": plan.fiscal_year_be, "state": str(plan.state)}})


def complete_report(engine: Engine, ctx: Context, report_id: int, removal_on: date,
                    comment: str) -> str | None:
    """Complete a report's posting as `system` on its earliest removal date; the refusal's
    code, or None when done."""

    def command(session: Session) -> ReportWithClocks:
        report = REPORTS.lock(session.connection(), report_id)
        assert report is not None
        return perform_report(session, ctx, report_id=report_id,
                              action=Action.COMPLETE_POSTING, actor=SYSTEM,
                              expected_version=report.version, effective_on=removal_on,
                              comment=comment)

    try:
        uow.run(engine, ctx.clock, command)
    except DomainError as error:
        log.warning("automatic completion of report %s refused: %s", report_id, error.code)
        return error.code
    return None


def ended_fiscal_year(today: date) -> int:
    """The fiscal year (BE) whose end opened the latest yearly floor: on or after 1 October of
    year Y, the one ending 30 September Y; before, the one ending the year before."""
    year = today.year if today.month >= 10 else today.year - 1
    return year + 543


def open_yearly_floors(engine: Engine, ctx: Context, today: date) -> list[int]:
    """Create the annual report of the fiscal year just ended for each organization that has
    none yet (once per organization: the pass is idempotent); the new reports' ids."""
    fiscal_year = ended_fiscal_year(today)
    if today <= fiscal_year_end(fiscal_year):
        return []
    with engine.connect() as conn:
        having = sa.select(REPORT.c.organization_id).where(
            REPORT.c.fiscal_year_be == fiscal_year, REPORT.c.round == ReportRound.ANNUAL.value,
            REPORT.c.state != ReportState.WITHDRAWN.value)
        lacking = [int(i) for i in conn.execute(
            sa.select(ORGANIZATION.c.id).where(ORGANIZATION.c.id.not_in(having))
            .order_by(ORGANIZATION.c.id)).scalars()]
    made: list[int] = []
    for organization_id in lacking:
        def command(session: Session, org: int = organization_id) -> ReportWithClocks | None:
            # Schedulers in several processes race here: the organization's row, locked
            # (PostgreSQL; SQLite's write transaction is the lock), orders them, and the one
            # that comes second finds the report and writes nothing (no refused attempt).
            conn = session.connection()
            conn.execute(sa.select(ORGANIZATION.c.id).where(ORGANIZATION.c.id == org)
                         .with_for_update())
            if conn.execute(having.where(REPORT.c.organization_id == org)).first():
                return None
            return create_report(session, ctx, organization_id=org, fiscal_year_be=fiscal_year,
                                 round_=ReportRound.ANNUAL, actor=SYSTEM, effective_on=today)

        try:
            created = uow.run(engine, ctx.clock, command)
            if created is not None:
                made.append(created.id)
        except DomainError as error:  # refused for another reason: tried again tomorrow
            log.info("yearly floor of organization %s: %s", organization_id, error.code)
    return made


HALF_DONE = tuple(s.value for s in (ReportState.ANNOUNCED, ReportState.POSTED,
                                    ReportState.POSTING_COMPLETE))
HALF_AUDIENCE = (Role.STAFF, Role.MONITORING_COMMITTEE, Role.EXECUTIVE)


def remind_half_rounds(engine: Engine, ctx: Context, today: date, from_day: int) -> list[str]:
    """The 6-month round has no legal clock; from `from_day` of April (the setting) until
    the month ends, each organization whose half-round report of the current fiscal year is
    not announced is reminded once (keyed by organization and year), naming its report when
    it has begun one; the keys written."""
    if today.month != 4 or today.day < from_day:
        return []
    fiscal_year = today.year + 543
    done = sa.select(REPORT.c.organization_id).where(
        REPORT.c.fiscal_year_be == fiscal_year, REPORT.c.round == ReportRound.HALF.value,
        REPORT.c.state.in_(HALF_DONE))
    written: list[str] = []
    with engine.begin() as conn:
        known = set(conn.execute(sa.select(OUTBOX.c.idempotency_key).where(
            OUTBOX.c.kind == "report.half_reminder")).scalars())
        lacking = conn.execute(sa.select(ORGANIZATION.c.id).where(
            ORGANIZATION.c.id.not_in(done)).order_by(ORGANIZATION.c.id)).scalars().all()
        drafts = dict(conn.execute(sa.select(REPORT.c.organization_id, REPORT.c.id).where(
            REPORT.c.fiscal_year_be == fiscal_year, REPORT.c.round == ReportRound.HALF.value,
            REPORT.c.state != ReportState.WITHDRAWN.value)).tuples().all())
        for organization_id in lacking:
            key = f"report.half_reminder:{organization_id}:{fiscal_year}"
            if key in known:
                continue
            insert_values(conn, OUTBOX, message(
                key=key, kind="report.half_reminder", organization_id=int(organization_id),
                plan_id=None, report_id=drafts.get(organization_id), audience=HALF_AUDIENCE,
                now=ctx.clock.now(),
                payload={"fiscal_year_be": fiscal_year, "round": ReportRound.HALF.value,
                         "by": date(today.year, 4, 30).isoformat()}))
            written.append(key)
    return written
