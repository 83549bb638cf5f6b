"""Memberships: an admin grants a person a role from a date, and ends it (docs/domain.md
"Memberships"; docs/integrity.md "Account events and the actor check").

Each grant and each ending writes its account event (`membership_granted`,
`membership_ended`, with the membership as it then stands) in the same transaction; those
events are what `audit verify` rebuilds every person's roles from (workflow/verify_actors.py).
A membership is in force on the Bangkok days from `starts_on` to `ends_on` inclusive. Plain
functions over a session: they flush, never commit.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlmodel import Session, col, func, select

from models.account import AccountEventKind
from models.clock import Clock, today_bangkok
from models.enums import Role
from models.membership import Membership
from models.organization import User
from models.roles import ORG_ROLES
from workflow import input_rules as rules
from workflow.accounts import find_user, get_organization_by_code, record_event
from workflow.actors import Actor, Holding
from workflow.errors import Conflict, Forbidden, GuardRefused, NotFound, ValidationFailed, reason

_MEMBERS = cast(sa.Table, Membership.__table__)  # type: ignore[attr-defined]
def in_force_on(user_id: Any, day: Any) -> sa.ColumnElement[bool]:
    """A membership of `user_id` in force on `day` (columns or bound parameters): from its
    start to its end, both included; the one statement of the rule (the sign-in lookup in
    api/auth.py joins on it too)."""
    return sa.and_(
        _MEMBERS.c.user_id == user_id,
        _MEMBERS.c.starts_on <= day,
        sa.or_(_MEMBERS.c.ends_on.is_(None), _MEMBERS.c.ends_on >= day),
    )


_IN_FORCE = sa.select(_MEMBERS.c.role, _MEMBERS.c.organization_id).where(
    in_force_on(sa.bindparam("user_id"), sa.bindparam("day"))
)


def in_force(conn: Connection, user_id: int | None, day: date) -> tuple[Holding, ...]:
    """The memberships of a user in force on a day (one plain statement: every request asks)."""
    rows = conn.execute(_IN_FORCE, {"user_id": user_id, "day": day})
    return tuple(sorted({Holding(Role(r.role), r.organization_id) for r in rows}))


def memberships_of(session: Session, username: str) -> list[Membership]:
    """Every membership of a user, current and past, oldest first."""
    user = find_user(session, username)
    query = select(Membership).where(Membership.user_id == user.id)
    return list(session.exec(query.order_by(col(Membership.starts_on), col(Membership.id))))


def held_today(session: Session, user_id: int | None, day: date) -> list[Membership]:
    """A user's memberships in force on a day, by role then organization (what `GET /me`
    lists)."""
    query = select(Membership).where(
        Membership.user_id == user_id, Membership.starts_on <= day,
        sa.or_(col(Membership.ends_on).is_(None), col(Membership.ends_on) >= day))
    rows = session.exec(query).all()
    return sorted(rows, key=lambda m: (Role(m.role).value, m.organization_id or 0, m.id or 0))


def described(m: Membership) -> dict[str, Any]:
    """A membership as its account events name it."""
    return {
        "id": m.id,
        "role": Role(m.role).value,
        "organization_id": m.organization_id,
        "starts_on": m.starts_on.isoformat(),
        "ends_on": m.ends_on.isoformat() if m.ends_on else None,
    }


def grant_membership(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    username: str,
    role: Role,
    organization_code: str | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Membership:
    """An admin grants a user a role (for an organization: staff, committee, executive) from
    `starts_on` (today by default) to `ends_on` (open by default)."""
    from workflow.account_admin import require_admin  # account_admin imports accounts

    actor = require_admin(actor)
    user = find_user(session, username)
    code = rules.optional_text(
        organization_code, field="organization_code", max_length=rules.CODE_MAX
    )
    start = rules.optional_date(starts_on, field="starts_on") or today_bangkok(clock)
    end = rules.optional_date(ends_on, field="ends_on")
    _check_role(session, user, role, code)
    if end is not None and end < start:
        raise ValidationFailed([_ends_before(start)])
    org_id = get_organization_by_code(session, code).id if role in ORG_ROLES and code else None
    _no_overlap(session, user, role, org_id, start, end)
    return add_membership(
        session, actor=actor, clock=clock, user=user, role=role, organization_id=org_id,
        starts_on=start, ends_on=end,
    )  # fmt: skip


def add_membership(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    user: User,
    role: Role,
    organization_id: int | None,
    starts_on: date,
    ends_on: date | None = None,
) -> Membership:
    """Store a membership and its `membership_granted` event (the rules checked by the caller)."""
    assert user.id is not None
    row = Membership(
        user_id=user.id,
        role=role,
        organization_id=organization_id if role in ORG_ROLES else None,
        starts_on=starts_on,
        ends_on=ends_on,
        granted_at=clock.now(),
    )
    session.add(row)
    session.flush()
    kind = AccountEventKind.MEMBERSHIP_GRANTED
    details = {"membership": described(row)}
    record_event(session, clock=clock, actor=actor, kind=kind, subject=user, details=details)
    return row


def end_membership(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    username: str,
    membership_id: int,
    ends_on: date | None = None,
) -> Membership:
    """An admin ends a membership: `ends_on` is its last day in force (yesterday by default,
    so it authorizes nothing from now on); never the last active admin's."""
    from workflow.account_admin import require_admin

    actor = require_admin(actor)
    user = find_user(session, username)
    row = session.get(Membership, membership_id)
    if row is None or row.user_id != user.id:
        raise NotFound(
            [
                reason(
                    "membership_not_found",
                    f"ไม่พบการดำรงบทบาทหมายเลข {membership_id} ของผู้ใช้ {username}",
                    f"user {username} has no membership {membership_id}",
                )
            ]
        )
    today = today_bangkok(clock)
    end = rules.optional_date(ends_on, field="ends_on") or today - timedelta(days=1)
    if row.ends_on is not None and row.ends_on < today:
        raise Conflict(
            [
                reason(
                    "membership_ended",
                    f"การดำรงบทบาทนี้สิ้นสุดแล้วเมื่อ {row.ends_on.isoformat()}",
                    f"membership {membership_id} already ended on {row.ends_on.isoformat()}",
                )
            ]
        )
    if end < row.starts_on - timedelta(days=1):
        raise ValidationFailed([_ends_before(row.starts_on)])
    if Role(row.role) is Role.ADMIN and end < today:
        _keep_an_admin(session, row)
    return close(session, actor=actor, clock=clock, user=user, row=row, ends_on=end)


def close(
    session: Session, *, actor: Actor, clock: Clock, user: User, row: Membership, ends_on: date
) -> Membership:
    """Set a membership's last day and write its `membership_ended` event."""
    row.ends_on = ends_on
    session.add(row)
    session.flush()
    kind = AccountEventKind.MEMBERSHIP_ENDED
    details = {"membership": described(row)}
    record_event(session, clock=clock, actor=actor, kind=kind, subject=user, details=details)
    return row


def _ends_before(start: date) -> Any:
    return reason(
        "ends_before_start",
        "วันสิ้นสุดต้องไม่ก่อนวันเริ่มดำรงบทบาท",
        f"a membership cannot end before it starts ({start.isoformat()})",
    )


def _check_role(session: Session, user: User, role: Role, code: str | None) -> None:
    """The role's own rules: never the system's; an organization's role names one; an
    auditor's membership needs the account's scope."""
    if role is Role.SYSTEM:
        raise ValidationFailed(
            [reason("role_reserved", "บทบาท system สงวนไว้สำหรับระบบ", "the system role is reserved")]
        )
    if role in ORG_ROLES and code is None:
        raise GuardRefused(
            [
                reason(
                    "organization_required",
                    "ต้องระบุหน่วยงาน",
                    f"a {role.value} membership belongs to an organization",
                )
            ]
        )
    if role is Role.AUDITOR and not user.scope_province and not _listed(session, user):
        raise GuardRefused(
            [
                reason(
                    "scope_required",
                    "ต้องกำหนดขอบเขตของผู้ตรวจสอบก่อน",
                    "an auditor's membership needs the account's scope first",
                )
            ]
        )


def _listed(session: Session, user: User) -> bool:
    from models.organization import AuditorScope

    query = select(AuditorScope.organization_id).where(AuditorScope.user_id == user.id)
    return session.exec(query).first() is not None


def _no_overlap(
    session: Session, user: User, role: Role, org_id: int | None, start: date, end: date | None
) -> None:
    """The same role for the same organization is held once at a time."""
    for m in session.exec(select(Membership).where(Membership.user_id == user.id)):
        if Role(m.role) is not role or m.organization_id != org_id:
            continue
        if (m.ends_on is None or m.ends_on >= start) and (end is None or m.starts_on <= end):
            raise Conflict(
                [
                    reason(
                        "membership_overlaps",
                        f"ผู้ใช้ {user.username} ดำรงบทบาทนี้อยู่แล้วในช่วงเวลาดังกล่าว (หมายเลข {m.id})",
                        f"user {user.username} already holds {role.value} then (membership {m.id})",
                    )
                ]
            )


def _keep_an_admin(session: Session, row: Membership) -> None:
    """Refuse to end the last open admin membership of any active user."""
    others = session.exec(
        select(func.count())
        .select_from(Membership)
        .join(User, col(User.id) == Membership.user_id)
        .where(
            Membership.role == Role.ADMIN,
            col(User.is_active).is_(True),
            Membership.id != row.id,
            col(Membership.ends_on).is_(None),
        )
    ).one()
    if others == 0:
        raise Forbidden(
            [
                reason(
                    "last_admin",
                    "ต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน",
                    "cannot end the last active admin's membership",
                )
            ]
        )
