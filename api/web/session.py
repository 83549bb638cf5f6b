"""Web sessions: a password sign-in issues a server-side session (a row of the existing
`api_token` table, label "web", only its SHA-256 stored) whose secret lives in an HttpOnly,
SameSite=Lax cookie, Secure over HTTPS, expiring with the row. Sign-out revokes the row.

CSRF: every form carries a token. With a session it is an HMAC of the session secret (an
attacker's page can neither read the cookie nor compute it); before sign-in, a random
double-submit cookie guards the sign-in form.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from fastapi import Request, Response
from sqlalchemy import Engine

from api import auth
from api.deps import Services
from workflow import uow
from workflow.account_admin import IssuedToken, revoke_tokens
from workflow.credentials import TOKEN_PREFIX, AccountDeactivated

SESSION_COOKIE = "localplan_session"
PRESESSION_COOKIE = "localplan_csrf"
CSRF_FIELD = "csrf_token"
SESSION_LABEL = "web"
ROLE_COOKIE = "localplan_role"  # the role chosen in the header (docs/domain.md "Memberships")


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def session_secret(request: Request) -> str | None:
    value = request.cookies.get(SESSION_COOKIE)
    return value if value and value.startswith(TOKEN_PREFIX) and len(value) < 200 else None


def current(request: Request, services: Services) -> auth.Principal | None:
    """The signed-in person, or None (no cookie, unknown, expired or revoked session), in
    the role the header's switcher chose (the `localplan_role` cookie; a role no longer held
    is forgotten: the person acts as if none were chosen), with the header's unread count
    (`Principal.unread`), in one statement (api/auth.py)."""
    secret = session_secret(request)
    if secret is None:
        return None
    chosen = request.cookies.get(ROLE_COOKIE) or None
    try:
        return auth.authenticate(
            services.engine, token=secret, clock=services.clock, as_role=chosen, badge=True,
            forgiving=True,
        )
    except (auth.Unauthenticated, AccountDeactivated):
        return None


def csrf_token(request: Request) -> str:
    """The token to put in this page's forms."""
    secret = session_secret(request)
    if secret is not None:
        return hmac.new(secret.encode(), b"localplan-csrf", hashlib.sha256).hexdigest()
    presession = request.cookies.get(PRESESSION_COOKIE)
    if not presession:
        presession = secrets.token_urlsafe(32)
        request.state.new_presession = presession
    return presession


def csrf_valid(request: Request, submitted: str) -> bool:
    if not submitted:
        return False
    secret = session_secret(request)
    if secret is not None:
        expected = hmac.new(secret.encode(), b"localplan-csrf", hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, submitted)
    presession = request.cookies.get(PRESESSION_COOKIE, "")
    return bool(presession) and hmac.compare_digest(presession, submitted)


def remember_presession(request: Request, response: Response) -> None:
    """Set the pre-session CSRF cookie if this page made a new one."""
    fresh = getattr(request.state, "new_presession", None)
    if fresh:
        response.set_cookie(
            PRESESSION_COOKIE,
            fresh,
            max_age=3600,
            httponly=True,
            samesite="lax",
            secure=is_https(request),
            path="/",
        )


def sign_in(services: Services, *, username: str, password: str, address: str) -> IssuedToken:
    """Password sign-in: the API's login (and its failed-login limit) issuing a session
    row; raises Unauthenticated or TooManyAttempts."""
    return auth.login(
        services.engine,
        request=auth.LoginRequest(username, password, address, label=SESSION_LABEL),
        clock=services.clock,
        limits=services.limits,
        lifetime=timedelta(minutes=services.settings.login_token_minutes),
    )


def set_session_cookie(
    request: Request, response: Response, issued: IssuedToken, services: Services
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=services.settings.login_token_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )
    response.delete_cookie(PRESESSION_COOKIE, path="/")


def sign_out(request: Request, response: Response, engine: Engine, services: Services) -> None:
    """Revoke the session row and drop the cookie."""
    secret = session_secret(request)
    if secret is not None:
        uow.run(
            engine,
            services.clock,
            lambda s: revoke_tokens(s, clock=services.clock, token=secret),
        )
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
