"""Public pages of plan content, without sign-in: an announced plan's ผด.01, ผด.02 and
ผด.02/1 (`/notices/{id}/content`) and the plan in force of an organization and year
(`/in-force`), each searchable by text and by หมู่ที่, readable on a phone."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse

from api.routing import Routes
from api.web import content_view as view
from api.web import session
from api.web.pages_content import helpers
from api.web.render import WebRoute, WebServices, render
from models.db import read_session
from models.enums import PlanKind
from workflow import content as store
from workflow import input_rules as rules
from workflow import scoped_reads
from workflow.actors import SYSTEM
from workflow.content_model import Content
from workflow.errors import NotFound, reason
from workflow.in_force import IN_FORCE_STATES, announced_plans, read_in_force
from workflow.summary import summarize

router = Routes(route_class=WebRoute, include_in_schema=False)
Text = Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]
Village = Annotated[str | None, Query(max_length=2, pattern=r"^[0-9]*$")]
OrgCode = Annotated[
    str, Query(min_length=1, max_length=rules.CODE_MAX, pattern=r"^[0-9A-Za-z._-]+$")
]
Year = Annotated[int, Query(ge=rules.FISCAL_YEAR_MIN_BE, le=rules.FISCAL_YEAR_MAX_BE)]


def _shown(content: Content, q: str | None, village: str | None) -> dict[str, Any]:
    """The page's tables for the content, the projects filtered by the search."""
    number = int(village) if village else None
    found = view.search(content, q, number)
    return {
        "content": content,
        "summary": summarize(content),
        "groups": view.grouped(content, found),
        "found": len(found),
        "villages": view.villages(content),
        "q": q or "",
        "village": number,
        "equipment_total": view.equipment_total(content.equipment),
        **helpers(),
    }


@router.get("/notices/{plan_id:int}/content", response_class=HTMLResponse)
def announced_content(
    request: Request,
    plan_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    services: WebServices,
    q: Text = None,
    village: Village = None,
) -> HTMLResponse:
    with read_session(services.engine) as db:
        detail = scoped_reads.get_plan_detail(
            db, SYSTEM, plan_id, policy=services.ctx.policy, clock=services.clock
        )
        if detail.plan.state not in IN_FORCE_STATES:
            raise NotFound([reason("notice_not_found", "ไม่พบประกาศ", "no such notice")])
        frozen = store.read_version(db, plan_id=plan_id, actor=SYSTEM)
        year_plans = announced_plans(
            db,
            organization_id=detail.plan.organization_id,
            fiscal_year_be=detail.plan.fiscal_year_be,
        )
    has_in_force = any(p.kind is PlanKind.ANNUAL for p in year_plans)
    return render(
        request,
        "content_public.html",
        who=session.current(request, services),
        plan=detail.plan,
        org=detail.organization,
        frozen=frozen,
        origins=None,
        has_in_force=has_in_force,
        action=f"/notices/{plan_id}/content",
        **_shown(frozen.content, q, village),
    )


@router.get("/in-force", response_class=HTMLResponse)
def in_force_page(
    request: Request,
    services: WebServices,
    organization: OrgCode,
    fiscal_year: Year,
    q: Text = None,
    village: Village = None,
) -> HTMLResponse:
    with read_session(services.engine) as db:
        org, result = read_in_force(
            db, organization_code=organization, fiscal_year_be=fiscal_year, actor=SYSTEM
        )
    return render(
        request,
        "content_public.html",
        who=session.current(request, services),
        plan=None,
        org=org,
        fiscal_year=fiscal_year,
        result=result,
        origins=result.origins,
        action="/in-force",
        **_shown(result.content, q, village),
    )
