"""An admin deactivates, reactivates, or changes the role or auditor scope of a user.

A deactivated user is kept (history names them) but can neither sign in nor use a token: a
deactivation ends every session and token at once. Each change writes its account event in
the same transaction; the role history those events give is what `audit verify` checks each
record's actor against (workflow/verify_actors.py). Plain functions over a session: they
flush, never commit.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, delete, func, select

from models.account import AccountEventKind
from models.clock import Clock, today_bangkok
from models.enums import Role
from models.membership import Membership
from models.organization import AuditorScope, User
from models.roles import ORG_ROLES
from workflow import input_rules as rules
from workflow.account_admin import end_tokens, require_admin
from workflow.accounts import account_of, find_user, get_organization_by_code, record_event
from workflow.actors import Actor
from workflow.errors import Conflict, Forbidden, GuardRefused, ValidationFailed, reason


def deactivate_user(session: Session, *, actor: Actor, clock: Clock, username: str) -> User:
    """Deactivate a user and end their sessions and tokens; never oneself nor the last admin."""
    actor = require_admin(actor)
    user = find_user(session, username)
    if not user.is_active:
        raise Conflict(
            [
                reason(
                    "already_deactivated",
                    f"ผู้ใช้ {username} ถูกระงับอยู่แล้ว",
                    f"user {username} is already deactivated",
                )
            ]
        )
    if actor.user_id is not None and actor.user_id == user.id:
        raise Forbidden(
            [
                reason(
                    "cannot_deactivate_self",
                    "ผู้ดูแลระบบระงับบัญชีของตนเองไม่ได้",
                    "an admin may not deactivate their own account",
                )
            ]
        )
    _keep_an_admin(session, user, "deactivate")
    user.is_active = False
    session.add(user)
    session.flush()
    kind = AccountEventKind.DEACTIVATED
    record_event(session, clock=clock, actor=actor, kind=kind, subject=user)
    end_tokens(session, clock=clock, actor=actor, user=user, because=kind)
    return user


def reactivate_user(session: Session, *, actor: Actor, clock: Clock, username: str) -> User:
    """Let a deactivated user sign in again (their old tokens stay revoked)."""
    actor = require_admin(actor)
    user = find_user(session, username)
    if user.is_active:
        raise Conflict(
            [
                reason(
                    "not_deactivated",
                    f"ผู้ใช้ {username} ไม่ได้ถูกระงับ",
                    f"user {username} is not deactivated",
                )
            ]
        )
    user.is_active = True
    session.add(user)
    session.flush()
    record_event(session, clock=clock, actor=actor, kind=AccountEventKind.REACTIVATED, subject=user)
    return user


def change_role(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    username: str,
    role: Role,
    organization_code: str | None = None,
) -> User:
    """Give a user another role (and organization, for staff, committee and executive).
    An auditor's scope is set with `change_scope`; an admin keeps at least one admin."""
    actor = require_admin(actor)
    user = find_user(session, username)
    organization_code = rules.optional_text(
        organization_code, field="organization_code", max_length=rules.CODE_MAX
    )
    if role is Role.SYSTEM:
        raise ValidationFailed(
            [reason("role_reserved", "บทบาท system สงวนไว้สำหรับระบบ", "the system role is reserved")]
        )
    if role in ORG_ROLES and organization_code is None:
        raise GuardRefused(
            [
                reason(
                    "organization_required",
                    "ต้องระบุหน่วยงาน",
                    f"a {role.value} user belongs to an organization",
                )
            ]
        )
    org = (
        get_organization_by_code(session, organization_code)
        if role in ORG_ROLES and organization_code is not None
        else None
    )
    if role is not Role.ADMIN:
        _keep_an_admin(session, user, "change the role of")
    before = account_of(session, user)
    user.role = role
    user.organization_id = org.id if org is not None else None
    session.add(user)
    session.flush()
    after = account_of(session, user)
    if after != before:
        details = {"before": before, "after": after}
        kind = AccountEventKind.ROLE_CHANGED
        record_event(session, clock=clock, actor=actor, kind=kind, subject=user, details=details)
        _move_memberships(session, actor=actor, clock=clock, user=user)
    return user


def _move_memberships(session: Session, *, actor: Actor, clock: Clock, user: User) -> None:
    """A change of the primary role ends every membership still open (its last day
    yesterday) and grants the new role from today (docs/domain.md "Memberships")."""
    from workflow.memberships import add_membership, close  # memberships imports accounts

    today = today_bangkok(clock)
    open_ones = select(Membership).where(
        Membership.user_id == user.id,
        sa.or_(col(Membership.ends_on).is_(None), col(Membership.ends_on) >= today),
    )
    for row in session.exec(open_ones.order_by(col(Membership.id))).all():
        close(session, actor=actor, clock=clock, user=user, row=row,
              ends_on=today - timedelta(days=1))  # fmt: skip
    add_membership(
        session, actor=actor, clock=clock, user=user, role=Role(user.role),
        organization_id=user.organization_id, starts_on=today,
    )  # fmt: skip


def change_scope(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    username: str,
    province: str | None,
    organization_codes: tuple[str, ...] = (),
) -> User:
    """Set an auditor's scope: a province, listed organizations, or both (not neither)."""
    actor = require_admin(actor)
    user = find_user(session, username)
    province = rules.optional_text(province, field="scope_province", max_length=rules.FILTER_MAX)
    province = None if province is None else rules.province(province)  # one of the 77
    codes = [rules.code(c, field="scope_organization_codes") for c in organization_codes]
    organization_codes = tuple(rules.distinct(codes))
    if Role(user.role) is not Role.AUDITOR or not (province or organization_codes):
        raise GuardRefused(
            [
                reason(
                    "scope_required",
                    "ขอบเขตใช้กับผู้ตรวจสอบ และต้องระบุจังหวัดหรือหน่วยงาน",
                    "a scope is an auditor's, and names a province or organizations",
                )
            ]
        )
    listed = {get_organization_by_code(session, c).id for c in organization_codes}
    before = account_of(session, user)
    session.exec(delete(AuditorScope).where(col(AuditorScope.user_id) == user.id))
    for org_id in sorted(i for i in listed if i is not None):
        assert user.id is not None
        session.add(AuditorScope(user_id=user.id, organization_id=org_id))
    user.scope_province = province
    session.add(user)
    session.flush()
    details = {"before": before, "after": account_of(session, user)}
    kind = AccountEventKind.SCOPE_CHANGED
    record_event(session, clock=clock, actor=actor, kind=kind, subject=user, details=details)
    return user


def _keep_an_admin(session: Session, user: User, doing: str) -> None:
    """Refuse to leave the installation without an active admin."""
    if Role(user.role) is not Role.ADMIN or not user.is_active:
        return
    others = session.exec(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, col(User.is_active).is_(True), User.id != user.id)
    ).one()
    if others == 0:
        raise Forbidden(
            [
                reason(
                    "last_admin",
                    "ต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน",
                    f"cannot {doing} the last active admin",
                )
            ]
        )
