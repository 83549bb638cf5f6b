"""The auditor's compliance across fiscal years (/audit/compliance/years): a range of years
(a reversed or too long range is explained in Thai beside the field), one row per year with
how each clock stands, the totals, and both as CSV (api/web/exports_compliance.py). Built on
workflow/compliance_years.py, which calls the core compliance query once per year."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response

from api.csv_export import csv_response
from api.deps import Services
from api.routing import Routes
from api.web import exports_compliance as exports
from api.web import forms
from api.web.render import WebRoute, WebServices, Who, render
from models.clock import today_bangkok
from models.db import read_session
from models.enums import DeadlineKind
from workflow import scoped_reads
from workflow.calendar import fiscal_year_be
from workflow.compliance_years import STATUSES, ComplianceYears, compliance_years
from workflow.input_rules import InvalidInput, fiscal_year

router = Routes(prefix="/audit", route_class=WebRoute, include_in_schema=False)
YearText = Annotated[str, Query(max_length=4)]
SPAN = 4  # by default: this fiscal year and the four before it


def _read(
    services: Services, who: Who, first: str, last: str
) -> tuple[forms.FormState, ComplianceYears | None]:
    """The range as typed, and the years' compliance; None with the reasons on the form."""
    scoped_reads.require_auditor(who.actor)
    now = fiscal_year_be(today_bangkok(services.clock))
    values = {"fiscal_year_from": first or str(now - SPAN), "fiscal_year_to": last or str(now)}
    form = forms.FormState("years", values)
    start = forms.ruled(form, lambda: fiscal_year(values["fiscal_year_from"],
                                                  field="fiscal_year_from"))
    end = forms.ruled(form, lambda: fiscal_year(values["fiscal_year_to"], field="fiscal_year_to"))
    if start is None or end is None:
        return form, None
    with read_session(services.engine) as db:
        try:
            found = compliance_years(
                db, who.actor, first_be=start, last_be=end, clock=services.clock
            )
        except InvalidInput as refused:  # a reversed or too long range
            for r in refused.reasons:
                form.add(refused.field, r.th, r.en)
            return form, None
    return form, found


@router.get("/compliance/years", response_class=HTMLResponse)
def years(
    request: Request,
    who: Who,
    services: WebServices,
    fiscal_year_from: YearText = "",
    fiscal_year_to: YearText = "",
) -> HTMLResponse:
    form, found = _read(services, who, fiscal_year_from, fiscal_year_to)
    query = urlencode(form.values)
    return render(
        request,
        "audit_compliance_years.html",
        who=who,
        status=422 if form.errors else 200,
        form=form,
        found=found,
        kinds_order=list(DeadlineKind),
        statuses=STATUSES,
        query=query,
    )


def _csv(services: Services, who: Who, first: str, last: str, summary: bool) -> Response:
    _, found = _read(services, who, first, last)
    if found is None:  # never widen an export silently: refuse instead
        return Response("invalid fiscal years", status_code=422, media_type="text/plain")
    now = services.clock.now()
    if summary:
        rows = exports.summary_rows(found, now)
        return csv_response(exports.summary_columns(), rows, filename="compliance-years.csv")
    rows = exports.plan_rows(found, now)
    return csv_response(exports.PLAN_COLUMNS, rows, filename="compliance-plans.csv")


@router.get("/compliance/years.csv")
def years_csv(
    who: Who, services: WebServices, fiscal_year_from: YearText = "", fiscal_year_to: YearText = ""
) -> Response:
    """The per-year counts and the totals."""
    return _csv(services, who, fiscal_year_from, fiscal_year_to, summary=True)


@router.get("/compliance/plans.csv")
def plans_csv(
    who: Who, services: WebServices, fiscal_year_from: YearText = "", fiscal_year_to: YearText = ""
) -> Response:
    """Every plan and clock of the range."""
    return _csv(services, who, fiscal_year_from, fiscal_year_to, summary=False)
