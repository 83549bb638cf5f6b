"""Pages of staff, committee and executive: dashboard, plan page, action and extension forms,
the create-plan form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api import auth
from api.deps import Services
from api.web import forms
from api.web.pages_documents import default_places, office_of, signer_of_form
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.clock import today_bangkok
from models.db import read_session
from models.enums import Action, DeadlineKind, Role, TriggerKind
from models.store import PlanWithClocks
from workflow import input_rules as rules
from workflow import scoped_reads
from workflow.calendar import fiscal_year_be
from workflow.commands import create_plan, extend_deadline, perform
from workflow.errors import DomainError
from workflow.table import TRIGGERS, creatable_kinds

T = TypeVar("T")
router = APIRouter(route_class=WebRoute, include_in_schema=False)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
FiscalYearQuery = Annotated[
    int | None, Query(ge=rules.FISCAL_YEAR_MIN_BE, le=rules.FISCAL_YEAR_MAX_BE)
]
SEES_REFUSED = (Role.EXECUTIVE, Role.AUDITOR)


@router.get("/", response_class=HTMLResponse)
def home() -> Response:
    return RedirectResponse("/dashboard", 303)


def _all_plans(
    services: Services, who: auth.Principal, year: int | None
) -> list[forms.DashboardRow]:
    with read_session(services.engine) as db:
        details = scoped_reads.list_plan_details(
            db, who.actor, fiscal_year_be=year, policy=services.ctx.policy, clock=services.clock
        )
        calendar = services.ctx.calendar_for(db)
    today = today_bangkok(services.clock)
    rows = []
    for detail in details:
        lines = forms.deadline_lines(detail, today=today, calendar=calendar)
        rows.append(
            forms.DashboardRow(
                detail.plan, detail.organization, forms.next_deadline(lines), detail.actions
            )
        )
    return rows


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
    form: forms.FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    with read_session(services.engine) as db:
        detail = scoped_reads.get_plan_detail(
            db, who.actor, plan_id, policy=services.ctx.policy, clock=services.clock
        )
        history = scoped_reads.get_plan_history(db, who.actor, plan_id)
        calendar = services.ctx.calendar_for(db)
        lines = forms.deadline_lines(detail, today=today_bangkok(services.clock), calendar=calendar)
        office = office_of(db, detail.organization)
    places = "\n".join(default_places(office, services.settings.public_url))
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
        office=office,
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


def _action(
    services: Services,
    who: auth.Principal,
    plan_id: int,
    action: Action,
    form: forms.FormState,
    request_id: str,
) -> Callable[[Session], object] | None:
    """The action form as a command; None with the problems noted on the form."""
    values = form.values
    effective_on = forms.parse_date(form, "effective_on")
    version = forms.parse_int(form, "expected_version", low=0, high=2**31 - 1)
    if form.errors or effective_on is None or version is None:
        return None
    places = tuple(p.strip() for p in values.get("places", "").splitlines() if p.strip())
    comment = values.get("comment", "").strip() or None
    signer = signer_of_form(values) if action is Action.ANNOUNCE else None
    return lambda s: perform(
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
        signer=signer,
    )


async def _run_form(
    services: Services,
    form: forms.FormState,
    command: Callable[[Session], T] | None,
    *,
    not_found_is_404: bool = True,
) -> tuple[T | None, forms.FormState | None]:
    """Run the form's command (`services.run`, as the JSON API does): what it returned, or
    the form with the problems beside its fields (a plan the person may not see stays a 404;
    an organization not found, on the create form, is shown beside the form)."""
    if command is None:
        return None, form
    try:
        return await services.run(command), None
    except DomainError as error:
        if error.code in ("not_found", "too_many_attempts") and not_found_is_404:
            raise  # the 404 page, or the 429 page past the limit on plans not found
        return None, forms.refused_form(form.name, form.values, error)


def _after(
    request: Request,
    services: Services,
    who: auth.Principal,
    plan_id: int,
    form: forms.FormState | None,
) -> Response:
    """Back to the plan after a success; the same page with the errors otherwise."""
    if form is None:
        return RedirectResponse(f"/plans/{plan_id}?saved=1", 303)
    return _plan_page(request, services, who, plan_id, form=form, status=422)


@router.post("/plans/{plan_id:int}/actions/{action}", response_class=HTMLResponse)
async def act(
    request: Request, plan_id: PlanId, action: Action, who: Who, services: WebServices
) -> Response:
    form = forms.FormState(f"action-{action.value}", await form_of(request))
    command = _action(services, who, plan_id, action, form, request.state.request_id)
    _, refused = await _run_form(services, form, command)
    return await run_in_threadpool(_after, request, services, who, plan_id, refused)


def _extension(
    services: Services,
    who: auth.Principal,
    plan_id: int,
    kind: DeadlineKind,
    form: forms.FormState,
    request_id: str,
) -> Callable[[Session], object] | None:
    """The extension form as a command; None with the problems noted on the form."""
    new_due_on = forms.parse_date(form, "new_due_on")
    effective_on = forms.parse_date(form, "effective_on")
    version = forms.parse_int(form, "expected_version", low=0, high=2**31 - 1)
    reason_text = form.values.get("comment", "")  # the input rules run in the command
    if form.errors or new_due_on is None or version is None:
        return None
    return lambda s: extend_deadline(
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
    )


@router.post("/plans/{plan_id:int}/deadlines/{kind}/extend", response_class=HTMLResponse)
async def extend(
    request: Request, plan_id: PlanId, kind: DeadlineKind, who: Who, services: WebServices
) -> Response:
    form = forms.FormState(f"extend-{kind.value}", await form_of(request))
    command = _extension(services, who, plan_id, kind, form, request.state.request_id)
    _, refused = await _run_form(services, form, command)
    return await run_in_threadpool(_after, request, services, who, plan_id, refused)


def _new_plan_page(
    request: Request,
    services: Services,
    who: auth.Principal,
    form: forms.FormState | None,
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


def _creation(
    services: Services, who: auth.Principal, form: forms.FormState, request_id: str
) -> Callable[[Session], PlanWithClocks] | None:
    """The create-plan form as a command; None with the problems noted on the form."""
    new = forms.parse_new_plan(form, organization_id=who.actor.organization_id or 0)
    effective_on = forms.parse_date(form, "effective_on", required=False)
    if new is None or form.errors:
        return None
    comment = form.values.get("comment", "").strip() or None
    return lambda s: create_plan(
        s,
        services.ctx,
        new=new,
        actor=who.actor,
        effective_on=effective_on,
        comment=comment,
        request_id=request_id,
    )


@router.post("/plans/new", response_class=HTMLResponse)
async def create(request: Request, who: Who, services: WebServices) -> Response:
    form = forms.FormState("create", await form_of(request))
    command = _creation(services, who, form, request.state.request_id)
    plan, refused = await _run_form(services, form, command, not_found_is_404=False)
    if plan is not None:
        return RedirectResponse(f"/plans/{plan.id}?saved=1", 303)
    return await run_in_threadpool(_new_plan_page, request, services, who, refused, 422)
