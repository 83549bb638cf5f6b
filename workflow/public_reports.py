"""Monitoring reports for citizens (docs/domain.md "Monitoring reports"): the reports on the
public board, posted or their posting complete, newest first, and one of them with its
office, year, round, dates, the committee's findings and recommendations, the figures'
summary as of the round's end and the SHA-256 of the papers its announcement froze
(workflow/report_papers.py). Nobody signs in; any other report is not found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from models.enums import ReportState
from models.report import ReportDocumentKind
from models.report_store import REPORT, REPORTS, ReportWithClocks
from models.store import ORGANIZATION
from workflow import org_search
from workflow.command_base import MAX_ID
from workflow.errors import NotFound, reason
from workflow.report_papers import announced_hashes, announced_report_document, office_of
from workflow.report_reads import round_end
from workflow.table_reports import REPORT_STATE_LABELS, ROUND_LABELS

PUBLIC_REPORT_STATES = (ReportState.POSTED, ReportState.POSTING_COMPLETE)
PAGE = 20
FILES = {ReportDocumentKind.NOTICE_PDF: "notice.pdf", ReportDocumentKind.REPORT_PDF: "report.pdf"}


@dataclass(frozen=True)
class ReportSearch:
    organization_text: str | None = None  # a code, or part of the name
    province: str | None = None
    fiscal_year_be: int | None = None
    page: int = 1


def not_public() -> NotFound:
    return NotFound([reason("report_not_found", "ไม่พบรายงานนี้บนกระดานประกาศ",
                            "no such report on the public board")])  # fmt: skip


def list_public_reports(
    session: Session, search: ReportSearch, *, per_page: int = PAGE
) -> tuple[list[dict[str, Any]], bool]:
    """A page of the reports on the board, newest posting first, and whether more follow."""
    query = (
        sa.select(REPORT.c.id)
        .join(ORGANIZATION, ORGANIZATION.c.id == REPORT.c.organization_id)
        .where(REPORT.c.state.in_([s.value for s in PUBLIC_REPORT_STATES]))
    )
    if search.organization_text:
        query = query.where(org_search.matches(
            ORGANIZATION.c.code, ORGANIZATION.c.name, search.organization_text
        ))
    if search.province:
        query = query.where(ORGANIZATION.c.province == search.province)
    if search.fiscal_year_be is not None:
        query = query.where(REPORT.c.fiscal_year_be == search.fiscal_year_be)
    page = max(1, search.page)
    query = query.order_by(REPORT.c.posted_on.desc(), REPORT.c.id.desc())
    conn = session.connection()
    ids = list(conn.execute(query.limit(per_page + 1).offset((page - 1) * per_page)).scalars())
    found = [r for i in ids[:per_page] if (r := REPORTS.read(conn, int(i))) is not None]
    return [_summary(session, r) for r in found], len(ids) > per_page


def _public(session: Session, report_id: int) -> ReportWithClocks:
    found = REPORTS.read(session.connection(), report_id) if 0 < report_id <= MAX_ID else None
    if found is None or found.state not in PUBLIC_REPORT_STATES:
        raise not_public()
    return found


def _day(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _summary(session: Session, report: ReportWithClocks) -> dict[str, Any]:
    office, _ = office_of(session, report.organization_id)
    return {
        "id": report.id,
        "organization": {"code": office.code, "name": office.full_name,
                         "district": office.district, "province": office.province},
        "fiscal_year_be": report.fiscal_year_be,
        "round": report.round.value,
        "round_th": ROUND_LABELS[report.round][0],
        "state": report.state.value,
        "state_th": REPORT_STATE_LABELS[report.state][0],
        "presented_on": _day(report.presented_on),
        "announced_on": _day(report.announced_on),
        "posted_on": _day(report.posted_on),
        "posting_complete_on": _day(report.posting_complete_on),
        "url": f"/board/reports/{report.id}",
    }  # fmt: skip


def public_report(session: Session, *, report_id: int) -> dict[str, Any]:
    """A report on the board (404 `report_not_found` otherwise): its summary, the places it
    is posted at, the committee's text, the figures' summary as of the round's end (None if it
    names no plan in force) and each frozen paper's SHA-256 and address."""
    report = _public(session, report_id)
    hashes = announced_hashes(session, report_id=report.id)
    documents = {
        kind.value: {"sha256": hashes[kind.value], "url": f"/board/reports/{report.id}/{name}"}
        for kind, name in FILES.items()
        if kind.value in hashes
    }
    return _summary(session, report) | {
        "posting_places": list(report.posting_places),
        "findings": report.findings,
        "recommendations": report.recommendations,
        "figures": _figures(session, report),
        "documents": documents,
    }


def _figures(session: Session, report: ReportWithClocks) -> dict[str, Any] | None:
    from workflow.report_data import tally_data
    from workflow.report_figures import report_figures

    if report.plan_id is None:
        return None
    as_of = round_end(report)
    found = report_figures(session, report.plan_id, as_of)
    return {"as_of": as_of.isoformat(), "plan_id": report.plan_id,
            "overall": tally_data(found.overall), "equipment": tally_data(found.equipment)}


def public_report_file(session: Session, *, report_id: int, kind: ReportDocumentKind) -> bytes:
    """The frozen file of a report on the board, exactly as stored (never re-rendered)."""
    report = _public(session, report_id)
    data = announced_report_document(session, report_id=report.id, kind=kind)
    if data is None:
        raise NotFound([reason("document_not_found", "ไม่พบเอกสารของรายงานนี้",
                               "the report has no such document")])  # fmt: skip
    return data
