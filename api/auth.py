"""Credentials: Argon2 password hashes, hashed bearer tokens, and the failed-login limit.

Plain functions over a session (flush, never commit), used by the HTTP routes and the CLI
through `workflow.uow.run`. Tokens are 256 random bits; only their SHA-256 is stored, so the
table is useless to whoever reads it, and a request finds its token by an indexed lookup.
Failed logins are stored in the database (table `login_failure`), so the limit holds across
restarts and across several API processes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import cast

import sqlalchemy as sa
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import Connection, Engine, func
from sqlmodel import Session, col, delete, select

from models.clock import Clock
from models.db import from_row, read_session
from models.enums import Role
from models.organization import AuditorScope, User
from models.token import ApiToken, LoginFailure
from workflow import uow
from workflow.accounts import actor_of, add_user, get_organization_by_code
from workflow.actors import Actor
from workflow.errors import DomainError, Forbidden, NotFound, ValidationFailed, reason

TOKEN_PREFIX = "lp_"
MIN_PASSWORD_LENGTH = 10
PASSWORDS = PasswordHash((Argon2Hasher(),))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified when the username does not exist, so a miss costs as long as a wrong
    password (made on first use: hashing takes a noticeable fraction of a second)."""
    return PASSWORDS.hash(secrets.token_urlsafe(16))


class Unauthenticated(DomainError):
    """No valid credentials (HTTP 401)."""

    code = "unauthenticated"


class TooManyAttempts(DomainError):
    """Too many failed logins for this username or address (HTTP 429)."""

    code = "too_many_attempts"


@dataclass(frozen=True)
class LoginLimits:
    window: timedelta
    per_username: int
    per_address: int


@dataclass(frozen=True)
class IssuedToken:
    """A token as shown once to its owner."""

    id: int
    token: str
    username: str
    expires_at: datetime


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: the user row and the actor that acts for them."""

    user: User
    actor: Actor


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            [
                reason(
                    "password_too_short",
                    f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD_LENGTH} ตัวอักษร",
                    f"a password needs at least {MIN_PASSWORD_LENGTH} characters",
                )
            ]
        )


def _user(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not user.is_active:
        raise NotFound(
            [reason("user_not_found", f"ไม่พบผู้ใช้ {username}", f"no active user {username}")]
        )
    return user


def set_password(session: Session, *, username: str, password: str) -> User:
    """Store the Argon2 hash of a new password (at least MIN_PASSWORD_LENGTH characters)."""
    _check_password(password)
    user = _user(session, username)
    user.password_hash = PASSWORDS.hash(password)
    session.add(user)
    session.flush()
    return user


def issue_token(
    session: Session, *, username: str, clock: Clock, lifetime: timedelta, label: str
) -> IssuedToken:
    """Create a token for an active user; the clear token exists only in the return value."""
    if lifetime <= timedelta(0):
        raise ValidationFailed(
            [reason("lifetime_invalid", "อายุโทเค็นต้องมากกว่าศูนย์", "a token must live > 0")]
        )
    user = _user(session, username)
    assert user.id is not None
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    row = ApiToken(
        user_id=user.id,
        token_hash=hash_token(token),
        prefix=token[:10],
        label=label[:100],
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return IssuedToken(row.id, token, user.username, row.expires_at)


def revoke_tokens(
    session: Session, *, clock: Clock, token_id: int | None = None, username: str | None = None
) -> int:
    """Revoke one token by id, or every live token of a user; returns how many were revoked."""
    query = select(ApiToken).where(col(ApiToken.revoked_at).is_(None))
    if token_id is not None:
        query = query.where(ApiToken.id == token_id)
    if username is not None:
        query = query.where(ApiToken.user_id == _user(session, username).id)
    if token_id is None and username is None:
        raise ValidationFailed(
            [reason("token_selector_required", "ต้องระบุโทเค็นหรือผู้ใช้", "name a token or a user")]
        )
    revoked = 0
    for row in session.exec(query):
        row.revoked_at = clock.now()
        session.add(row)
        revoked += 1
    session.flush()
    return revoked


def list_tokens(session: Session, *, username: str) -> list[ApiToken]:
    user = _user(session, username)
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(col(ApiToken.id))
    return list(session.exec(query))


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


def authenticate(engine: Engine, *, token: str | None, clock: Clock) -> Principal:
    """The caller behind a bearer token, or Unauthenticated (on a connection of its own)."""
    with engine.connect() as conn:
        return _authenticate(conn, token=token, clock=clock)


def authenticate_token(session: Session, *, token: str | None, clock: Clock) -> Principal:
    """The caller behind a bearer token, or Unauthenticated."""
    return _authenticate(session.connection(), token=token, clock=clock)


def _authenticate(conn: Connection, *, token: str | None, clock: Clock) -> Principal:
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise _invalid_token()
    found = conn.execute(_LOOKUP, {"token_hash": hash_token(token)}).first()
    if found is None:
        raise _invalid_token()
    row = found._mapping
    if (
        row["token_revoked_at"] is not None
        or row["token_expires_at"] <= clock.now()
        or not row["is_active"]
    ):
        raise _invalid_token()
    user = from_row(User, {column.name: row[column.name] for column in _USERS.c})
    scope = (
        conn.execute(_SCOPE, {"user_id": user.id}).scalars().all()
        if user.role is Role.AUDITOR
        else ()
    )
    return Principal(user, actor_of(user, scope))


# --- password login -------------------------------------------------------------------------


def _failures(session: Session, column: object, value: str, since: datetime) -> int:
    count = session.exec(
        select(func.count())
        .select_from(LoginFailure)
        .where(column == value, col(LoginFailure.attempted_at) > since)
    ).one()
    return int(count)


def login_blocked(
    session: Session, *, username: str, address: str, clock: Clock, limits: LoginLimits
) -> bool:
    since = clock.now() - limits.window
    return (
        _failures(session, col(LoginFailure.username), username, since) >= limits.per_username
        or _failures(session, col(LoginFailure.address), address, since) >= limits.per_address
    )


def too_many_attempts(limits: LoginLimits) -> TooManyAttempts:
    minutes = int(limits.window.total_seconds() // 60)
    return TooManyAttempts(
        [
            reason(
                "too_many_attempts",
                f"เข้าสู่ระบบผิดหลายครั้งเกินไป โปรดลองใหม่ภายหลัง ({minutes} นาที)",
                f"too many failed logins; try again later (window {minutes} min)",
            )
        ]
    )


def check_password(session: Session, *, username: str, password: str) -> User | None:
    """The active user whose password this is, or None. Runs Argon2 even for unknown users."""
    user = session.exec(select(User).where(User.username == username)).first()
    stored = user.password_hash if user is not None and user.is_active else None
    valid = PASSWORDS.verify(password, stored or _dummy_hash())
    return user if valid and stored is not None else None


def record_failure(
    session: Session, *, username: str, address: str, clock: Clock, limits: LoginLimits
) -> None:
    """Log a failed login; drop entries far older than the window so the table stays small."""
    now = clock.now()
    session.exec(
        delete(LoginFailure).where(col(LoginFailure.attempted_at) < now - 4 * limits.window)
    )
    session.add(LoginFailure(username=username[:64], address=address[:64], attempted_at=now))
    session.flush()


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


def login(
    engine: Engine,
    *,
    request: LoginRequest,
    clock: Clock,
    limits: LoginLimits,
    lifetime: timedelta,
) -> IssuedToken:
    """Password login → a fresh token. Argon2 runs outside any write transaction (it takes
    tens of milliseconds and SQLite has one writer); a failure is stored, then raised."""
    with read_session(engine) as session:
        blocked = login_blocked(
            session, username=request.username, address=request.address, clock=clock, limits=limits
        )
        user = (
            None
            if blocked
            else check_password(session, username=request.username, password=request.password)
        )
    if blocked:
        raise too_many_attempts(limits)
    if user is None:
        uow.run(
            engine,
            clock,
            lambda s: record_failure(
                s, username=request.username, address=request.address, clock=clock, limits=limits
            ),
        )
        raise invalid_credentials()
    return uow.run(
        engine,
        clock,
        lambda s: issue_token(
            s, username=user.username, clock=clock, lifetime=lifetime, label="login"
        ),
    )


# --- admin ----------------------------------------------------------------------------------


def require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise Forbidden(
            [
                reason(
                    "admin_only",
                    "เฉพาะผู้ดูแลระบบ",
                    f"only an admin may do this (you are {actor.role.value})",
                )
            ]
        )


@dataclass(frozen=True)
class NewUser:
    username: str
    role: Role
    full_name: str = ""
    organization_code: str | None = None
    scope_province: str | None = None
    scope_organization_codes: tuple[str, ...] = ()
    password: str | None = None


def create_user(session: Session, *, actor: Actor, clock: Clock, new: NewUser) -> User:
    """An admin adds a user (and optionally their first password) in one transaction."""
    require_admin(actor)
    org = (
        get_organization_by_code(session, new.organization_code) if new.organization_code else None
    )
    scoped = tuple(get_organization_by_code(session, c) for c in new.scope_organization_codes)
    user = add_user(
        session,
        clock=clock,
        username=new.username,
        role=new.role,
        full_name=new.full_name,
        organization=org,
        scope_province=new.scope_province,
        scope_organizations=scoped,
    )
    if new.password is not None:
        set_password(session, username=user.username, password=new.password)
    return user


def admin_set_password(session: Session, *, actor: Actor, username: str, password: str) -> User:
    require_admin(actor)
    return set_password(session, username=username, password=password)
