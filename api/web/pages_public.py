"""Sign-in, sign-out, the language switch, the public notice board and the log's signed
checkpoints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api import auth
from api.deps import Services
from api.keys import process_signer, published_keys
from api.routing import Routes
from api.web import i18n, session
from api.web.render import WebRoute, WebServices, form_of, lang_of, render
from models.clock import BANGKOK
from models.db import read_session
from models.thai_dates import format_english_date, format_thai_date
from workflow import input_rules as rules
from workflow import log, public_board
from workflow.account_admin import IssuedToken
from workflow.errors import DomainError
from workflow.input_rules import InvalidInput

router = Routes(route_class=WebRoute, include_in_schema=False)
NextPath = Annotated[str, Query(max_length=500)]


def safe_next(target: str) -> str:
    """Only a local path: never an absolute URL (an open redirect)."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/dashboard"
    return target


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, next: NextPath = "/dashboard") -> HTMLResponse:
    return render(request, "signin.html", next=safe_next(next), error=None, username="")


def _sign_in(services: Services, values: dict[str, str], address: str) -> IssuedToken:
    username = rules.free_text(
        values.get("username", ""), field="username", max_length=rules.USERNAME_MAX
    )  # no NUL or control character reaches the database
    return session.sign_in(
        services,
        username=username or "",
        password=values.get("password", "")[:1024],
        address=address,
    )


@router.post("/signin", response_class=HTMLResponse)
async def signin(request: Request, services: WebServices) -> Response:
    values = await form_of(request)
    target = safe_next(values.get("next", "/dashboard"))
    address = request.client.host if request.client else "unknown"
    try:
        issued = await run_in_threadpool(_sign_in, services, values, address)
    except DomainError as error:
        lang = lang_of(request)
        message = "; ".join(i18n.pick((r.th, r.en), lang) for r in error.reasons)
        status = 429 if isinstance(error, auth.TooManyAttempts) else 401
        status = 422 if isinstance(error, InvalidInput) else status
        page = render(
            request,
            "signin.html",
            status=status,
            next=target,
            error=message,
            username=values.get("username", ""),
        )
        if isinstance(error, auth.TooManyAttempts):
            page.headers["Retry-After"] = str(error.retry_after)  # the time actually left
        return page
    response = RedirectResponse(target, 303)
    session.set_session_cookie(request, response, issued, services)
    return response


@router.post("/signout", response_class=HTMLResponse)
async def signout(request: Request, services: WebServices) -> Response:
    await form_of(request)
    response = RedirectResponse("/signin", 303)
    await run_in_threadpool(session.sign_out, request, response, services.engine, services)
    return response


@router.post("/session/role", response_class=HTMLResponse)
async def switch_role(request: Request) -> Response:
    """The header's role switcher: the role to act in, kept beside the session (a cookie;
    empty: none chosen, each action's table rule decides)."""
    values = await form_of(request)
    role = values.get("role", "")
    response = RedirectResponse(safe_next(values.get("next", "/dashboard")), 303)
    if role and len(role) <= 32 and role.isascii() and role.replace("_", "").isalpha():
        response.set_cookie(session.ROLE_COOKIE, role, httponly=True, samesite="lax", path="/",
                            secure=session.is_https(request))  # fmt: skip
    else:
        response.delete_cookie(session.ROLE_COOKIE, path="/")
    return response


@router.get("/lang/{code}", response_class=HTMLResponse)
def switch_language(
    request: Request, code: Annotated[str, Path(pattern="^(th|en)$")], next: NextPath = "/"
) -> Response:
    response = RedirectResponse(safe_next(next), 303)
    response.set_cookie(
        i18n.LANG_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        samesite="lax",
        path="/",
        secure=session.is_https(request),
    )
    return response


@router.get("/notices", response_class=HTMLResponse)
def notices(
    request: Request,
    services: WebServices,
    organization: Annotated[str, Query(max_length=rules.FILTER_MAX)] = "",
    province: Annotated[str, Query(max_length=rules.FILTER_MAX)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The public board, a page of organizations at a time (workflow/public_board.py), searched
    by organization (code or part of the name) and province as a citizen types them."""
    who = session.current(request, services)
    errors: dict[str, str] = {}
    text = _search_text(organization, "organization", errors)
    where = _search_text(province, "province", errors)
    board = public_board.BoardPage([], page, more=False)
    if not errors:
        with read_session(services.engine) as db:
            board = public_board.notice_board(
                db,
                organization_text=text,
                province=rules.province_search(where) if where else None,
                page=page,
            )
    query = {k: v for k, v in (("organization", organization), ("province", province)) if v}
    return render(
        request,
        "notices.html",
        who=who,
        status=422 if errors else 200,
        board=board,
        errors=errors,
        organization=organization,
        province=province,
        searched=bool(query),
        next_query=urlencode(query | {"page": board.page + 1}) if board.more else None,
        previous_query=urlencode(query | {"page": board.page - 1}) if board.page > 1 else None,
    )


def _search_text(raw: str, field: str, errors: dict[str, str]) -> str | None:
    """A search field as typed, spaces folded; the input rule's reason (Thai / English)
    under the field if it refuses it (a control character)."""
    try:
        value = rules.optional_text(raw, field=field, max_length=rules.FILTER_MAX)
    except InvalidInput as refused:
        errors[field] = " / ".join((refused.reasons[0].th, refused.reasons[0].en))
        return None
    return " ".join((value or "").split()) or None


@router.get("/notices/{plan_id:int}", response_class=HTMLResponse)
def notice(
    request: Request, plan_id: Annotated[int, Path(ge=1, le=2**31 - 1)], services: WebServices
) -> HTMLResponse:
    """The ประกาศ as a page to read on a phone or print on A4 (the PDF's words)."""
    from api.web.pages_documents import notice_page

    shown, hashes = notice_page(services, plan_id)
    return render(request, "notice_print.html", n=shown, plan_id=plan_id, hashes=hashes)


# --- the log's signed checkpoints (docs/integrity.md) ---------------------------------------

SHOWN_CHECKPOINTS = 100  # the newest on the page; GET /api/v1/checkpoints has them all


def local_time(at: datetime, lang: i18n.Lang) -> str:
    """'1 ธ.ค. 2569 เวลา 14:06 น.': the Buddhist-Era date and the time in Bangkok."""
    local = at.astimezone(BANGKOK)
    if lang == "en":
        return f"{format_english_date(local.date())}, {local:%H:%M} (Bangkok)"
    return f"{format_thai_date(local.date())} เวลา {local:%H:%M} น."


@dataclass(frozen=True)
class CheckpointView:
    size: int
    signed_at: str
    key_name: str
    key_id: str
    root: str
    note: str


@router.get("/checkpoints", response_class=HTMLResponse)
def checkpoints_page(request: Request, services: WebServices) -> HTMLResponse:
    """Public: the signed checkpoints, newest first, the public keys and how to check them."""
    who = session.current(request, services)
    lang = lang_of(request)
    with read_session(services.engine) as db:
        points = log.checkpoints(db)
        size = log.log_size(db)
    shown = [
        CheckpointView(p.size, local_time(p.signed_at, lang), p.key_name, p.key_id, p.root, p.note)
        for p in reversed(points[-SHOWN_CHECKPOINTS:])
    ]
    signer = process_signer(services.settings.signing_key_file)
    keys: list[dict[str, Any]] = published_keys(signer, services.settings.verifier_keys)
    return render(
        request,
        "checkpoints.html",
        who=who,
        points=shown,
        total=len(points),
        log_size=size,
        keys=keys,
    )
