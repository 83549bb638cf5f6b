"""What the framework's own errors look like to a browser, and the last line against bugs.

A browser (its `Accept` names text/html) gets a Thai page for an unknown address (404), a
method the address does not take (405) and a bug (500); every other client gets the
problem+json of `api.errors`. A 405 names, in `Allow`, every method the address takes
(Starlette names only the first route's, and GET and POST of one path are two routes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web import i18n
from api.web.render import error_page, lang_of, render

log = logging.getLogger("localplan.api")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# status → (Thai, English) title and message of the page.
PAGES: dict[int, tuple[tuple[str, str], tuple[str, str]]] = {
    404: (
        i18n.LABELS["not_found"],
        ("ตรวจสอบที่อยู่ของหน้าอีกครั้ง", "Check the address of the page"),
    ),
    405: (
        ("ไม่รองรับวิธีเรียกนี้", "Method not allowed"),
        ("ที่อยู่นี้ไม่รับคำขอแบบนี้", "This address does not take this kind of request"),
    ),
    500: (
        ("ระบบขัดข้อง", "Something went wrong"),
        (
            "โปรดลองใหม่อีกครั้ง หากยังขัดข้อง โปรดแจ้งผู้ดูแลระบบพร้อมรหัสคำขอ",
            "Please try again; if it persists, tell the administrator this request id",
        ),
    ),
}


def wants_html(request: Request) -> bool:
    """A browser's navigation: `Accept` names text/html (API clients send JSON or */*)."""
    return "text/html" in request.headers.get("accept", "").lower()


def html_error(request: Request, status: int, *, with_user: bool = True) -> HTMLResponse:
    """The Thai (or English, by the language cookie) page for `status`. `with_user=False`
    renders without reading the session, so a page for a broken database still renders."""
    title, message = PAGES[status]
    lang = lang_of(request)
    messages = [i18n.pick(message, lang)]
    if status == 500:
        messages.append(str(getattr(request.state, "request_id", "-")))
    if with_user:
        return error_page(request, status, i18n.pick(title, lang), messages)
    return render(
        request, "error.html", status=status, title=i18n.pick(title, lang), messages=messages
    )


def allowed_methods(request: Request) -> str:
    """Every method some route takes at this path: the value of `Allow`. Each method is
    tried against the app's routes, a full match counting; a path served only by a mount
    (the static files) takes GET and HEAD."""
    routes = [r for r in request.app.router.routes if not isinstance(r, Mount)]
    allowed = [
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]
    return ", ".join(allowed or ("GET", "HEAD"))


class UnhandledErrorMiddleware:
    """A bug: logged with its traceback and the request id, answered 500 (a page for a
    browser, problem+json otherwise) without internals. Inside the request-id and header
    middleware, so the answer carries both (Starlette's own last handler sits outside all
    middleware and ran the handler where the traceback was already lost)."""

    def __init__(self, app: ASGIApp, *, problem: Callable[[Request], Response]) -> None:
        self.app = app
        self.problem = problem

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watching)
        except Exception as exc:
            request = Request(scope)
            request_id = getattr(request.state, "request_id", "-")
            log.error("unhandled error (request %s)", request_id, exc_info=exc)
            if started:  # part of an answer is out: nothing sensible can follow
                raise
            response = self._answer(request)
            await response(scope, receive, send)

    def _answer(self, request: Request) -> Response:
        if wants_html(request):
            try:
                return html_error(request, 500, with_user=False)
            except Exception:  # the page itself failed: the plain answer still goes out
                log.exception("error page failed (request %s)", request.state.request_id)
        return self.problem(request)
