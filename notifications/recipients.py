"""Who receives a message: the people holding its audience's roles in the plan's organization,
and, when the audience names auditors, every auditor whose scope covers that organization;
when it names admins (a deadline the scheduler set aside), every admin."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.alert import LineContact, UserContact
from models.enums import Role
from models.membership import Membership
from models.organization import User
from models.roles import ORG_ROLES
from models.visibility import auditor_sees, user_sees


def resolve(session: Session, *, organization_id: int, audience: Iterable[str]) -> list[User]:
    """Active users, each once, ordered by id: those holding one of the audience's roles who
    see the organization (models.visibility: its own people, the auditors in scope)."""
    wanted = set(audience)
    roles = [r for r in (*ORG_ROLES, Role.AUDITOR) if r.value in wanted]
    who = sa.and_(col(User.role).in_(roles), user_sees(organization_id))
    members = [r for r in roles if r in ORG_ROLES]
    if members:  # and those holding the role by a membership not ended (docs/domain.md
        held = sa.select(col(Membership.user_id)).where(  # "Memberships")
            col(Membership.role).in_(members),
            col(Membership.organization_id) == organization_id,
            col(Membership.ends_on).is_(None),
        )
        who = sa.or_(who, col(User.id).in_(held))
    if Role.AUDITOR in roles:  # and those auditing by a membership, in the account's scope
        auditing = sa.select(col(Membership.user_id)).where(
            col(Membership.role) == Role.AUDITOR, col(Membership.ends_on).is_(None))
        who = sa.or_(who, sa.and_(col(User.id).in_(auditing), auditor_sees(organization_id)))
    if Role.ADMIN.value in wanted:  # admins belong to no organization: every admin is told
        who = sa.or_(who, col(User.role) == Role.ADMIN)
    elif not roles:
        return []
    return list(
        session.exec(
            select(User)
            .where(who, User.is_active == True)  # noqa: E712
            .order_by(col(User.id))
        )
    )


def emails(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    ids = list(user_ids)
    if not ids:
        return {}
    rows = session.exec(select(UserContact).where(col(UserContact.user_id).in_(ids)))
    return {row.user_id: row.email for row in rows if row.email}


def line_users(session: Session, user_ids: Iterable[int]) -> dict[int, list[LineContact]]:
    """The active LINE user ids linked to each person (one per channel they added)."""
    ids = list(user_ids)
    found: dict[int, list[LineContact]] = {}
    if not ids:
        return found
    rows = session.exec(
        select(LineContact)
        .where(
            col(LineContact.user_id).in_(ids),
            LineContact.kind == "user",
            LineContact.active == True,  # noqa: E712
        )
        .order_by(col(LineContact.id))
    )
    for row in rows:
        assert row.user_id is not None
        found.setdefault(row.user_id, []).append(row)
    return found


def line_groups(session: Session, organization_id: int) -> list[LineContact]:
    """The office's active LINE groups (or rooms) an admin linked to the organization."""
    return list(
        session.exec(
            select(LineContact)
            .where(
                LineContact.organization_id == organization_id,
                col(LineContact.kind).in_(["group", "room"]),
                LineContact.active == True,  # noqa: E712
            )
            .order_by(col(LineContact.id))
        )
    )
