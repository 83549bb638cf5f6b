"""The monitoring reports' lists (docs/domain.md "Monitoring reports"): `/reports`, the reports
a person may see with filters (fiscal year, round, state), each with its state, round and
open clock, and for staff the form drafting a report (`POST /reports`, through the same
`create_report` as the API); `/audit/reports`, an auditor's across the scope (organization,
province, year, round, state). A refused draft comes back beside its field with the input kept
(post/redirect/get, api/web/flash.py). The report's own page is api/web/pages_report.py."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from api import auth
from api.deps import Services
from api.routing import Routes
from api.web import flash, forms
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.clock import today_bangkok
from models.db import read_session
from models.enums import DeadlineStatus, ReportRound, ReportState, Role
from models.organization import Organization
from workflow import input_rules as rules
from workflow import report_reads, scoped_reads
from workflow.calendar import fiscal_year_be
from workflow.errors import DomainError
from workflow.report_commands import create_report
from workflow.table_reports import REPORT_STATE_LABELS, ROUND_LABELS, creatable_rounds

router = Routes(route_class=WebRoute, include_in_schema=False)
PAGE_SIZE = 25
Text = Annotated[str, Query(max_length=100)]
Short = Annotated[str, Query(max_length=32)]
After = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
CREATE_FORM = "new-report"


@dataclass(frozen=True)
class ReportLine:
    """One report in a list: the report, its organization, its first open clock."""

    report: report_reads.ReportWithClocks
    organization: Organization | None
    next: forms.DeadlineLine | None


def labels() -> dict[str, Any]:
    """The Thai and English labels of the reports' states and rounds (their one table)."""
    return {
        "report_states": {k.value: v for k, v in REPORT_STATE_LABELS.items()},
        "report_rounds": {k.value: v for k, v in ROUND_LABELS.items()},
        "money": lambda v: f"{v:,.2f}",
    }


def open_lines(db: Session, services: Services, report: Any) -> list[forms.DeadlineLine]:
    """The report's clocks as the pages show them (days left, overdue, holiday notes)."""
    calendar = services.ctx.calendar_for(db)
    today = today_bangkok(services.clock)
    return [forms.line_of(c, today=today, calendar=calendar) for c in report.clocks]


def _filters(values: dict[str, str], *, auditor: bool) -> tuple[forms.FormState, Any]:
    """The filter form as typed, and the filters it means (None with the reasons beside the
    fields)."""
    form = forms.FormState("filters", values)
    year_text = values.get("fiscal_year", "")
    year = forms.ruled(form, lambda: rules.fiscal_year(year_text, field="fiscal_year")) \
        if year_text else None
    round_ = _choice(form, "round", ReportRound)
    state = _choice(form, "state", ReportState)
    code = province = None
    if auditor:
        for name in ("organization", "province"):
            forms.ruled(form, partial(rules.optional_text, values.get(name, ""), field=name,
                                      max_length=rules.FILTER_MAX))
        code = values.get("organization", "").strip() or None
        province = rules.province_search(values.get("province", "")) or None
    if form.errors:
        return form, None
    return form, report_reads.ReportFilters(
        organization_code=code, fiscal_year_be=year, round=round_, state=state,
        limit=PAGE_SIZE, province=province,
    )


def _choice(form: forms.FormState, name: str, enum: Any) -> Any:
    raw = form.values.get(name, "")
    if not raw:
        return None
    try:
        return enum(raw)
    except ValueError:
        form.add(name, "ไม่มีตัวเลือกนี้", "no such choice")
        return None


def _lines(services: Services, who: auth.Principal, filters: Any,
           after: int | None) -> tuple[list[ReportLine], int | None]:
    if filters is None:
        return [], None
    with read_session(services.engine) as db:
        page, more = report_reads.list_reports(
            db, who.actor, report_reads.ReportFilters(**{**vars(filters), "after_id": after}))
        ids = {r.organization_id for r in page}
        orgs = {o.id: o for o in db.exec(select(Organization).where(col(Organization.id).in_(ids)))}
        found = []
        for report in page:
            lines = [x for x in open_lines(db, services, report)
                     if x.status is DeadlineStatus.OPEN]
            found.append(ReportLine(report, orgs.get(report.organization_id),
                                    forms.next_deadline(lines)))
    return found, more


def _paging(values: dict[str, str], more: int | None, after: int | None) -> dict[str, Any]:
    kept = {k: v for k, v in values.items() if v}
    return {
        "next_query": urlencode(kept | {"after": more}) if more else None,
        "first_query": urlencode(kept) if after else None,
    }


def may_draft(who: auth.Principal) -> bool:
    """Whether the person may draft a report (staff, or holding the staff role today)."""
    return bool(creatable_rounds(who.actor.role)) or who.actor.holds(Role.STAFF)


def _list_page(
    request: Request, services: Services, who: auth.Principal, values: dict[str, str],
    after: int | None, create: forms.FormState | None = None, status: int = 200,
) -> HTMLResponse:
    form, filters = _filters(values, auditor=False)
    rows, more = _lines(services, who, filters, after)
    today = today_bangkok(services.clock)
    return render(
        request, "reports.html", who=who, status=status, rows=rows, filters=form,
        audit=False, action="/reports", form=create, create_form=CREATE_FORM,
        may_draft=may_draft(who), default_year=fiscal_year_be(today),
        rounds=list(ReportRound), report_state_list=list(ReportState),
        **_paging(values, more, after), **labels(),
    )


@router.get("/reports", response_class=HTMLResponse)
def reports(
    request: Request, who: Who, services: WebServices, fiscal_year: Annotated[
        str, Query(max_length=4)] = "", round: Short = "", state: Short = "",
    after: After = None,
) -> HTMLResponse:
    values = {"fiscal_year": fiscal_year.strip(), "round": round, "state": state}
    page = _list_page(request, services, who, values, after, flash.take(request, "/reports"))
    flash.forget(request, page)
    return page


def _draft(services: Services, who: auth.Principal, form: forms.FormState,
           request_id: str) -> Any:
    """The draft form as a command; None with the problems noted on the form."""
    values = form.values
    year = forms.ruled(form, lambda: rules.fiscal_year(values.get("fiscal_year_be", "")))
    round_ = _choice(form, "round", ReportRound)
    if round_ is None and "round" not in form.errors:
        form.add("round", "ต้องเลือกรอบการรายงาน", "choose the round")
    if form.errors or year is None or round_ is None:
        return None
    organization_id = who.actor.organization_id or 0
    return lambda s: create_report(
        s, services.ctx, organization_id=organization_id, fiscal_year_be=year, round_=round_,
        actor=who.actor, request_id=request_id)


@router.post("/reports", response_class=HTMLResponse)
async def draft(request: Request, who: Who, services: WebServices) -> Response:
    values = await form_of(request)
    form = forms.FormState(CREATE_FORM, values)
    command = _draft(services, who, form, request.state.request_id)
    refused = form
    if command is not None:
        try:
            made = await services.run(command)
            return RedirectResponse(f"/reports/{made.id}?saved=1", 303)
        except DomainError as error:
            if error.code == "too_many_attempts":
                raise
            refused = forms.refused_form(form.name, values, error)
    response = RedirectResponse(f"/reports#{CREATE_FORM}", 303)
    if flash.keep(request, response, refused, "/reports"):
        return response
    return await run_in_threadpool(_list_page, request, services, who, {}, None, refused, 422)


@router.get("/audit/reports", response_class=HTMLResponse)
def audit_reports(
    request: Request, who: Who, services: WebServices, organization: Text = "",
    province: Text = "", fiscal_year: Annotated[str, Query(max_length=4)] = "",
    round: Short = "", state: Short = "", after: After = None,
) -> HTMLResponse:
    scoped_reads.require_auditor(who.actor)
    values = {"organization": organization.strip(), "province": province.strip(),
              "fiscal_year": fiscal_year.strip(), "round": round, "state": state}
    form, filters = _filters(values, auditor=True)
    rows, more = _lines(services, who, filters, after)
    return render(
        request, "reports.html", who=who, status=200 if filters else 422, rows=rows,
        filters=form, audit=True, action="/audit/reports", form=None, may_draft=False,
        rounds=list(ReportRound), report_state_list=list(ReportState),
        **_paging(values, more, after), **labels(),
    )

