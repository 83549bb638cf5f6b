"""Who receives a message: the people holding its audience's roles in the plan's organization,
and, when the audience names auditors, every auditor whose scope covers that organization."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, or_, select

from models.alert import UserContact
from models.enums import Role
from models.organization import AuditorScope, Organization, User
from models.roles import ORG_ROLES


def resolve(session: Session, *, organization_id: int, audience: Iterable[str]) -> list[User]:
    """Active users, each once, ordered by id."""
    roles = {Role(r) for r in audience if r in Role.__members__.values()}
    found: dict[int, User] = {}
    org_roles = [r for r in roles if r in ORG_ROLES]
    if org_roles:
        for user in session.exec(
            select(User).where(
                User.organization_id == organization_id,
                col(User.role).in_(org_roles),
                User.is_active == True,  # noqa: E712
            )
        ):
            assert user.id is not None
            found[user.id] = user
    if Role.AUDITOR in roles:
        for user in auditors_in_scope(session, organization_id):
            assert user.id is not None
            found[user.id] = user
    return [found[k] for k in sorted(found)]


def auditors_in_scope(session: Session, organization_id: int) -> list[User]:
    org = session.get(Organization, organization_id)
    if org is None:
        return []
    listed = select(AuditorScope.user_id).where(AuditorScope.organization_id == organization_id)
    return list(
        session.exec(
            select(User).where(
                User.role == Role.AUDITOR,
                User.is_active == True,  # noqa: E712
                or_(User.scope_province == org.province, col(User.id).in_(listed)),
            )
        )
    )


def emails(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    ids = list(user_ids)
    if not ids:
        return {}
    rows = session.exec(select(UserContact).where(col(UserContact.user_id).in_(ids)))
    return {row.user_id: row.email for row in rows if row.email}
