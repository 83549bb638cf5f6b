"""Monitoring reports for citizens as JSON (docs/api.md "Public monitoring reports";
docs/domain.md "Monitoring reports"): no sign-in; a report on the public board only (posted
or its posting complete)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query

from api.deps import ServicesDep
from api.routes.common import problems
from api.routing import Routes
from api.schemas.common import FiscalYear, OrgSearchFilter, ProvinceSearchFilter
from models.db import read_session
from workflow import input_rules as rules
from workflow.public_reports import ReportSearch, list_public_reports, public_report

router = Routes(prefix="/public", tags=["public"], responses=problems(404, 422))
ReportId = Annotated[int, Path(ge=1, le=2**31 - 1, description="a posted report's id")]


def search_of(organization: str | None, province: str | None, fiscal_year_be: int | None,
              page: int) -> ReportSearch:
    """The filters as a citizen types them: spaces folded, "จ." or "จังหวัด" dropped from a
    province (a control character was refused by the schema: 422)."""
    where = " ".join((province or "").split())
    return ReportSearch(
        organization_text=" ".join((organization or "").split()) or None,
        province=rules.province_search(where) if where else None,
        fiscal_year_be=fiscal_year_be,
        page=page,
    )


@router.get("/reports")
def reports(
    services: ServicesDep,
    organization: Annotated[
        OrgSearchFilter | None, Query(description="a code, or part of the name")
    ] = None,
    province: Annotated[ProvinceSearchFilter | None, Query(description="e.g. พิจิตร")] = None,
    fiscal_year_be: Annotated[FiscalYear | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> dict[str, Any]:
    """The monitoring reports on the public board, newest posting first, 20 a page: each with
    its organization, fiscal year, round, state and dates; `next_page` null on the last."""
    search = search_of(organization, province, fiscal_year_be, page)
    with read_session(services.engine) as session:
        found, more = list_public_reports(session, search)
    return {"reports": found, "page": page, "next_page": page + 1 if more else None}


@router.get("/reports/{report_id}")
def report(report_id: ReportId, services: ServicesDep) -> dict[str, Any]:
    """A report on the public board: its organization, year, round and dates, the places it
    is posted at, the committee's findings and recommendations, the figures' summary as of
    the round's end and the SHA-256 and address of its frozen ประกาศ and report PDF; 404
    `not_found` (`report_not_found`) for a report not on the board."""
    with read_session(services.engine) as session:
        return public_report(session, report_id=report_id)
