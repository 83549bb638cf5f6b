"""The read side of monitoring reports (docs/domain.md "Monitoring reports"): a report, the
reports a person may see (their organization's; an auditor's scope), a report's history, and
the actions a person may take on it now (from the table's rows)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from models import visibility
from models.audit import RefusedAttempt
from models.enums import Action, ReportRound, ReportState
from models.report_store import REPORT, REPORT_RECORD, REPORTS, ReportWithClocks

__all__ = [
    "ReportFilters",
    "ReportWithClocks",
    "actions_now",
    "get_report",
    "history",
    "list_reports",
    "report_paper",
]
from models.store import ORGANIZATION
from workflow import queries
from workflow.actors import Actor
from workflow.command_base import MAX_ID, sees
from workflow.errors import Conflict, NotFound, reason
from workflow.table_reports import REPORT_RULES


@dataclass(frozen=True)
class ReportFilters:
    organization_code: str | None = None
    fiscal_year_be: int | None = None
    round: ReportRound | None = None
    state: ReportState | None = None
    after_id: int | None = None
    limit: int = 50
    province: str | None = None  # an auditor's filter: the organizations of one province


def not_found() -> NotFound:
    return NotFound([reason("report_not_found", "ไม่พบรายงาน", "no such report")])


def get_report(session: Session, actor: Actor, report_id: int) -> ReportWithClocks:
    """The report with its clocks if the actor may see it (else: not found)."""
    found = REPORTS.read(session.connection(), report_id) if 0 < report_id <= MAX_ID else None
    if found is None or not sees(actor, session, found.organization_id):
        raise not_found()
    return found


def actions_now(actor: Actor, report: ReportWithClocks) -> list[Action]:
    """What the actor may do now: the rows from the report's state for its round and the
    acting role (or, several held and none named, every held role)."""
    if not actor.belongs_to(report.organization_id):
        return []
    org = report.organization_id
    return list(dict.fromkeys(
        r.action for r in REPORT_RULES
        if r.source is report.state and r.applies(report.round)
        and any(actor.may_be(role, org) for role in r.roles)
    ))


def list_reports(session: Session, actor: Actor,
                 filters: ReportFilters) -> tuple[list[ReportWithClocks], int | None]:
    """The reports the actor may see, oldest first; the page and the id to continue after."""
    query = sa.select(REPORT.c.id).where(visibility.visible(actor.scope, REPORT.c.organization_id))
    if filters.organization_code is not None:
        org = sa.select(ORGANIZATION.c.id).where(
            ORGANIZATION.c.code == filters.organization_code)
        query = query.where(REPORT.c.organization_id.in_(org))
    if filters.province is not None:
        in_province = sa.select(ORGANIZATION.c.id).where(
            ORGANIZATION.c.province == filters.province)
        query = query.where(REPORT.c.organization_id.in_(in_province))
    if filters.fiscal_year_be is not None:
        query = query.where(REPORT.c.fiscal_year_be == filters.fiscal_year_be)
    if filters.round is not None:
        query = query.where(REPORT.c.round == filters.round.value)
    if filters.state is not None:
        query = query.where(REPORT.c.state == filters.state.value)
    if filters.after_id is not None:
        query = query.where(REPORT.c.id > filters.after_id)
    conn = session.connection()
    ids = list(conn.execute(query.order_by(REPORT.c.id).limit(filters.limit + 1)).scalars())
    more = len(ids) > filters.limit
    page = [r for i in ids[: filters.limit] if (r := REPORTS.read(conn, int(i))) is not None]
    return page, (page[-1].id if more and page else None)


def round_end(report: ReportWithClocks) -> date:
    """The date the report's figures are as of: 31 March (the 6-month round) or 30 September
    (the annual round) of its fiscal year (docs/domain.md "Monitoring reports")."""
    year = report.fiscal_year_be - 543
    return date(year, 3, 31) if report.round is ReportRound.HALF else date(year, 9, 30)


def report_paper(session: Session, actor: Actor, report_id: int, today: date) -> tuple[
    ReportWithClocks, Any, Any
]:
    """The report, its figures from the progress of the plan it reports on as of its round's
    end, and their heading (workflow.report_data); 409 when it names no plan in force."""
    from workflow.report_data import visible_figures

    report = get_report(session, actor, report_id)
    if report.plan_id is None:
        raise Conflict([reason("report_without_plan", "รายงานนี้ไม่ได้ระบุแผนที่ใช้บังคับ",
                               "the report names no plan in force")])
    found, heading = visible_figures(session, plan_id=report.plan_id, actor=actor,
                                     as_of=round_end(report), today=today)
    return report, found, replace(heading, round=report.round.value)


def history(session: Session, actor: Actor,
            report_id: int) -> tuple[ReportWithClocks, list[sa.Row[Any]]]:
    """The report and its records in order."""
    report = get_report(session, actor, report_id)
    rows = session.connection().execute(
        sa.select(REPORT_RECORD).where(REPORT_RECORD.c.report_id == report_id)
        .order_by(REPORT_RECORD.c.seq)).all()
    return report, list(rows)


def refused(session: Session, actor: Actor, report_id: int) -> list[RefusedAttempt]:
    """The refused actions on a report the actor sees, in order."""
    get_report(session, actor, report_id)
    return queries.list_refused_report(session, report_id)
