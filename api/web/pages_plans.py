"""Pages of staff, committee and executive: dashboard, plan page, action and extension forms,
the create-plan form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api import auth
from api.deps import Services
from api.evidence_config import attaching
from api.routing import Routes
from api.web import carried, corrections_view, flash, forms, i18n, pages_content
from api.web.pages_documents import default_places, office_of, signer_of_form
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.clock import today_bangkok
from models.db import read_session
from models.enums import Action, DeadlineKind, PlanKind, PlanState, Role, TriggerKind
from models.store import PlanWithClocks
from workflow import input_rules as rules
from workflow import plan_lists, scoped_reads
from workflow.calendar import fiscal_year_be
from workflow.commands import NewPlan, create_plan, extend_deadline, perform
from workflow.errors import Conflict, DomainError, reason
from workflow.evidence_rules import Requirement
from workflow.plan_twins import likely_twins
from workflow.table import PROGRESS_STATES, TRIGGERS, creatable_by, creatable_kinds

T = TypeVar("T")
router = Routes(route_class=WebRoute, include_in_schema=False)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
SEES_REFUSED = frozenset({Role.EXECUTIVE, Role.AUDITOR})
AMENDABLE = (PlanState.ANNOUNCED, PlanState.POSTED, PlanState.POSTING_COMPLETE)


@router.get("/", response_class=HTMLResponse)
def home() -> Response:
    return RedirectResponse("/dashboard", 303)


def _rows(
    db: Session, services: Services, who: auth.Principal, year: int | None, q: str, page: int
) -> tuple[list[forms.DashboardRow], plan_lists.DetailPage]:
    """A page of the person's plans as dashboard rows (workflow/plan_lists.py)."""
    found = plan_lists.page_of_plan_details(
        db, who.actor, fiscal_year_be=year, title_text=q, page=page,
        policy=services.ctx.policy, clock=services.clock,
    )
    calendar = services.ctx.calendar_for(db)
    today = today_bangkok(services.clock)
    rows = []
    for detail in found.details:
        lines = forms.deadline_lines(detail, today=today, calendar=calendar)
        steps = forms.next_steps(detail.actions, lines, detail.plan.state.value)
        rows.append(
            forms.DashboardRow(
                detail.plan, detail.organization, forms.next_deadline(lines), detail.actions, steps
            )
        )
    return rows, found


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request,
    who: Who,
    services: WebServices,
    fiscal_year_text: Annotated[str, Query(alias="fiscal_year", max_length=4)] = "",
    q: Annotated[str, Query(max_length=rules.FILTER_MAX)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    # a blank field (the form sends fiscal_year= when only the title is searched) is all years
    fiscal_year = rules.fiscal_year(fiscal_year_text) if fiscal_year_text.strip() else None
    rows: list[forms.DashboardRow] = []
    found = None
    if set(who.actor.roles_now) - {Role.ADMIN}:  # by title, a substring, spaces folded
        with read_session(services.engine) as db:  # the badge came with the sign-in lookup
            rows, found = _rows(db, services, who, fiscal_year, q, page)
    years = sorted({r.plan.fiscal_year_be for r in rows}, reverse=True)
    by_year = [(y, [r for r in rows if r.plan.fiscal_year_be == y]) for y in years]
    kept = {k: v for k, v in (("fiscal_year", fiscal_year_text.strip()), ("q", q)) if v}
    more, back = found is not None and found.more, found is not None and found.page > 1
    return render(
        request,
        "dashboard.html",
        who=who,
        by_year=by_year,
        fiscal_year=fiscal_year,
        q=q,
        waiting=i18n.WAITING,
        current_year=fiscal_year_be(today_bangkok(services.clock)),
        total=found.total if found is not None else 0,
        next_query=urlencode(kept | {"page": page + 1}) if more else None,
        previous_query=urlencode(kept | {"page": page - 1}) if back else None,
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
        review = pages_content.review_of(db, who.actor, detail.plan)
        office = office_of(db, detail.organization)
    places = "\n".join(default_places(office, services.settings.public_url))
    steps = forms.next_steps(detail.actions, lines, detail.plan.state.value)
    offered = {f"action-{o.action.value}" for o in steps.now}
    offered |= {f"extend-{x.kind.value}" for x in lines if x.can_extend}
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
        refused=history.refused if set(who.actor.roles_now) & SEES_REFUSED else None,
        form=form,
        steps=steps,
        offered=offered,
        waiting=i18n.WAITING,
        irreversible=i18n.IRREVERSIBLE,
        default_places=places,
        office=office,
        saved=request.query_params.get("saved") is not None,
        progress_states={s.value for s in PROGRESS_STATES},  # docs/domain.md "Progress"
        review=review,
        carries=carried.LABELS,
        evidence_required=services.settings.evidence_policy is Requirement.REQUIRED,
        **corrections_view.timeline_of(history.records, who, detail.plan),
        **pages_content.helpers(),
    )


@router.get("/plans/{plan_id:int}", response_class=HTMLResponse)
def plan_page(
    request: Request,
    plan_id: PlanId,
    who: Who,
    services: WebServices,
    saved: Annotated[str | None, Query(max_length=1)] = None,
) -> HTMLResponse:
    kept = flash.take(request, f"/plans/{plan_id}")
    page = _plan_page(request, services, who, plan_id, form=kept)
    flash.forget(request, page)
    return page


def _action(
    services: Services,
    who: auth.Principal,
    plan_id: int,
    action: Action,
    form: forms.FormState,
    request_id: str,
    files: list[bytes] = [],  # noqa: B006 (never changed)
) -> Callable[[Session], object] | None:
    """The action form as a command, carrying its files (api/web/carried.py); None with the
    problems noted on the form."""
    values, given = form.values, forms.action_form(form, action)
    if given is None:
        return None
    effective_on, version, places, comment = (
        given.effective_on, given.version, given.places, given.comment
    )
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
        evidence=carried.uploads(action, files, places),
        attaching=attaching(services.settings),
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
    """Back to the plan (post/redirect/get): after a success with "saved"; after a refusal
    with the refused form kept for the page (api/web/flash.py), so a refresh never
    resubmits. Where the form cannot travel, the page itself answers 422."""
    where = f"/plans/{plan_id}"
    if form is None:
        return RedirectResponse(f"{where}?saved=1", 303)
    response = RedirectResponse(f"{where}#{form.name}", 303)
    if flash.keep(request, response, form, where):
        return response
    return _plan_page(request, services, who, plan_id, form=form, status=422)


@router.post("/plans/{plan_id:int}/actions/{action}", response_class=HTMLResponse)
async def act(
    request: Request, plan_id: PlanId, action: Action, who: Who, services: WebServices
) -> Response:
    values, files = await carried.form_with_files(request, attaching(services.settings).max_bytes)
    form = forms.FormState(f"action-{action.value}", values)
    command = _action(services, who, plan_id, action, form, request.state.request_id, files)
    _, refused = await _run_form(services, form, command)
    return await run_in_threadpool(_after, request, services, who, plan_id, refused)


def _extension(
    services: Services,
    who: auth.Principal,
    plan_id: int,
    kind: DeadlineKind,
    form: forms.FormState,
    request_id: str,
    files: list[bytes] = [],  # noqa: B006 (never changed)
) -> Callable[[Session], object] | None:
    """The extension form as a command, carrying its letter; None with the problems noted."""
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
        evidence=carried.uploads(Action.EXTEND_DEADLINE, files, ()),
        attaching=attaching(services.settings),
    )


@router.post("/plans/{plan_id:int}/deadlines/{kind}/extend", response_class=HTMLResponse)
async def extend(
    request: Request, plan_id: PlanId, kind: DeadlineKind, who: Who, services: WebServices
) -> Response:
    values, files = await carried.form_with_files(request, attaching(services.settings).max_bytes)
    form = forms.FormState(f"extend-{kind.value}", values)
    command = _extension(services, who, plan_id, kind, form, request.state.request_id, files)
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
    kinds = creatable_by(who.actor.roles_now) or creatable_kinds(Role.STAFF)
    triggers = [t for k in kinds for t in TriggerKind if t in TRIGGERS[k]]
    amendable = []
    if PlanKind.AMENDMENT in kinds:  # the plans in force the person may amend, by title
        with read_session(services.engine) as db:
            details = plan_lists.list_plan_details(
                db, who.actor, fiscal_year_be=None, policy=services.ctx.policy,
                clock=services.clock,
            )
        amendable = [d.plan for d in details if d.plan.state in AMENDABLE]
    return render(
        request,
        "new_plan.html",
        who=who,
        status=status,
        form=form,
        plan_kinds=kinds,
        trigger_kinds=triggers,
        default_year=fiscal_year_be(today),
        amendable=amendable,
    )


@router.get("/plans/new", response_class=HTMLResponse)
def new_plan(request: Request, who: Who, services: WebServices) -> HTMLResponse:
    page = _new_plan_page(request, services, who, flash.take(request, "/plans/new"))
    flash.forget(request, page)
    return page


def _creation(
    services: Services, who: auth.Principal, form: forms.FormState, request_id: str
) -> Callable[[Session], PlanWithClocks] | None:
    """The create-plan form as a command; None with the problems noted on the form."""
    new = forms.parse_new_plan(form, organization_id=who.actor.organization_id or 0)
    effective_on = forms.parse_date(form, "effective_on", required=False)
    if new is None or form.errors:
        return None
    comment = form.values.get("comment", "").strip() or None
    warn = form.values.get("twin_ok") != "yes"
    return lambda s: _create_unless_twin(s, services, who, new, effective_on, comment,
                                         request_id, warn=warn)


def _create_unless_twin(
    s: Session,
    services: Services,
    who: auth.Principal,
    new: NewPlan,
    effective_on: date | None,
    comment: str | None,
    request_id: str,
    *,
    warn: bool,
) -> PlanWithClocks:
    """Create the plan; first warn (a LikelyTwin refusal the form shows with a checkbox)
    if it likely repeats one of the same kind, year and trigger (workflow/plan_twins.py)."""
    twins = likely_twins(s, new) if warn and new.kind is not PlanKind.ANNUAL else []
    if twins:
        titles = ", ".join(f"«{t.title}»" for t in twins[:3])
        raise Conflict([reason(
            "likely_twin",
            f"มีแผนประเภท ปี และเหตุเดียวกันอยู่แล้ว: {titles} หากต้องการสร้างอีกฉบับ "
            "โปรดทำเครื่องหมายยืนยันแล้วกดสร้างอีกครั้ง",
            f"a plan of the same kind, year and trigger exists: {titles}; tick to create another",
        )])
    return create_plan(
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
    response = RedirectResponse("/plans/new", 303)
    if refused is not None and flash.keep(request, response, refused, "/plans/new"):
        return response
    return await run_in_threadpool(_new_plan_page, request, services, who, refused, 422)
