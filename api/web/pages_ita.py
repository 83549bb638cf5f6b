"""The transparency checklist on the web (docs/domain.md "The transparency checklist"): an
office's items for an ITA year with what is missing, and the auditors' view across their
scope with filters and a CSV download."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response

from api.csv_export import csv_response
from api.routing import Routes
from api.web.render import WebRoute, WebServices, Who, render
from models.clock import today_bangkok
from models.db import read_session
from workflow import input_rules as rules
from workflow import ita
from workflow.ita_data import ItaYear, available_years

router = Routes(route_class=WebRoute, include_in_schema=False)
NO_CONTROL = r"^[^\x00-\x1f\x7f]+$"
Year = Annotated[int | None, Query(ge=rules.FISCAL_YEAR_MIN_BE, le=rules.FISCAL_YEAR_MAX_BE)]
OrganizationId = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
Filter = Annotated[str, Query(max_length=rules.FILTER_MAX, pattern=r"^[^\x00-\x1f\x7f]*$")]
StatusFilter = Annotated[ita.Status | None, Query()]
ItemFilter = Annotated[str, Query(max_length=4, pattern=r"^([A-Z][0-9]{1,3})?$")]


def _year(year: int | None) -> int:
    """The year asked for, or the latest year with a data file."""
    return year if year is not None else available_years()[-1]


@router.get("/ita", response_class=HTMLResponse)
def organization_page(
    request: Request, who: Who, services: WebServices, year: Year = None,
    organization_id: OrganizationId = None,
) -> HTMLResponse:  # fmt: skip
    """An office's checklist: the caller's own office, or the one an auditor names."""
    target = organization_id or who.actor.organization_id or 0
    with read_session(services.engine) as db:
        found, row = ita.for_organization(
            db, who.actor, year=_year(year), organization_id=target,
            today=today_bangkok(services.clock),
        )  # fmt: skip
    return render(request, "ita_organization.html", who=who, found=found, row=row,
                  years=available_years(), labels=ita.STATUS_TH)  # fmt: skip


def _scope(
    services: WebServices, who: Who, year: int | None, province: str, organization: str,
    status: str | None, item: str,
) -> tuple[ItaYear, list[ita.Row], ita.ScopeFilters]:  # fmt: skip
    filters = ita.ScopeFilters(province=province.strip() or None,
                               organization=" ".join(organization.split()) or None,
                               status=status, item=item or None)  # fmt: skip
    with read_session(services.engine) as db:
        found, rows = ita.across_scope(
            db, who.actor, year=_year(year), filters=filters, today=today_bangkok(services.clock)
        )
    return found, rows, filters


@router.get("/audit/ita", response_class=HTMLResponse)
def scope_page(
    request: Request, who: Who, services: WebServices, year: Year = None, province: Filter = "",
    organization: Filter = "", status: StatusFilter = None, item: ItemFilter = "",
) -> HTMLResponse:  # fmt: skip
    """Auditors: one row per organization of their scope, filtered."""
    found, rows, filters = _scope(services, who, year, province, organization, status, item)
    query = request.url.query
    return render(request, "ita_scope.html", who=who, found=found, rows=rows, filters=filters,
                  years=available_years(), labels=ita.STATUS_TH, statuses=ita.STATUSES,
                  query=query)  # fmt: skip


@router.get("/audit/ita.csv")
def scope_csv(
    request: Request, who: Who, services: WebServices, year: Year = None, province: Filter = "",
    organization: Filter = "", status: StatusFilter = None, item: ItemFilter = "",
) -> Response:  # fmt: skip
    """The same rows as a CSV (Thai headers, BOM)."""
    found, rows, _ = _scope(services, who, year, province, organization, status, item)
    header, cells = ita.csv_table(found, rows)
    return csv_response(header, cells, filename=f"ita-{found.year}.csv")
