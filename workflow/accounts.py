"""Organizations and users: the people behind actors, and the account events that record
every change to a user (docs/domain.md "What auditors need"; docs/integrity.md "Account
events and the actor check")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sqlmodel import Session, col, select

from models.account import AccountEvent, AccountEventKind
from models.clock import Clock, today_bangkok
from models.enums import OrgType, Role
from models.organization import AuditorScope, Organization, User
from models.roles import ORG_ROLES
from workflow.actors import SYSTEM, Actor, Holding
from workflow.errors import (
    Conflict,
    GuardRefused,
    NotFound,
    ValidationFailed,
    reason,
    role_not_held,
)


def add_organization(
    session: Session, *, code: str, name: str, org_type: OrgType, district: str, province: str
) -> Organization:
    if session.exec(select(Organization).where(Organization.code == code)).first():
        raise ValidationFailed(
            [
                reason(
                    "organization_exists",
                    f"มีหน่วยงานรหัส {code} อยู่แล้ว",
                    f"organization {code} already exists",
                )
            ]
        )
    org = Organization(
        code=code, name=name, org_type=org_type, district=district, province=province
    )
    session.add(org)
    session.flush()
    return org


def get_organization_by_code(session: Session, code: str) -> Organization:
    org = session.exec(select(Organization).where(Organization.code == code)).first()
    if org is None:
        raise NotFound(
            [
                reason(
                    "organization_not_found",
                    f"ไม่พบหน่วยงานรหัส {code}",
                    f"no organization with code {code}",
                )
            ]
        )
    return org


def add_user(
    session: Session,
    *,
    clock: Clock,
    username: str,
    role: Role,
    full_name: str = "",
    organization: Organization | None = None,
    scope_province: str | None = None,
    scope_organizations: tuple[Organization, ...] = (),
    actor: Actor = SYSTEM,
) -> User:
    """Staff, committee and executive belong to one organization; auditors have a scope;
    admins have neither. The system actor is never a user. Writes the `created` event
    (`actor`: who adds the user; the system for seeded data)."""
    if role is Role.SYSTEM:  # one field's rule: 422
        raise ValidationFailed(
            [reason("role_reserved", "บทบาท system สงวนไว้สำหรับระบบ", "the system role is reserved")]
        )
    problems = []  # fields that do not go together: 409, as the OpenAPI document cannot say so
    if role in ORG_ROLES and organization is None:
        problems.append(
            reason(
                "organization_required",
                "ต้องระบุหน่วยงาน",
                f"a {role.value} user belongs to an organization",
            )
        )
    if role is Role.AUDITOR and not (scope_province or scope_organizations):
        problems.append(
            reason(
                "scope_required",
                "ต้องระบุขอบเขตจังหวัดหรือหน่วยงาน",
                "an auditor needs a province or organizations in scope",
            )
        )
    if problems:
        raise GuardRefused(problems)
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(
            [reason("username_taken", f"มีผู้ใช้ {username} อยู่แล้ว", f"username {username} is taken")]
        )
    user = User(
        username=username,
        full_name=full_name or username,
        role=role,
        organization_id=organization.id if organization and role in ORG_ROLES else None,
        scope_province=scope_province,
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    for org in scope_organizations:
        assert user.id is not None and org.id is not None
        session.add(AuditorScope(user_id=user.id, organization_id=org.id))
    session.flush()
    record_event(
        session,
        clock=clock,
        actor=actor,
        kind=AccountEventKind.CREATED,
        subject=user,
        details={"after": account_of(session, user)},
    )
    from workflow.memberships import add_membership  # memberships imports this module

    today = today_bangkok(clock)
    org_id = user.organization_id
    add_membership(
        session, actor=actor, clock=clock, user=user, role=role, organization_id=org_id,
        starts_on=today,
    )  # fmt: skip
    return user


def account_of(session: Session, user: User) -> dict[str, Any]:
    """What an account event says an account is: role, organization, auditor scope."""
    listed = session.exec(
        select(AuditorScope.organization_id).where(AuditorScope.user_id == user.id)
    ).all()
    return {
        "role": Role(user.role).value,
        "organization_id": user.organization_id,
        "scope_province": user.scope_province,
        "scope_organization_ids": sorted(listed),
    }


def record_event(
    session: Session,
    *,
    clock: Clock,
    actor: Actor,
    kind: AccountEventKind,
    subject: User,
    details: dict[str, Any] | None = None,
) -> AccountEvent:
    """Append one account event in the caller's transaction (never a secret in `details`)."""
    assert subject.id is not None
    event = AccountEvent(
        at=clock.now(),
        kind=kind,
        actor_user_id=actor.user_id,
        actor_username=actor.username,
        actor_role=actor.role,
        subject_user_id=subject.id,
        subject_username=subject.username,
        details=details or {},
    )
    session.add(event)
    session.flush()
    return event


def find_user(session: Session, username: str) -> User:
    """A user, active or not (deactivated users are kept: history names them)."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound([reason("user_not_found", f"ไม่พบผู้ใช้ {username}", f"no user {username}")])
    return user


def get_user(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not user.is_active:
        raise NotFound(
            [reason("user_not_found", f"ไม่พบผู้ใช้ {username}", f"no active user {username}")]
        )
    return user


def actor_for(session: Session, user: User, clock: Clock | None = None) -> Actor:
    """The actor for a user; only an auditor's listed scope is read (every request builds
    one, so the other roles skip the query: their scope is their organization). With a
    clock: in the memberships in force today (docs/domain.md "Memberships"); without one,
    in the account's primary role (the seed, the tests' built actors)."""
    held = None
    if clock is not None:
        from workflow.memberships import in_force

        held = in_force(session.connection(), user.id, today_bangkok(clock))
    auditor = Role(user.role) is Role.AUDITOR or any(h.role is Role.AUDITOR for h in held or ())
    scope = (
        session.exec(
            select(AuditorScope.organization_id).where(AuditorScope.user_id == user.id)
        ).all()
        if auditor
        else ()
    )
    return actor_of(user, scope, held)


def actor_of(
    user: User,
    scope: Iterable[int] = (),
    held: tuple[Holding, ...] | None = None,
    as_role: str | None = None,
) -> Actor:
    """The actor for a user whose auditor scope (organization ids) the caller read, in the
    memberships `held` (None: the account's primary role alone), acting in `as_role` when
    named (it must be held: else `role_not_held`)."""
    actor = Actor(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        organization_id=user.organization_id,
        scope_province=user.scope_province,
        scope_organization_ids=frozenset(scope),
    )
    return actor if held is None else in_role(actor, held, as_role)


def in_role(actor: Actor, held: tuple[Holding, ...], as_role: str | None) -> Actor:
    """The actor in the role named, or in the one held, or (several held, none named) in the
    primary role with `chosen` false, so that each action's table rule decides
    (Actor.acting); holding nothing: the primary role with no organization and no power."""
    if as_role:
        named = [h for h in held if h.role.value == as_role]
        if not named:
            raise role_not_held(as_role, [h.role for h in held])
        return replace(actor, role=named[0].role, organization_id=named[0].organization_id,
                       held=held, chosen=True)  # fmt: skip
    if not held:
        return replace(actor, organization_id=None, held=())
    primary = Holding(actor.role, actor.organization_id)
    first = primary if primary in held else held[0]
    return replace(actor, role=first.role, organization_id=first.organization_id, held=held,
                   chosen=len(held) == 1)  # fmt: skip


def list_users(session: Session) -> list[tuple[User, str, list[str]]]:
    """Every user with their organization's name and, for auditors, their listed scope."""
    orgs = {o.id: o for o in session.exec(select(Organization))}
    scopes: dict[int, list[str]] = {}
    for row in session.exec(select(AuditorScope)):
        org = orgs.get(row.organization_id)
        scopes.setdefault(row.user_id, []).append(org.code if org else "?")
    users = session.exec(select(User).order_by(col(User.role), col(User.username)))
    return [
        (
            u,
            orgs[u.organization_id].name if u.organization_id in orgs else "",
            scopes.get(u.id or 0, []),
        )
        for u in users
    ]
