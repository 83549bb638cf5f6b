"""Authentication: the caller behind a bearer token, and the password login that issues one.

A request's token is looked up by its hash (`workflow/credentials.py`); a password login
runs under the failed-login limit (`api/throttling.py`) and returns a fresh token
(`workflow/account_admin.issue_token`). Who may administer accounts is
`workflow/account_admin.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import cast

import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlmodel import Session

from api.throttling import (
    LoginLimits,
    forget_failures,
    login_refused,
    login_wait,
    record_failure,
)
from api.throttling import TooManyAttempts as TooManyAttempts  # named here by the web pages
from models.clock import Clock, today_bangkok
from models.db import from_row, read_session
from models.enums import Role
from models.organization import AuditorScope, User
from models.token import ApiToken
from workflow import uow
from workflow.account_admin import IssuedToken, issue_token
from workflow.accounts import actor_of
from workflow.actors import Actor
from workflow.credentials import TOKEN_PREFIX, account_deactivated, check_password, hash_token
from workflow.errors import DomainError, reason
from workflow.memberships import in_force

LOGIN_LABEL = "login"  # the label of tokens from POST /auth/token (web sessions: "web")


class Unauthenticated(DomainError):
    """No valid credentials (HTTP 401)."""

    code = "unauthenticated"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: the user row and the actor that acts for them."""

    user: User
    actor: Actor


def _invalid_token() -> Unauthenticated:
    return Unauthenticated(
        [
            reason(
                "invalid_token",
                "โทเค็นไม่ถูกต้อง หมดอายุ หรือถูกเพิกถอน",
                "the bearer token is missing, unknown, expired or revoked",
            )
        ]
    )


# Every API request looks its token up: plain Core statements built once (no ORM loading or
# identity map), on a bare connection (no ORM session either) when the caller has none.
_TOKENS = cast(sa.Table, ApiToken.__table__)  # type: ignore[attr-defined]
_USERS = cast(sa.Table, User.__table__)  # type: ignore[attr-defined]
_SCOPES = cast(sa.Table, AuditorScope.__table__)  # type: ignore[attr-defined]
_LOOKUP = (
    sa.select(
        _TOKENS.c.expires_at.label("token_expires_at"),
        _TOKENS.c.revoked_at.label("token_revoked_at"),
        *_USERS.c,
    )
    .join(_USERS, _USERS.c.id == _TOKENS.c.user_id)
    .where(_TOKENS.c.token_hash == sa.bindparam("token_hash"))
)
_SCOPE = sa.select(_SCOPES.c.organization_id).where(_SCOPES.c.user_id == sa.bindparam("user_id"))


def authenticate(
    engine: Engine, *, token: str | None, clock: Clock, as_role: str | None = None
) -> Principal:
    """The caller behind a bearer token, or Unauthenticated (on a connection of its own),
    acting in `as_role` when named (docs/domain.md "Memberships")."""
    with engine.connect() as conn:
        return _authenticate(conn, token=token, clock=clock, as_role=as_role)


def authenticate_token(
    session: Session, *, token: str | None, clock: Clock, as_role: str | None = None
) -> Principal:
    """The caller behind a bearer token, or Unauthenticated."""
    return _authenticate(session.connection(), token=token, clock=clock, as_role=as_role)


def _authenticate(
    conn: Connection, *, token: str | None, clock: Clock, as_role: str | None
) -> Principal:
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise _invalid_token()
    found = conn.execute(_LOOKUP, {"token_hash": hash_token(token)}).first()
    if found is None:
        raise _invalid_token()
    row = found._mapping
    if not row["is_active"]:  # a real token of a deactivated user: say so (403)
        raise account_deactivated(row["username"])
    if row["token_revoked_at"] is not None or row["token_expires_at"] <= clock.now():
        raise _invalid_token()
    user = from_row(User, {column.name: row[column.name] for column in _USERS.c})
    held = in_force(conn, user.id, today_bangkok(clock))  # the memberships in force today
    auditor = user.role is Role.AUDITOR or any(h.role is Role.AUDITOR for h in held)
    scope = conn.execute(_SCOPE, {"user_id": user.id}).scalars().all() if auditor else ()
    return Principal(user, actor_of(user, scope, held, as_role))


# --- password login -------------------------------------------------------------------------


def invalid_credentials() -> Unauthenticated:
    return Unauthenticated(
        [
            reason(
                "invalid_credentials",
                "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง",
                "unknown username or wrong password",
            )
        ]
    )


@dataclass(frozen=True)
class LoginRequest:
    username: str
    password: str
    address: str
    label: str = LOGIN_LABEL  # what the issued token is for


def login(
    engine: Engine,
    *,
    request: LoginRequest,
    clock: Clock,
    limits: LoginLimits,
    lifetime: timedelta,
) -> IssuedToken:
    """Password login → a fresh token (the JSON API's and the web sign-in's), under the limits
    of api/throttling.py (429 with the time left). Argon2 runs outside any write transaction
    (it takes tens of milliseconds and SQLite has one writer); a failure is stored, then
    raised; a success forgets that (username, address)'s failures."""
    name, address = request.username, request.address
    with read_session(engine) as session:
        wait = login_wait(session, username=name, address=address, clock=clock, limits=limits)
        blocked = wait > timedelta(0)
        user = (
            None
            if blocked
            else check_password(session, username=name, password=request.password)
        )
    if blocked:
        raise login_refused(wait)
    if user is None:
        uow.run(
            engine,
            clock,
            lambda s: record_failure(
                s, username=name, address=address, clock=clock, limits=limits
            ),
        )
        raise invalid_credentials()

    def issue(session: Session) -> IssuedToken:
        forget_failures(session, username=name, address=address)
        return issue_token(
            session, username=user.username, clock=clock, lifetime=lifetime, label=request.label
        )

    return uow.run(engine, clock, issue)
