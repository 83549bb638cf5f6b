"""Security headers on every answer (docs/operations.md, headers): no MIME sniffing, no
referrer sent off the site, nothing dynamic kept in a browser's or a proxy's cache, and
HSTS when the service is reached over HTTPS."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS_MAX_AGE = 365 * 24 * 3600  # one year, the value browsers' preload lists ask for
# Files that never hold anything personal; they keep the caching StaticFiles gives them.
CACHEABLE_PREFIXES = ("/static/", "/docs/assets/")
FIXED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SecurityHeadersMiddleware:
    """Add the headers to every HTTP answer, errors included. `Cache-Control: no-store` goes
    on every answer but static files (JSON, CSV, signed-in pages, the token answer) unless
    the route chose its own; HSTS when the request came over HTTPS (the scheme uvicorn saw,
    from a trusted proxy's X-Forwarded-Proto) or when `https_only` says the public address
    is HTTPS."""

    def __init__(self, app: ASGIApp, *, https_only: bool = False) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = str(scope.get("path", "")).startswith(CACHEABLE_PREFIXES)
        hsts = self.https_only or scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in FIXED.items():
                    headers.setdefault(name, value)
                if not cacheable:
                    headers.setdefault("Cache-Control", "no-store")
                if hsts:
                    headers.setdefault(
                        "Strict-Transport-Security", f"max-age={HSTS_MAX_AGE}; includeSubDomains"
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)
