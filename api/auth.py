"""Authentication: the caller behind a bearer token, and the password login that issues one.

A request's token is looked up by its hash (`workflow/credentials.py`); a password login
runs under the failed-login limit (`api/throttling.py`) and returns a fresh token
(`workflow/account_admin.issue_token`). Who may administer accounts is
`workflow/account_admin.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

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
from models.alert import InAppAlert
from models.clock import Clock, today_bangkok
from models.db import from_row, read_session
from models.enums import Role
from models.fastsql import Prepared
from models.membership import Membership
from models.organization import AuditorScope, User
from models.token import ApiToken
from workflow import uow
from workflow.account_admin import IssuedToken, issue_token
from workflow.accounts import actor_of
from workflow.actors import Actor, Holding
from workflow.credentials import TOKEN_PREFIX, account_deactivated, check_password, hash_token
from workflow.errors import DomainError, Forbidden, reason
from workflow.memberships import in_force_on

LOGIN_LABEL = "login"  # the label of tokens from POST /auth/token (web sessions: "web")


class Unauthenticated(DomainError):
    """No valid credentials (HTTP 401)."""

    code = "unauthenticated"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: the user row and the actor that acts for them."""

    user: User
    actor: Actor
    unread: int | None = None  # the header's badge, when the lookup read it (web pages)


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


# Every request looks its token up: one statement compiled once (models/fastsql.py) on a bare
# connection (no ORM session, no transaction begun: `Prepared.rows(alone=True)`): the token
# with its user, the memberships in force today (a row each, outer joined), the auditor's
# listed organizations and, for a web page's header, the unread alerts (docs/benchmarks.md
# "Speed, fifth round: pages"; three statements before).
_TOKENS = cast(sa.Table, ApiToken.__table__)  # type: ignore[attr-defined]
_USERS = cast(sa.Table, User.__table__)  # type: ignore[attr-defined]
_SCOPES = cast(sa.Table, AuditorScope.__table__)  # type: ignore[attr-defined]
_MEMBERS = cast(sa.Table, Membership.__table__)  # type: ignore[attr-defined]
_ALERTS = cast(sa.Table, InAppAlert.__table__)  # type: ignore[attr-defined]
_DAY = sa.bindparam("day", type_=sa.Date)
_LISTED = (
    sa.select(sa.func.aggregate_strings(sa.cast(_SCOPES.c.organization_id, sa.String), ","))
    .where(_SCOPES.c.user_id == _USERS.c.id)
    .scalar_subquery()
)
_UNREAD = (
    sa.select(sa.func.count())
    .select_from(_ALERTS)
    .where(_ALERTS.c.user_id == _USERS.c.id, _ALERTS.c.read_at.is_(None))
    .scalar_subquery()
)


def _lookup(*badge: sa.ColumnElement[Any]) -> Prepared:
    return Prepared(
        sa.select(
            _TOKENS.c.expires_at.label("token_expires_at"),
            _TOKENS.c.revoked_at.label("token_revoked_at"),
            *_USERS.c,
            _MEMBERS.c.role.label("held_role"),
            _MEMBERS.c.organization_id.label("held_organization_id"),
            _LISTED.label("listed"),
            *badge,
        )
        .join(_USERS, _USERS.c.id == _TOKENS.c.user_id)
        .outerjoin(_MEMBERS, in_force_on(_USERS.c.id, _DAY))
        .where(_TOKENS.c.token_hash == sa.bindparam("token_hash"))
    )


_LOOKUP = _lookup()
_LOOKUP_WITH_BADGE = _lookup(_UNREAD.label("unread"))


def authenticate(
    engine: Engine,
    *,
    token: str | None,
    clock: Clock,
    as_role: str | None = None,
    badge: bool = False,
    forgiving: bool = False,
) -> Principal:
    """The caller behind a bearer token, or Unauthenticated (on a connection of its own),
    acting in `as_role` when named (docs/domain.md "Memberships"). `badge`: with the caller's
    unread alerts (`Principal.unread`); `forgiving`: a role no longer held is ignored (the
    caller acts as if none were named) instead of refused."""
    with engine.connect() as conn:
        return _authenticate(
            conn, token=token, clock=clock, as_role=as_role, badge=badge, forgiving=forgiving
        )


def _authenticate(
    conn: Connection,
    *,
    token: str | None,
    clock: Clock,
    as_role: str | None,
    badge: bool = False,
    forgiving: bool = False,
) -> Principal:
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise _invalid_token()
    lookup = _LOOKUP_WITH_BADGE if badge else _LOOKUP
    params = {"token_hash": hash_token(token), "day": today_bangkok(clock)}
    found = lookup.rows(conn, params, alone=True)  # one statement: no BEGIN, no ROLLBACK
    if not found:
        raise _invalid_token()
    row = dict(zip(lookup.columns(conn.dialect, params), found[0], strict=True))
    if not row["is_active"]:  # a real token of a deactivated user: say so (403)
        raise account_deactivated(row["username"])
    if row["token_revoked_at"] is not None or row["token_expires_at"] <= clock.now():
        raise _invalid_token()
    user = from_row(User, {column.name: row[column.name] for column in _USERS.c})
    at = len(_USERS.c) + 2  # the membership's two columns follow the token's and the user's
    held = tuple(sorted({Holding(Role(r[at]), r[at + 1]) for r in found if r[at] is not None}))
    auditor = user.role is Role.AUDITOR or any(h.role is Role.AUDITOR for h in held)
    listed = row["listed"] if auditor else None
    scope = [int(i) for i in listed.split(",")] if listed else ()
    try:
        actor = actor_of(user, scope, held, as_role)
    except Forbidden:  # role_not_held: the membership ended since the role was chosen
        if not forgiving:
            raise
        actor = actor_of(user, scope, held)
    return Principal(user, actor, int(row["unread"]) if badge else None)


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
