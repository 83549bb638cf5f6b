"""Account administration: an admin adds users and resets passwords; tokens are issued to,
listed for and revoked from a user. Each change writes its account event in the same
transaction (workflow/accounts.record_event); deactivation and role changes are
workflow/account_status.py.

One set of functions for the CLI (whose operator acts as an admin), the JSON API and the
web admin pages. Plain functions over a session: they flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models.account import AccountEventKind
from models.clock import Clock
from models.enums import Role
from models.organization import User
from models.token import ApiToken
from workflow import input_rules as rules
from workflow.accounts import (
    actor_of,
    add_user,
    get_organization_by_code,
    get_user,
    record_event,
)
from workflow.actors import SYSTEM, Actor
from workflow.credentials import check_password, hash_password, hash_token, new_token
from workflow.errors import Forbidden, ValidationFailed, reason


def require_admin(actor: Actor) -> Actor:
    """The actor acting as an admin (a person holding several roles acts in the admin one),
    or Forbidden."""
    actor = actor.acting((Role.ADMIN,))
    if actor.role is not Role.ADMIN or not actor.holds(Role.ADMIN):
        raise Forbidden(
            [
                reason(
                    "admin_only",
                    "เฉพาะผู้ดูแลระบบ",
                    f"only an admin may do this (you are {actor.role.value})",
                )
            ]
        )
    return actor


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
    """An admin adds a user (and optionally their first password) in one transaction: the
    `created` event, and `password_reset` when a first password is set."""
    actor = require_admin(actor)
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
        actor=actor,
    )
    if new.password is not None:
        set_password(
            session, clock=clock, username=user.username, password=new.password, actor=actor
        )
    return user


def set_password(
    session: Session, *, clock: Clock, username: str, password: str, actor: Actor = SYSTEM
) -> User:
    """Store the Argon2 hash of a new password (at least MIN_PASSWORD_LENGTH characters).

    Set by the user themself: `password_changed`. Set by anyone else (an admin, the
    operator, the demo seed): `password_reset`, which also ends every session and token of
    the user, so whoever knew the old password is out."""
    hashed = hash_password(password)
    user = get_user(session, username)
    user.password_hash = hashed
    session.add(user)
    session.flush()
    own = actor.user_id is not None and actor.user_id == user.id
    kind = AccountEventKind.PASSWORD_CHANGED if own else AccountEventKind.PASSWORD_RESET
    record_event(session, clock=clock, actor=actor, kind=kind, subject=user)
    if not own:
        end_tokens(session, clock=clock, actor=actor, user=user, because=kind)
    return user


def admin_set_password(
    session: Session, *, actor: Actor, clock: Clock, username: str, password: str
) -> User:
    """An admin resets a user's password (their sessions and tokens end)."""
    actor = require_admin(actor)
    return set_password(session, clock=clock, username=username, password=password, actor=actor)


def change_own_password(
    session: Session, *, actor: Actor, clock: Clock, current: str, new: str
) -> User:
    """A user changes their own password, proving the current one (`password_changed`)."""
    user = check_password(session, username=actor.username, password=current)
    if user is None or user.id != actor.user_id:
        raise ValidationFailed(
            [reason("wrong_password", "รหัสผ่านปัจจุบันไม่ถูกต้อง", "the current password is wrong")]
        )
    return set_password(session, clock=clock, username=user.username, password=new, actor=actor)


def end_tokens(
    session: Session, *, clock: Clock, actor: Actor, user: User, because: AccountEventKind
) -> int:
    """Revoke every live token and web session of `user` (one `token_revoked` event each)."""
    query = select(ApiToken).where(ApiToken.user_id == user.id, col(ApiToken.revoked_at).is_(None))
    rows = list(session.exec(query))
    for row in rows:
        _revoke(session, row, clock=clock, actor=actor, owner=user, because=because.value)
    return len(rows)


def _revoke(
    session: Session, row: ApiToken, *, clock: Clock, actor: Actor, owner: User, because: str
) -> None:
    row.revoked_at = clock.now()
    session.add(row)
    session.flush()
    details = {"token_id": row.id, "label": row.label, "because": because}
    record_event(
        session,
        clock=clock,
        actor=actor,
        kind=AccountEventKind.TOKEN_REVOKED,
        subject=owner,
        details=details,
    )


@dataclass(frozen=True)
class IssuedToken:
    """A token as shown once to its owner."""

    id: int
    token: str
    username: str
    expires_at: datetime


def issue_token(
    session: Session,
    *,
    username: str,
    clock: Clock,
    lifetime: timedelta,
    label: str,
    actor: Actor | None = None,
) -> IssuedToken:
    """Create a token for an active user; the clear token exists only in the return value.
    `token_created` names `actor`, or the user themself (a login, a web sign-in)."""
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
    record_event(
        session,
        clock=clock,
        actor=actor or actor_of(user),
        kind=AccountEventKind.TOKEN_CREATED,
        subject=user,
        details={"token_id": row.id, "label": row.label, "expires_at": row.expires_at.isoformat()},
    )
    return IssuedToken(row.id, token, user.username, row.expires_at)


def revoke_tokens(
    session: Session,
    *,
    clock: Clock,
    token_id: int | None = None,
    username: str | None = None,
    token: str | None = None,
    actor: Actor | None = None,
) -> int:
    """Revoke one token (by id, or by its clear value), or every live token of a user;
    returns how many were revoked. `token_revoked` names `actor`, or the token's owner (a
    sign-out)."""
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
    rows = list(session.exec(query))
    for row in rows:
        owner = session.get(User, row.user_id)
        assert owner is not None
        who = actor or actor_of(owner)
        _revoke(session, row, clock=clock, actor=who, owner=owner, because="revoked")
    return len(rows)


def list_tokens(session: Session, *, username: str) -> list[ApiToken]:
    user = get_user(session, username)
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(col(ApiToken.id))
    return list(session.exec(query))
