"""Monitoring reports for citizens on the web (docs/domain.md "Monitoring reports"), no
sign-in: `/board/reports` (the reports posted or their posting complete, newest first,
searched by organization, province and fiscal year as a citizen types them), and
`/board/reports/{id}` (the office, year, round, dates, the committee's findings and
recommendations, the figures' summary, and the frozen ประกาศ and report PDF with their
SHA-256), cards on a phone; the two files as the announcement stored them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import Services
from api.routes.documents import pdf_response
from api.routing import Routes
from api.web import session
from api.web.render import WebRoute, WebServices, render
from models.db import read_session
from models.report import ReportDocumentKind
from workflow import input_rules as rules
from workflow.input_rules import InvalidInput
from workflow.public_reports import (
    ReportSearch,
    list_public_reports,
    public_report,
    public_report_file,
)

router = Routes(route_class=WebRoute, include_in_schema=False)
ReportId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Typed = Annotated[str, Query(max_length=rules.FILTER_MAX)]
YEAR_REFUSED = "ปีงบประมาณ พ.ศ. 4 หลัก เช่น 2562 / a Buddhist-Era fiscal year such as 2562"


def _text(raw: str, field: str, errors: dict[str, str]) -> str | None:
    """A search field as typed, spaces folded; the input rule's reason beside the field if it
    refuses it (a control character)."""
    try:
        value = rules.optional_text(raw, field=field, max_length=rules.FILTER_MAX)
    except InvalidInput as refused:
        errors[field] = " / ".join((refused.reasons[0].th, refused.reasons[0].en))
        return None
    return " ".join((value or "").split()) or None


def _year(raw: str, errors: dict[str, str]) -> int | None:
    typed = raw.strip()
    if not typed:
        return None
    if not (typed.isascii() and typed.isdigit() and 2400 <= int(typed) <= 2800):
        errors["year"] = YEAR_REFUSED
        return None
    return int(typed)


@router.get("/board/reports", response_class=HTMLResponse)
def board_reports(
    request: Request,
    services: WebServices,
    organization: Typed = "",
    province: Typed = "",
    year: Annotated[str, Query(max_length=8)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    errors: dict[str, str] = {}
    text, where = _text(organization, "organization", errors), _text(province, "province", errors)
    fiscal_year = _year(year, errors)
    found: list[dict[str, Any]] = []
    more = False
    if not errors:
        search = ReportSearch(text, rules.province_search(where) if where else None,
                              fiscal_year, page)  # fmt: skip
        with read_session(services.engine) as db:
            found, more = list_public_reports(db, search)
    typed = {"organization": organization, "province": province, "year": year}
    query = {k: v for k, v in typed.items() if v}
    return render(
        request,
        "board_reports.html",
        who=session.current(request, services),
        status=422 if errors else 200,
        reports=found,
        errors=errors,
        typed=typed,
        searched=bool(query),
        day=date.fromisoformat,
        next_query=urlencode(query | {"page": page + 1}) if more else None,
        previous_query=urlencode(query | {"page": page - 1}) if page > 1 else None,
    )


@router.get("/board/reports/{report_id:int}", response_class=HTMLResponse)
def board_report(request: Request, report_id: ReportId, services: WebServices) -> HTMLResponse:
    with read_session(services.engine) as db:
        shown = public_report(db, report_id=report_id)
    return render(
        request,
        "board_report.html",
        who=session.current(request, services),
        r=shown,
        day=date.fromisoformat,
        money=lambda v: f"{float(v):,.2f}",
    )


def _file(services: Services, report_id: int, kind: ReportDocumentKind) -> bytes:
    with read_session(services.engine) as db:
        return public_report_file(db, report_id=report_id, kind=kind)


@router.get("/board/reports/{report_id:int}/notice.pdf")
async def board_report_notice(report_id: ReportId, services: WebServices) -> Response:
    """The report's ประกาศ as its announcement stored it (never re-rendered)."""
    data = await run_in_threadpool(_file, services, report_id, ReportDocumentKind.NOTICE_PDF)
    return pdf_response(data, f"report-notice-{report_id}.pdf")


@router.get("/board/reports/{report_id:int}/report.pdf")
async def board_report_pdf(report_id: ReportId, services: WebServices) -> Response:
    """The report PDF as its announcement stored it (never re-rendered)."""
    data = await run_in_threadpool(_file, services, report_id, ReportDocumentKind.REPORT_PDF)
    return pdf_response(data, f"report-{report_id}.pdf")
