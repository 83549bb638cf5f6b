"""The monitoring report's figures on the web (docs/domain.md "The report's figures"):
`/plans/{id}/progress/figures?as_of=วว/ดด/ปปปป`, beside the progress pages, for anyone who
may see the plan. The as-of date is typed in B.E. (blank: today, or the fiscal year's last
day once it is over); a refused date comes back beside its field with what was typed kept
(status 422). Links give the same figures as PDF and .xlsx (the API's route)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse

from api.routing import Routes
from api.web.render import WebRoute, WebServices, Who, render
from models.clock import today_bangkok
from models.db import read_session
from workflow import input_rules as rules
from workflow.as_of_rules import fiscal_year_bounds
from workflow.errors import ValidationFailed
from workflow.progress_rules import STATUS_LABELS
from workflow.report_data import visible_figures
from workflow.report_values import STATUSES, shown

router = Routes(route_class=WebRoute, include_in_schema=False)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _plan_year(services: Any, plan_id: int) -> int | None:
    from models import store

    with read_session(services.engine) as db:
        plan = store.PLANS.row(db.connection(), plan_id)
    return None if plan is None else plan.fiscal_year_be


def _default_day(fiscal_year_be: int | None, today: date) -> date:
    if fiscal_year_be is None:
        return today
    _, last = fiscal_year_bounds(fiscal_year_be)
    return min(today, last)


@router.get("/plans/{plan_id:int}/progress/figures", response_class=HTMLResponse)
def figures_page(
    request: Request,
    plan_id: PlanId,
    who: Who,
    services: WebServices,
    as_of: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    today = today_bangkok(services.clock)
    typed = (as_of or "").strip()
    problem: str | None = None
    found: Any = None
    heading: Any = None
    day: date | None = None
    try:
        day = (
            rules.typed_date(typed, field="as_of")
            if typed
            else _default_day(_plan_year(services, plan_id), today)
        )
        with read_session(services.engine) as db:
            found, heading = visible_figures(
                db, plan_id=plan_id, actor=who.actor, as_of=day, today=today
            )
    except ValidationFailed as refused:
        problem = " ".join(r.th for r in refused.reasons)
        found = heading = day = None
    return render(
        request,
        "report_figures.html",
        who=who,
        status=422 if problem else 200,
        plan_id=plan_id,
        typed=typed,
        problem=problem,
        day=day,
        f=found,
        heading=heading,
        statuses=[STATUS_LABELS[s][0] for s in STATUSES],
        labels={s.value: STATUS_LABELS[s][0] for s in STATUSES},
        shown=shown,
        money=lambda v: f"{v:,.2f}",
    )
