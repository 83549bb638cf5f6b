"""One table from domain errors to HTTP statuses, and every error as RFC 9457 problem+json.

Nothing else in api/ chooses an error status: routes raise domain errors (or let the
workflow raise them) and the handlers below render them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import error_pages
from api.auth import TooManyAttempts, Unauthenticated
from workflow.errors import (
    Conflict,
    DomainError,
    Forbidden,
    GuardRefused,
    InvalidTransition,
    NotFound,
    Reason,
    StaleVersion,
    ValidationFailed,
    reason,
)
from workflow.input_rules import InvalidInput

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("localplan.api")

# The table: domain error → (HTTP status, title).
STATUS: dict[type[DomainError], tuple[int, str]] = {
    Unauthenticated: (401, "Not authenticated"),
    Forbidden: (403, "Forbidden"),
    NotFound: (404, "Not found"),
    InvalidTransition: (409, "Invalid transition"),
    StaleVersion: (409, "Stale version"),
    GuardRefused: (409, "Refused by a guard"),
    Conflict: (409, "Conflict"),
    ValidationFailed: (422, "Invalid input"),
    TooManyAttempts: (429, "Too many attempts"),
}
# Statuses raised by the framework itself (unknown path, wrong method, bad media type).
FRAMEWORK_CODES = {
    404: ("not_found", "ไม่พบสิ่งที่ร้องขอ", "no such resource"),
    405: ("method_not_allowed", "ไม่รองรับวิธีเรียกนี้", "method not allowed"),
    415: ("unsupported_media_type", "ไม่รองรับชนิดข้อมูลนี้", "unsupported media type"),
}
EXTRA_HEADERS = {
    401: {"WWW-Authenticate": "Bearer"},
}


def status_of(error: DomainError) -> tuple[int, str]:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400, "Bad request"


def problem(
    request: Request,
    *,
    status: int,
    title: str,
    code: str,
    reasons: Sequence[dict[str, Any]],
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    detail = "; ".join(str(r["en"]) for r in reasons) or title
    body = {
        "type": f"urn:localplan:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "reasons": list(reasons),
        "request_id": getattr(request.state, "request_id", None),
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    status, title = status_of(exc)
    headers = dict(EXTRA_HEADERS.get(status, {}))
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after)  # the time actually left
    field = {"field": exc.field} if isinstance(exc, InvalidInput) else {}
    return problem(
        request,
        status=status,
        title=title,
        code=exc.code,
        reasons=[{**r.as_dict(), **field} for r in exc.reasons],
        headers=headers or None,
    )


def _field(loc: Sequence[int | str]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        where, rest = parts[0], parts[1:]
        return ".".join(rest) if rest else where
    return ".".join(parts)


def validation_reasons(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Say which field and why, in Thai and English."""
    out = []
    for err in errors:
        # A body that is not JSON at all is reported at a character offset: name the body.
        invalid_json = err.get("type") == "json_invalid"
        field = "body" if invalid_json else _field(err.get("loc", ()))
        message = str(err.get("msg", "invalid"))
        missing = err.get("type") == "missing"
        th = f"ต้องระบุ {field}" if missing else f"ข้อมูล {field} ไม่ถูกต้อง: {message}"
        en = f"{field}: {message}"
        ruled = (err.get("ctx") or {}).get("th")  # an input rule's own texts (api/schemas/rules)
        if ruled:
            th, en = str(ruled), message
        item: dict[str, Any] = reason(str(err.get("type", "invalid")), th, en).as_dict()
        item["field"] = field
        out.append(item)
    return out


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem(
        request,
        status=422,
        title="Invalid input",
        code="validation_error",
        reasons=validation_reasons(exc.errors()),
    )


def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == 405:  # every method of the path, not only the first route's
        headers["Allow"] = error_pages.allowed_methods(request)
    if exc.status_code in (404, 405) and error_pages.wants_html(request):
        page = error_pages.html_error(request, exc.status_code)
        page.headers.update(headers)
        return page
    if exc.status_code == 400:  # FastAPI could not read the body (not JSON, not UTF-8, …)
        return problem(
            request,
            status=422,
            title="Invalid input",
            code="validation_error",
            reasons=validation_reasons(
                [{"type": "body_invalid", "loc": ("body",), "msg": "unreadable body"}]
            ),
        )
    code, th, en = FRAMEWORK_CODES.get(
        exc.status_code, ("http_error", "คำขอไม่ถูกต้อง", "bad request")
    )
    return problem(
        request,
        status=exc.status_code,
        title=en.capitalize(),
        code=code,
        reasons=[Reason(code, th, en).as_dict()],
        headers=headers or None,
    )


def _conflict(request: Request, exc: Exception) -> JSONResponse:
    """A unique constraint lost a race the checks before it could not see (e.g. two admins
    adding the same username at once): the client may retry and get the domain answer."""
    log.warning("integrity conflict (request %s): %s", request.state.request_id, exc)
    return problem(
        request,
        status=409,
        title="Conflict",
        code="conflict",
        reasons=[
            Reason(
                "concurrent_change",
                "มีการเปลี่ยนแปลงพร้อมกัน โปรดลองใหม่",
                "a concurrent change won; retry",
            ).as_dict()
        ],
    )


def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The database is unreachable or stayed locked past the busy timeout."""
    log.error("database unavailable (request %s): %s", request.state.request_id, exc)
    return problem(
        request,
        status=503,
        title="Service unavailable",
        code="unavailable",
        reasons=[Reason("database_unavailable", "ฐานข้อมูลไม่พร้อม", "database unavailable").as_dict()],
        headers={"Retry-After": "5"},
    )


def _unexpected(request: Request) -> JSONResponse:
    """A bug (logged by `error_pages.UnhandledErrorMiddleware`): answered without internals."""
    return problem(
        request,
        status=500,
        title="Internal error",
        code="internal_error",
        reasons=[Reason("internal_error", "ระบบขัดข้อง", "internal error").as_dict()],
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(IntegrityError, _conflict)
    app.add_exception_handler(OperationalError, _unavailable)
    # Inside the request-id middleware (added after this), so a 500 carries the id too.
    app.add_middleware(error_pages.UnhandledErrorMiddleware, problem=_unexpected)
