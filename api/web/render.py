"""Rendering: the Jinja2 environment, the page context every template gets, the route class
that turns domain errors into Thai error pages, and the signed-in caller dependency."""

from __future__ import annotations

from collections.abc import Callable, Collection, Coroutine
from contextvars import ContextVar
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from sqlmodel import Session

from api import auth
from api.deps import Services, get_services
from api.web import i18n, session
from models.clock import today_bangkok
from models.db import read_session
from models.enums import Role
from models.roles import ORG_ROLES
from models.thai_dates import format_be_numeric
from notifications import inbox
from workflow.calendar import format_thai_date_long
from workflow.errors import DomainError, Forbidden, NotFound, reason
from workflow.table import CLOCKS, STATE_LABELS, creatable_by

if TYPE_CHECKING:
    from jinja2 import Environment, Template

HERE = Path(__file__).parent
# The roles whose header links the organization's monitoring reports (api/web/pages_reports.py)
REPORT_READERS = frozenset({Role.STAFF, Role.COMMITTEE, Role.MONITORING_COMMITTEE, Role.EXECUTIVE})


@cache
def templates() -> Environment:
    """The template environment, made on the first page (Jinja2 is not imported before, so
    `serve` answers /healthz sooner); templates load and compile on first use as before."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(MACRO_HELPERS)
    return environment


# The page being rendered: its language and its day (`rendered`), for the macros of
# _macros.html. They are imported without the page's context, so Jinja2 builds that module
# once, not once a page, and it holds nothing of any page; what they need of the page they
# read from here.
_PAGE: ContextVar[tuple[i18n.Lang, date]] = ContextVar("localplan_page")
MACRO_HELPERS: dict[str, Any] = {
    "t": lambda key, **values: i18n.label(key, _PAGE.get()[0], **values),
    "pick": lambda pair: i18n.pick(pair, _PAGE.get()[0]),
    "at": lambda instant: i18n.show_instant(instant, _PAGE.get()[0]),
    "dnum": format_be_numeric,
    "page_today": lambda: _PAGE.get()[1],
}


def rendered(template: Template, values: dict[str, Any]) -> str:
    """`template.render(values)` (`values` hold the page's "lang" and "today", as `_context`
    gives them), then its context emptied. A template's macros hold the
    context they render in, and the context holds them: a cycle that only the garbage
    collector frees, and with it everything the page was given (its plans, organizations,
    rows). Emptied, the cycle holds none of that, and the page's data is freed as the request
    ends instead of piling up until the next collection, which then took 10–40 ms to free
    about 20,000 objects (docs/benchmarks.md "Speed, eighth round: the pages")."""
    context = template.new_context(values)
    page = _PAGE.set((values["lang"], values["today"]))
    try:
        return template.environment.concat(template.root_render_func(context))
    except Exception:
        template.environment.handle_exception()  # raises, with the template's own lines
    finally:
        _PAGE.reset(page)
        context.vars.clear()
        context.parent.clear()


class SignInRequired(Exception):
    """The page needs a signed-in person: redirect to the sign-in page."""


def lang_of(request: Request) -> i18n.Lang:
    return "en" if request.cookies.get(i18n.LANG_COOKIE) == "en" else "th"


def nav_for(roles: Collection[Role]) -> list[tuple[str, str]]:
    """(href, label key) of the header links the roles a person is in now see together."""
    links = [("/dashboard", "dashboard"), ("/alerts", "alerts")]
    if creatable_by(roles):
        links.append(("/plans/new", "new_plan"))
    if REPORT_READERS & set(roles):
        links.append(("/reports", "reports"))
    if Role.AUDITOR in roles:
        links.append(("/audit/reports", "audit_reports"))
        links += [("/audit/history", "history"), ("/audit/compliance", "compliance")]
        links.append(("/audit/compliance/years", "compliance_years"))
        links.append(("/audit/ita", "ita"))
        links.append(("/audit/verify", "verify"))
    if set(roles) & set(ORG_ROLES):
        links.append(("/ita", "ita"))
    if Role.ADMIN in roles:
        links += [("/admin/users", "users"), ("/admin/organizations", "organizations")]
        links += [("/admin/holidays", "holidays"), ("/admin/outbox", "outbox")]
    links.append(("/notices", "notices"))
    return links


def unread_of(db: Session, who: auth.Principal | None) -> int:
    """The caller's unread alerts (the header's badge), in a read session the page opened."""
    if who is None or who.user.id is None:
        return 0
    return inbox.count_unread(db, user_id=who.user.id)


def _context(
    request: Request, who: auth.Principal | None, unread: int | None = None
) -> dict[str, Any]:
    """What every template may use: the language and its helpers, the caller, the CSRF token.
    `unread`: the badge's count, if the page read it already (else the sign-in lookup's)."""
    services: Services = request.app.state.services
    lang = lang_of(request)
    if unread is None:
        unread = 0
        if who is not None and who.unread is not None:
            unread = who.unread
        elif who is not None and who.user.id is not None:
            with read_session(services.engine) as db:
                unread = unread_of(db, who)

    def p(table: dict[str, tuple[str, str]], key: object) -> str:
        pair = table.get(str(key))
        return i18n.pick(pair, lang) if pair else str(key)

    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return {
        "request": request,
        "lang": lang,
        "who": who,
        "unread": unread,
        "nav": nav_for(who.actor.roles_now) if who else [],
        "csrf": session.csrf_token(request),
        "csrf_field": session.CSRF_FIELD,
        "today": today_bangkok(services.clock),
        "here": quote(here, safe=""),
        "path": request.url.path,
        "t": lambda key, **values: i18n.label(key, lang, **values),
        "d": lambda day: i18n.show_date(day, lang),
        "dlong": lambda day: format_thai_date_long(day) if day else "-",
        "dnum": format_be_numeric,
        "at": lambda instant: i18n.show_instant(instant, lang),
        "p": p,
        "pick": lambda pair: i18n.pick(pair, lang),
        "roles": i18n.ROLE_LABELS,
        "kinds": i18n.KIND_LABELS,
        "triggers": i18n.TRIGGER_LABELS,
        "actions": i18n.ACTION_LABELS,
        "states": {k.value: v for k, v in STATE_LABELS.items()},
        "clocks": {k.value: (c.label_th, c.label_en) for k, c in CLOCKS.items()},
    }


def render(
    request: Request,
    template: str,
    *,
    who: auth.Principal | None = None,
    status: int = 200,
    unread: int | None = None,
    **context: Any,
) -> HTMLResponse:
    page = templates().get_template(template)
    html = rendered(page, {**_context(request, who, unread), **context})
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    session.remember_presession(request, response)
    return response


def error_page(request: Request, status: int, title: str, messages: list[str]) -> HTMLResponse:
    services: Services = request.app.state.services
    who = session.current(request, services)
    return render(request, "error.html", who=who, status=status, title=title, messages=messages)


def _domain_error_page(request: Request, error: DomainError) -> HTMLResponse:
    lang = lang_of(request)
    texts = [i18n.pick((r.th, r.en), lang) for r in error.reasons]
    if isinstance(error, NotFound):
        return error_page(request, 404, i18n.label("not_found", lang), texts)
    if isinstance(error, Forbidden):
        return error_page(request, 403, i18n.label("forbidden", lang), texts)
    if isinstance(error, auth.TooManyAttempts):
        page = error_page(request, 429, i18n.label("bad_request", lang), texts)
        page.headers["Retry-After"] = str(error.retry_after)  # the time actually left
        return page
    return error_page(request, 409, i18n.label("bad_request", lang), texts)


class WebRoute(APIRoute):
    """A page route: domain errors become Thai error pages (a plan outside the caller's scope
    is the 404 page), a missing session redirects to sign-in, bad query strings are 400."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/signin?next={quote(target, safe='')}", 303)
            except DomainError as error:
                return _domain_error_page(request, error)
            except RequestValidationError as error:
                lang = lang_of(request)
                messages = [
                    f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
                    for e in error.errors()
                ]
                return error_page(request, 400, i18n.label("bad_request", lang), messages)

        return page


def signed_in(
    request: Request, services: Annotated[Services, Depends(get_services)]
) -> auth.Principal:
    who = session.current(request, services)
    if who is None:
        raise SignInRequired
    return who


Who = Annotated[auth.Principal, Depends(signed_in)]
WebServices = Annotated[Services, Depends(get_services)]


async def form_of(request: Request) -> dict[str, str]:
    """The submitted form as strings; refuses a post without the right CSRF token (403)."""
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    if not session.csrf_valid(request, values.get(session.CSRF_FIELD, "")):
        raise csrf_refused()
    return values


def csrf_refused() -> Forbidden:
    th, en = i18n.LABELS["csrf_refused"]
    return Forbidden([reason("csrf_refused", th, en)])
