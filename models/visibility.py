"""Which organizations someone may see: one rule, stated once as a SQL predicate.

docs/domain.md "Roles" and "What auditors need": staff, committee and executive see their
own organization; an auditor sees every organization of the province of its scope plus the
organizations listed for it (`auditor_scope`); an admin sees no plans; the system sees
everything. A plan outside what someone sees is "not found".

`covers` is the rule. It is asked two ways round:
- `visible(scope, column)`: from a viewer's `Scope` (plain values) to the rows whose
  organization it covers (the plans a command may touch, the read side's queries, the
  digest's deadlines);
- `user_sees(organization_id)`: from one organization to the rows of `user` who see it (the
  auditors a message about that organization goes to).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, or_, select

from models.enums import Role
from models.membership import Membership
from models.organization import AuditorScope, Organization, User
from models.roles import ORG_ROLES

_ORG = cast(sa.Table, Organization.__table__)  # type: ignore[attr-defined]
_USER = cast(sa.Table, User.__table__)  # type: ignore[attr-defined]
_LISTED = cast(sa.Table, AuditorScope.__table__)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Scope:
    """What one viewer sees: everything, or its own organization, or an auditor's province
    and listed organizations."""

    everything: bool = False
    organization_id: int | None = None
    province: str | None = None
    organization_ids: frozenset[int] = frozenset()


def scope_for(
    role: Role,
    *,
    organization_id: int | None = None,
    province: str | None = None,
    listed: Iterable[int] = (),
) -> Scope:
    """The scope of a role with these facts (an auditor's organization, another role's
    province or listed organizations do not count)."""
    if role is Role.SYSTEM:
        return Scope(everything=True)
    if role is Role.AUDITOR:
        return Scope(province=province, organization_ids=frozenset(listed))
    if role in ORG_ROLES:
        return Scope(organization_id=organization_id)
    return Scope()


def merged(scopes: Iterable[Scope]) -> Scope:
    """What several scopes see together (a person holding several roles, none chosen). Two
    organizations of their own (staff of one office, executive of another) are listed."""
    found = list(scopes)
    own = {s.organization_id for s in found if s.organization_id is not None}
    listed = frozenset().union(*(s.organization_ids for s in found))
    provinces = {s.province for s in found if s.province is not None}
    if any(s.everything for s in found):
        return Scope(everything=True)
    if len(own) > 1:
        listed, own = listed | own, set()
    return Scope(
        organization_id=next(iter(own), None),
        province=next(iter(provinces), None),  # an auditor's one province (the account's)
        organization_ids=listed,
    )


def user_scope(session: Session, user: User, day: date | None = None) -> Scope:
    """A user's scope; an auditor's listed organizations are read from `auditor_scope`. With
    `day`: by the memberships in force that day (docs/domain.md "Memberships"), every held
    role's together, nothing when none is; without: the account's primary role."""
    held = [(Role(user.role), user.organization_id)]
    if day is not None:
        held = [(Role(r), o) for r, o in session.exec(
            select(Membership.role, Membership.organization_id).where(
                Membership.user_id == user.id, Membership.starts_on <= day,
                or_(col(Membership.ends_on).is_(None), col(Membership.ends_on) >= day)))]
    listed: Iterable[int] = ()
    if any(role is Role.AUDITOR for role, _ in held):
        listed = session.exec(
            select(AuditorScope.organization_id).where(AuditorScope.user_id == user.id)
        ).all()
    return merged(
        scope_for(role, organization_id=own, province=user.scope_province, listed=listed)
        for role, own in held
    )


def covers(
    organization_id: ColumnElement[Any],
    *,
    own: ColumnElement[Any] | int | None,
    province: ColumnElement[Any] | str | None,
    listed: sa.Select[Any] | Collection[int],
) -> ColumnElement[bool]:
    """THE rule: the organization is the viewer's own, or of the viewer's province, or listed
    for the viewer. Each part is a plain value or a column of the viewer's row; a part that
    is None (or an empty list) is left out."""
    parts: list[ColumnElement[bool]] = []
    if own is not None:
        parts.append(organization_id == own)
    if province is not None:
        # correlate_except: never the caller's own `organization` (list queries join it)
        of_province = (
            sa.select(_ORG.c.id).where(_ORG.c.province == province).correlate_except(_ORG)
        )
        parts.append(organization_id.in_(of_province))
    if isinstance(listed, sa.Select):
        parts.append(organization_id.in_(listed))
    elif listed:
        parts.append(organization_id.in_(sorted(listed)))
    return sa.or_(*parts) if parts else sa.false()


def visible(scope: Scope, organization_id: Any) -> ColumnElement[bool]:
    """Rows whose organization (`organization_id`: a column or a model's attribute) the scope
    covers."""
    if scope.everything:
        return sa.true()
    return covers(
        cast(ColumnElement[Any], organization_id),
        own=scope.organization_id,
        province=scope.province,
        listed=scope.organization_ids,
    )


def plainly_sees(scope: Scope, organization_id: int) -> bool:
    """The cases of `sees` answered without asking the database: everything, and the
    viewer's own organization."""
    return scope.everything or organization_id == scope.organization_id


def sees(session: Session, scope: Scope, organization_id: int) -> bool:
    """Whether the scope covers one organization (the plain cases answered without asking the
    database: `plainly_sees`)."""
    if plainly_sees(scope, organization_id):
        return True
    query = select(col(Organization.id)).where(
        col(Organization.id) == organization_id, visible(scope, Organization.id)
    )
    return session.exec(query).first() is not None


def auditor_sees(organization_id: int) -> ColumnElement[bool]:
    """Over the rows of `user`: those whose auditor's scope (the account's province and listed
    organizations) covers this organization, whatever their role."""
    org = sa.literal(organization_id, sa.Integer)
    listed = sa.select(_LISTED.c.organization_id).where(_LISTED.c.user_id == _USER.c.id)
    return covers(org, own=None, province=_USER.c.scope_province, listed=listed)


def user_sees(organization_id: int) -> ColumnElement[bool]:
    """Over the rows of `user`: the people who see this organization, role by role."""
    org = sa.literal(organization_id, sa.Integer)
    auditor = auditor_sees(organization_id)
    member = covers(org, own=_USER.c.organization_id, province=None, listed=())
    return sa.or_(
        sa.and_(_USER.c.role == Role.AUDITOR, auditor),
        sa.and_(_USER.c.role.in_(ORG_ROLES), member),
    )
