"""The transparency checklist (docs/api.md "Transparency checklist"): one organization's
items for an ITA year, and the auditors' view across their scope (JSON or CSV)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from fastapi.responses import Response

from api.csv_export import csv_response
from api.deps import CurrentPrincipal, ServicesDep
from api.routes.common import problems
from api.routing import Routes
from api.schemas.common import FiscalYear, OrgCodeFilter
from api.schemas.ita import ItaRead, ItaRowRead, ItaScopeRead, ItaYearRead
from api.schemas.rules import Province
from models.clock import today_bangkok
from models.db import read_session
from workflow import ita

router = Routes(prefix="/ita", tags=["ita"], responses=problems(401, 403, 404, 422))
OrganizationId = Annotated[int, Query(ge=1, le=2**31 - 1, description="the organization's id")]
ItemCode = Annotated[str, Query(pattern=r"^[A-Z][0-9]{1,3}$", description="an item code")]


@router.get("", response_model=ItaRead)
def organization_checklist(
    year: Annotated[FiscalYear, Query(description="the ITA year, BE")],
    who: CurrentPrincipal,
    services: ServicesDep,
    organization_id: OrganizationId | None = None,
) -> ItaRead:
    """One organization's items (the caller's own when `organization_id` is left out)."""
    target = organization_id or who.actor.organization_id or 0
    with read_session(services.engine) as session:
        found, row = ita.for_organization(
            session, who.actor, year=year, organization_id=target,
            today=today_bangkok(services.clock),
        )  # fmt: skip
    return ItaRead(assessment=ItaYearRead.of(found), organization=ItaRowRead.of(row))


@router.get(
    "/organizations",
    response_model=ItaScopeRead,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def scope_checklist(
    year: Annotated[FiscalYear, Query(description="the ITA year, BE")],
    who: CurrentPrincipal,
    services: ServicesDep,
    province: Annotated[Province | None, Query()] = None,
    organization: Annotated[OrgCodeFilter | None, Query(description="code or name")] = None,
    status: Annotated[ita.Status | None, Query()] = None,
    item: ItemCode | None = None,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> ItaScopeRead | Response:
    """Auditors: every organization of their scope, one row each; `status` (with `item`)
    keeps the organizations with an item of that status."""
    filters = ita.ScopeFilters(province=province, organization=organization, status=status,
                               item=item)  # fmt: skip
    with read_session(services.engine) as session:
        found, rows = ita.across_scope(
            session, who.actor, year=year, filters=filters, today=today_bangkok(services.clock)
        )
    if format == "csv":
        header, cells = ita.csv_table(found, rows)
        return csv_response(header, cells, filename=f"ita-{year}.csv")
    return ItaScopeRead(
        assessment=ItaYearRead.of(found), organizations=[ItaRowRead.of(r) for r in rows]
    )
