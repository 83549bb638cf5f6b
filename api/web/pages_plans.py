"""Pages of staff, committee and executive: dashboard, plan page, action and extension forms,
the create-plan form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api import auth
from api.deps import Services
from api.web import views
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.clock import today_bangkok
from models.db import read_session
from models.enums import Action, DeadlineKind, Role, TriggerKind
from workflow import audit_queries, uow
from workflow.calendar import fiscal_year_be
from workflow.commands import create_plan, extend_deadline, perform
from workflow.errors import DomainError
from workflow.table import TRIGGERS, creatable_kinds

router = APIRouter(route_class=WebRoute, include_in_schema=False)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
FiscalYearQuery = Annotated[int | None, Query(ge=2500, le=2700)]
SEES_REFUSED = (Role.EXECUTIVE, Role.AUDITOR)
WEBSITE_PLACE = "เว็บไซต์ของหน่วยงาน (ป้ายประกาศออนไลน์ /notices)"


@router.get("/", response_class=HTMLResponse)
def home() -> Response:
    return RedirectResponse("/dashboard", 303)


def _all_plans(
    services: Services, who: auth.Principal, year: int | None
) -> list[views.DashboardRow]:
    rows: list[views.DashboardRow] = []
    after = 0
    with read_session(services.engine) as db:
        calendar = views.calendar_of(db, services.ctx.calendar)
        today = today_bangkok(services.clock)
        while True:
            filters = audit_queries.PlanFilters(fiscal_year_be=year, after_id=after, limit=200)
            page = audit_queries.list_plans(db, who.actor, filters=filters, clock=services.clock)
            for plan, org in page.items:
                detail = audit_queries.get_plan_detail(
                    db, who.actor, plan.id or 0, policy=services.ctx.policy, clock=services.clock
                )
                lines = views.deadline_lines(detail, today=today, calendar=calendar)
                rows.append(
                    views.DashboardRow(plan, org, views.next_deadline(lines), detail.actions)
                )
            if page.next_after is None:
                return rows
            after = page.next_after


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request, who: Who, services: WebServices, fiscal_year: FiscalYearQuery = None
) -> HTMLResponse:
    rows = _all_plans(services, who, fiscal_year) if who.actor.role is not Role.ADMIN else []
    years = sorted({r.plan.fiscal_year_be for r in rows}, reverse=True)
    by_year = [(y, [r for r in rows if r.plan.fiscal_year_be == y]) for y in years]
    return render(
        request,
        "dashboard.html",
        who=who,
        by_year=by_year,
        fiscal_year=fiscal_year,
        current_year=fiscal_year_be(today_bangkok(services.clock)),
    )


def _plan_page(
    request: Request,
    services: Services,
    who: auth.Principal,
    plan_id: int,
    *,
    form: views.FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    with read_session(services.engine) as db:
        detail = audit_queries.get_plan_detail(
            db, who.actor, plan_id, policy=services.ctx.policy, clock=services.clock
        )
        history = audit_queries.get_plan_history(db, who.actor, plan_id)
        calendar = views.calendar_of(db, services.ctx.calendar)
        lines = views.deadline_lines(detail, today=today_bangkok(services.clock), calendar=calendar)
    places = "\n".join([f"ป้ายประกาศ ที่ทำการ{detail.organization.name}", WEBSITE_PLACE])
    return render(
        request,
        "plan.html",
        who=who,
        status=status,
        detail=detail,
        plan=detail.plan,
        org=detail.organization,
        lines=lines,
        records=history.records,
        refused=history.refused if who.actor.role in SEES_REFUSED else None,
        form=form,
        default_places=places,
        saved=request.query_params.get("saved") is not None,
    )


@router.get("/plans/{plan_id:int}", response_class=HTMLResponse)
def plan_page(
    request: Request,
    plan_id: PlanId,
    who: Who,
    services: WebServices,
    saved: Annotated[str | None, Query(max_length=1)] = None,
) -> HTMLResponse:
    return _plan_page(request, services, who, plan_id)


def _act(
    services: Services,
    who: auth.Principal,
    plan_id: int,
    action: Action,
    values: dict[str, str],
    request_id: str,
) -> views.FormState | None:
    form = views.FormState(f"action-{action.value}", values)
    effective_on = views.parse_date(form, "effective_on")
    version = views.parse_int(form, "expected_version", low=0, high=2**31 - 1)
    if form.errors or effective_on is None or version is None:
        return form
    places = tuple(p.strip() for p in values.get("places", "").splitlines() if p.strip())
    comment = values.get("comment", "").strip() or None
    return _run_command(
        services,
        form,
        values,
        lambda s: perform(
            s,
            services.ctx,
            plan_id=plan_id,
            action=action,
            actor=who.actor,
            expected_version=version,
            effective_on=effective_on,
            comment=comment,
            places=places,
            request_id=request_id,
        ),
    )


def _run_command(
    services: Services,
    form: views.FormState,
    values: dict[str, str],
    command: Callable[[Session], object],
) -> views.FormState | None:
    """Run one workflow command; a refusal comes back as the form with the reasons beside
    its fields (a plan the person may not see stays a 404)."""
    try:
        uow.run(services.engine, services.clock, command)
    except DomainError as error:
        if error.code == "not_found":
            raise
        return views.refused_form(form.name, values, error)
    return None


def _after(
    request: Request,
    services: Services,
    who: auth.Principal,
    plan_id: int,
    form: views.FormState | None,
) -> Response:
    """Back to the plan after a success; the same page with the errors otherwise."""
    if form is None:
        return RedirectResponse(f"/plans/{plan_id}?saved=1", 303)
    return _plan_page(request, services, who, plan_id, form=form, status=422)


@router.post("/plans/{plan_id:int}/actions/{action}", response_class=HTMLResponse)
async def act(
    request: Request, plan_id: PlanId, action: Action, who: Who, services: WebServices
) -> Response:
    values = await form_of(request)
    request_id: str = request.state.request_id
    form = await run_in_threadpool(_act, services, who, plan_id, action, values, request_id)
    return await run_in_threadpool(_after, request, services, who, plan_id, form)


def _extend(
    services: Services,
    who: auth.Principal,
    plan_id: int,
    kind: DeadlineKind,
    values: dict[str, str],
    request_id: str,
) -> views.FormState | None:
    form = views.FormState(f"extend-{kind.value}", values)
    new_due_on = views.parse_date(form, "new_due_on")
    effective_on = views.parse_date(form, "effective_on")
    version = views.parse_int(form, "expected_version", low=0, high=2**31 - 1)
    reason_text = values.get("comment", "").strip()
    if not reason_text:
        form.add("comment", "ต้องระบุเหตุผล", "a reason is required")
    if form.errors or new_due_on is None or version is None:
        return form
    return _run_command(
        services,
        form,
        values,
        lambda s: extend_deadline(
            s,
            services.ctx,
            plan_id=plan_id,
            kind=kind,
            actor=who.actor,
            expected_version=version,
            new_due_on=new_due_on,
            reason_text=reason_text,
            effective_on=effective_on,
            request_id=request_id,
        ),
    )


@router.post("/plans/{plan_id:int}/deadlines/{kind}/extend", response_class=HTMLResponse)
async def extend(
    request: Request, plan_id: PlanId, kind: DeadlineKind, who: Who, services: WebServices
) -> Response:
    values = await form_of(request)
    request_id: str = request.state.request_id
    form = await run_in_threadpool(_extend, services, who, plan_id, kind, values, request_id)
    return await run_in_threadpool(_after, request, services, who, plan_id, form)


def _new_plan_page(
    request: Request,
    services: Services,
    who: auth.Principal,
    form: views.FormState | None,
    status: int = 200,
) -> HTMLResponse:
    today = today_bangkok(services.clock)
    # a role that may create nothing sees the staff's form (the command refuses it)
    kinds = creatable_kinds(who.actor.role) or creatable_kinds(Role.STAFF)
    triggers = [t for k in kinds for t in TriggerKind if t in TRIGGERS[k]]
    return render(
        request,
        "new_plan.html",
        who=who,
        status=status,
        form=form,
        plan_kinds=kinds,
        trigger_kinds=triggers,
        default_year=fiscal_year_be(today),
    )


@router.get("/plans/new", response_class=HTMLResponse)
def new_plan(request: Request, who: Who, services: WebServices) -> HTMLResponse:
    return _new_plan_page(request, services, who, None)


def _create(
    services: Services, who: auth.Principal, values: dict[str, str], request_id: str
) -> tuple[int | None, views.FormState]:
    form = views.FormState("create", values)
    new = views.parse_new_plan(form, organization_id=who.actor.organization_id or 0)
    effective_on = views.parse_date(form, "effective_on", required=False)
    if new is None or form.errors:
        return None, form
    try:
        plan = uow.run(
            services.engine,
            services.clock,
            lambda s: create_plan(
                s,
                services.ctx,
                new=new,
                actor=who.actor,
                effective_on=effective_on,
                comment=values.get("comment", "").strip() or None,
                request_id=request_id,
            ),
        )
    except DomainError as error:
        return None, views.refused_form("create", values, error)
    return plan.id, form


@router.post("/plans/new", response_class=HTMLResponse)
async def create(request: Request, who: Who, services: WebServices) -> Response:
    values = await form_of(request)
    request_id: str = request.state.request_id
    plan_id, form = await run_in_threadpool(_create, services, who, values, request_id)
    if plan_id is not None:
        return RedirectResponse(f"/plans/{plan_id}?saved=1", 303)
    return await run_in_threadpool(_new_plan_page, request, services, who, form, 422)
