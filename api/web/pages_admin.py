"""Admin pages: users and roles (list, add), the holiday overlay (preview, then confirm)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool

from api import auth
from api.deps import Services
from api.web import forms
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.db import read_session
from models.enums import OverlayKind, Role
from models.organization import Organization
from workflow import account_admin, uow
from workflow.accounts import list_users
from workflow.errors import DomainError
from workflow.overlay import (
    OverlayEntry,
    change_overlay,
    clean_entry,
    list_overlay,
    preview_overlay_change,
)

router = APIRouter(prefix="/admin", route_class=WebRoute, include_in_schema=False)
ASSIGNABLE = (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN)


def _users_page(
    request: Request,
    services: Services,
    who: auth.Principal,
    form: forms.FormState | None,
    status: int = 200,
) -> HTMLResponse:
    account_admin.require_admin(who.actor)
    with read_session(services.engine) as db:
        users = list_users(db)
        orgs = list(db.exec(select(Organization).order_by(col(Organization.code))))
    return render(
        request,
        "admin_users.html",
        who=who,
        status=status,
        users=users,
        orgs=orgs,
        form=form,
        assignable=ASSIGNABLE,
    )


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, who: Who, services: WebServices) -> HTMLResponse:
    return _users_page(request, services, who, None)


def _add_user(
    services: Services, who: auth.Principal, values: dict[str, str]
) -> forms.FormState | None:
    form = forms.FormState("add-user", values)
    try:
        role = Role(values.get("role", ""))
    except ValueError:
        form.add("role", "ต้องเลือกบทบาท", "choose a role")
        return form
    # the input rules run in create_user; their reasons come back beside the fields
    new = account_admin.NewUser(
        username=values.get("username", ""),
        role=role,
        full_name=values.get("full_name", ""),
        organization_code=values.get("organization_code", "").strip() or None,
        scope_province=values.get("scope_province", "").strip() or None,
        password=values.get("password") or None,
    )
    try:
        uow.run(
            services.engine,
            services.clock,
            lambda s: account_admin.create_user(s, actor=who.actor, clock=services.clock, new=new),
        )
    except DomainError as error:
        if error.code == "forbidden":
            raise
        state = forms.refused_form(form.name, values, error)
        for r in error.reasons:
            if r.code.startswith("password"):
                state.errors.setdefault("password", []).append((r.th, r.en))
        return state
    return None


@router.post("/users", response_class=HTMLResponse)
async def add_user(request: Request, who: Who, services: WebServices) -> Response:
    values = await form_of(request)
    form = await run_in_threadpool(_add_user, services, who, values)
    if form is None:
        return RedirectResponse("/admin/users", 303)
    return await run_in_threadpool(_users_page, request, services, who, form, 422)


def _entry(values: dict[str, str]) -> tuple[OverlayEntry | None, forms.FormState]:
    form = forms.FormState("holiday", values)
    day = forms.parse_date(form, "day")
    raw = values.get("change", "")
    kind = None if raw == "clear" else OverlayKind(raw) if raw in ("add", "remove") else None
    if raw not in ("add", "remove", "clear"):
        form.add("change", "ต้องเลือกการเปลี่ยนแปลง", "choose a change")
    if form.errors or day is None:
        return None, form
    name, source = values.get("name", ""), values.get("source", "")
    # the input rules of the command, here too: the preview shows nothing a save would refuse
    entry = forms.ruled(form, lambda: clean_entry(OverlayEntry(day, kind, name, source)))
    return entry, form


def _holidays_page(
    request: Request,
    services: Services,
    who: auth.Principal,
    *,
    form: forms.FormState | None = None,
    preview: object = None,
    status: int = 200,
) -> HTMLResponse:
    account_admin.require_admin(who.actor)
    with read_session(services.engine) as db:
        overlay = list_overlay(db)
    return render(
        request,
        "admin_holidays.html",
        who=who,
        status=status,
        overlay=overlay,
        form=form,
        preview=preview,
    )


@router.get("/holidays", response_class=HTMLResponse)
def holidays(request: Request, who: Who, services: WebServices) -> HTMLResponse:
    return _holidays_page(request, services, who)


def _preview(
    request: Request, services: Services, who: auth.Principal, values: dict[str, str]
) -> HTMLResponse:
    account_admin.require_admin(who.actor)
    entry, form = _entry(values)
    if entry is None:
        return _holidays_page(request, services, who, form=form, status=422)
    with read_session(services.engine) as db:
        moved = preview_overlay_change(db, entry=entry, policy=services.ctx.policy)
    return _holidays_page(request, services, who, form=form, preview=(entry, moved))


@router.post("/holidays/preview", response_class=HTMLResponse)
async def preview(request: Request, who: Who, services: WebServices) -> Response:
    values = await form_of(request)
    return await run_in_threadpool(_preview, request, services, who, values)


def _apply(
    services: Services, who: auth.Principal, values: dict[str, str]
) -> forms.FormState | None:
    entry, form = _entry(values)
    if entry is None:
        return form
    try:
        uow.run(
            services.engine,
            services.clock,
            lambda s: change_overlay(
                s, entry=entry, actor=who.actor, clock=services.clock, policy=services.ctx.policy
            ),
        )
    except DomainError as error:
        if error.code == "forbidden":
            raise
        return forms.refused_form("holiday", values, error)
    return None


@router.post("/holidays", response_class=HTMLResponse)
async def apply(request: Request, who: Who, services: WebServices) -> Response:
    values = await form_of(request)
    form = await run_in_threadpool(_apply, services, who, values)
    if form is None:
        return RedirectResponse("/admin/holidays", 303)
    return await run_in_threadpool(
        lambda: _holidays_page(request, services, who, form=form, status=422)
    )
