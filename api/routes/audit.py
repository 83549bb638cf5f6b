"""Auditors: transitions across their scope (JSON pages or CSV), compliance, integrity."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from fastapi.responses import Response

from api.csv_export import csv_response
from api.deps import CurrentPrincipal, ServicesDep
from api.routes.common import problems
from api.routing import Routes
from api.schemas.audit import (
    CSV_COLUMNS,
    ComplianceRead,
    ComplianceReport,
    ComplianceYearsReport,
    TransitionPage,
    TransitionRead,
    VerifyRead,
)
from api.schemas.common import (
    Cursor,
    FiscalYear,
    Instant,
    LegalDate,
    OrgCodeFilter,
    PageSize,
    UsernameFilter,
    decode_cursor,
    encode_cursor,
)
from api.schemas.rules import Province, StrictFlag
from models.db import read_session
from models.enums import Action
from workflow import scoped_reads
from workflow.compliance_years import compliance_years

router = Routes(prefix="/audit", tags=["audit"], responses=problems(401, 403, 422))


@router.get(
    "/transitions",
    response_model=TransitionPage,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def transitions(
    who: CurrentPrincipal,
    services: ServicesDep,
    organization: Annotated[OrgCodeFilter | None, Query(description="code")] = None,
    province: Annotated[Province | None, Query()] = None,
    fiscal_year: Annotated[FiscalYear | None, Query()] = None,
    actor: Annotated[UsernameFilter | None, Query(description="username")] = None,
    action: Action | None = None,
    effective_from: Annotated[LegalDate | None, Query()] = None,
    effective_to: Annotated[LegalDate | None, Query()] = None,
    recorded_from: Annotated[Instant | None, Query()] = None,
    recorded_to: Annotated[Instant | None, Query()] = None,
    cursor: Annotated[Cursor, Query()] = None,
    limit: Annotated[PageSize, Query()] = 50,
    format: Annotated[Literal["json", "csv"], Query(description="csv: every match")] = "json",
) -> TransitionPage | Response:
    """Accepted actions in the caller's scope, oldest first; `format=csv` exports all pages."""
    filters = scoped_reads.TransitionFilters(
        organization_code=organization,
        province=province,
        fiscal_year_be=fiscal_year,
        actor_username=actor,
        action=action,
        effective_from=effective_from,
        effective_to=effective_to,
        recorded_from=recorded_from,
        recorded_to=recorded_to,
        after_id=decode_cursor(cursor),
        limit=limit,
    )
    with read_session(services.engine) as session:
        page = scoped_reads.list_transitions(
            session, who.actor, filters=filters, page=format == "json"
        )
        items = [TransitionRead.of(row) for row in page.items]
    if format == "csv":
        return _csv(items)
    return TransitionPage(items=items, next_cursor=encode_cursor(page.next_after))


def _csv(items: list[TransitionRead]) -> Response:
    return csv_response(
        CSV_COLUMNS, (item.csv_row() for item in items), filename="transitions.csv"
    )


@router.get("/compliance", response_model=ComplianceReport)
def compliance(
    fiscal_year: Annotated[FiscalYear, Query()],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> ComplianceReport:
    """Per plan of a fiscal year: each clock's start, due date, completion and status."""
    with read_session(services.engine) as session:
        rows = scoped_reads.compliance_in_scope(
            session, who.actor, fiscal_year_be=fiscal_year, clock=services.clock
        )
    return ComplianceReport(fiscal_year_be=fiscal_year, plans=[ComplianceRead.of(r) for r in rows])


@router.get("/compliance/years", response_model=ComplianceYearsReport)
def compliance_across_years(
    fiscal_year_from: Annotated[FiscalYear, Query()],
    fiscal_year_to: Annotated[FiscalYear, Query()],
    who: CurrentPrincipal,
    services: ServicesDep,
    plans: Annotated[StrictFlag, Query(description="also list every plan of the range")] = False,
) -> ComplianceYearsReport:
    """Per fiscal year of a range (at most 20; the first not after the last, else 422 naming
    `fiscal_year_to`): how many plans, and per clock how many are on time, late, overdue,
    open or cancelled; then the totals. The same figures as the web page and its CSV."""
    with read_session(services.engine) as session:
        found = compliance_years(
            session, who.actor, first_be=fiscal_year_from, last_be=fiscal_year_to,
            clock=services.clock,
        )
    return ComplianceYearsReport.of(found, with_plans=plans)


@router.get("/verify", response_model=VerifyRead)
def verify(who: CurrentPrincipal, services: ServicesDep) -> VerifyRead:
    """Walk the hash chain of every plan in scope and replay its states."""
    with read_session(services.engine) as session:
        store = services.settings.evidence_store()
        return VerifyRead.of(scoped_reads.verify_in_scope(session, who.actor, store))
