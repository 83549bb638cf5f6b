"""The admin's holiday page (/admin/holidays): the built-in holidays of a year (the
`holidays` package's seed, workflow/calendar.py) beside the office's own overlay, and a
change to the overlay, previewed with the deadlines it moves, then confirmed."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api import auth
from api.deps import Services
from api.routing import Routes
from api.web import admin_kit, forms
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.clock import today_bangkok
from models.db import read_session
from models.enums import OverlayKind
from workflow import account_admin, uow
from workflow.calendar import builtin_holidays
from workflow.errors import DomainError
from workflow.overlay import (
    OverlayEntry,
    change_overlay,
    clean_entry,
    list_overlay,
    preview_overlay_change,
)

router = Routes(prefix="/admin", route_class=WebRoute, include_in_schema=False)
YearBE = Annotated[int | None, Query(ge=2543, le=2742)]


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
    year_be: int | None = None,
    saved: str | None = None,
) -> HTMLResponse:
    account_admin.require_admin(who.actor)
    with read_session(services.engine) as db:
        overlay = list_overlay(db)
    year = (year_be - 543) if year_be else today_bangkok(services.clock).year
    changed = {h.day: h for h in overlay}
    seed = builtin_holidays(year, services.ctx.calendar)
    builtin = [(day, name, changed.get(day)) for day, name in seed]
    return render(
        request,
        "admin_holidays.html",
        who=who,
        status=status,
        overlay=overlay,
        form=form,
        preview=preview,
        year_be=year + 543,
        builtin=builtin,
        saved_note=admin_kit.saved_note(saved),
    )


@router.get("/holidays", response_class=HTMLResponse)
def holidays(
    request: Request,
    who: Who,
    services: WebServices,
    year: YearBE = None,
    saved: admin_kit.Saved = None,
) -> HTMLResponse:
    kept = admin_kit.kept(request, "/admin/holidays")
    page = _holidays_page(request, services, who, form=kept, year_be=year, saved=saved)
    return admin_kit.shown(request, page)


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
    return admin_kit.back(request, "/admin/holidays", form, "holiday_saved")
