"""Account administration: an admin adds users and sets passwords; tokens are issued to,
listed for and revoked from a user.

One set of functions for the CLI (whose operator acts as an admin), the JSON API and the
web admin pages. Plain functions over a session: they flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models.clock import Clock
from models.enums import Role
from models.organization import User
from models.token import ApiToken
from workflow import input_rules as rules
from workflow.accounts import add_user, get_organization_by_code, get_user
from workflow.actors import Actor
from workflow.credentials import hash_password, hash_token, new_token
from workflow.errors import Forbidden, ValidationFailed, reason


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


def clean_new_user(new: NewUser) -> NewUser:
    """The new user as the input rules leave it: the username checked, the name free text,
    the province one of the 77 (trimmed, NFC), the listed organizations without repeats."""
    field = "scope_organization_codes"
    scope_codes = [rules.code(c, field=field) for c in new.scope_organization_codes]
    org_code = rules.optional_text(
        new.organization_code, field="organization_code", max_length=rules.CODE_MAX
    )
    province = rules.optional_text(
        new.scope_province, field="scope_province", max_length=rules.FILTER_MAX
    )
    full_name = rules.optional_text(
        new.full_name, field="full_name", max_length=rules.FULL_NAME_MAX
    )
    return replace(
        new,
        username=rules.username(new.username),
        full_name=full_name or "",
        organization_code=org_code,
        scope_province=None if province is None else rules.province(province),
        scope_organization_codes=tuple(rules.distinct(scope_codes)),
    )


def create_user(session: Session, *, actor: Actor, clock: Clock, new: NewUser) -> User:
    """An admin adds a user (and optionally their first password) in one transaction."""
    require_admin(actor)
    new = clean_new_user(new)  # the input rules (workflow/input_rules.py)
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


def set_password(session: Session, *, username: str, password: str) -> User:
    """Store the Argon2 hash of a new password (at least MIN_PASSWORD_LENGTH characters)."""
    hashed = hash_password(password)
    user = get_user(session, username)
    user.password_hash = hashed
    session.add(user)
    session.flush()
    return user


def admin_set_password(session: Session, *, actor: Actor, username: str, password: str) -> User:
    require_admin(actor)
    return set_password(session, username=username, password=password)


@dataclass(frozen=True)
class IssuedToken:
    """A token as shown once to its owner."""

    id: int
    token: str
    username: str
    expires_at: datetime


def issue_token(
    session: Session, *, username: str, clock: Clock, lifetime: timedelta, label: str
) -> IssuedToken:
    """Create a token for an active user; the clear token exists only in the return value."""
    if lifetime <= timedelta(0):
        raise ValidationFailed(
            [reason("lifetime_invalid", "อายุโทเค็นต้องมากกว่าศูนย์", "a token must live > 0")]
        )
    user = get_user(session, username)
    assert user.id is not None
    token = new_token()
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
    session: Session,
    *,
    clock: Clock,
    token_id: int | None = None,
    username: str | None = None,
    token: str | None = None,
) -> int:
    """Revoke one token (by id, or by its clear value), or every live token of a user;
    returns how many were revoked."""
    query = select(ApiToken).where(col(ApiToken.revoked_at).is_(None))
    if token_id is not None:
        query = query.where(ApiToken.id == token_id)
    if token is not None:
        query = query.where(ApiToken.token_hash == hash_token(token))
    if username is not None:
        query = query.where(ApiToken.user_id == get_user(session, username).id)
    if token_id is None and username is None and token is None:
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
    user = get_user(session, username)
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(col(ApiToken.id))
    return list(session.exec(query))
