"""Who acts: a person in a role for an organization, or the scheduler.

A person may hold several roles (docs/domain.md "Memberships"): `held` lists the memberships
in force today, and `role` is the one this act is done in. An actor whose role was not named
(`chosen` false) and who holds more than one takes, for each action, the one held role the
workflow table permits (`acting`), or is refused as ambiguous.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from models.enums import Role
from models.roles import ORG_ROLES
from models.visibility import Scope, merged, scope_for
from workflow.errors import role_ambiguous


@dataclass(frozen=True, order=True)
class Holding:
    """One membership in force: a role and, for staff, committee and executive, the
    organization it is held for."""

    role: Role
    organization_id: int | None = None


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: Role
    organization_id: int | None = None
    # Auditors: every organization of scope_province, plus scope_organization_ids.
    scope_province: str | None = None
    scope_organization_ids: frozenset[int] = frozenset()
    # The memberships in force (None: exactly `role` for `organization_id`, as the scheduler,
    # the operator and a built actor hold; empty: a person who holds nothing today).
    held: tuple[Holding, ...] | None = None
    chosen: bool = True  # the role was named, or is the only one held

    @property
    def holdings(self) -> tuple[Holding, ...]:
        if self.held is None:
            return (Holding(self.role, self.organization_id),)
        return self.held

    def holds(self, role: Role, organization_id: int | None = None) -> bool:
        """Whether a membership in force gives this role (for this organization, when one is
        named and the role is an organization's)."""
        return any(h.role is role and _for(h, organization_id) for h in self.holdings)

    def belongs_to(self, organization_id: int) -> bool:
        if self.role is Role.SYSTEM:
            return True
        if self.chosen:
            return self.organization_id == organization_id and self.holds(self.role)
        return any(h.organization_id == organization_id for h in self.holdings)

    @property
    def roles_now(self) -> tuple[Role, ...]:
        """The roles this actor is in now: the one chosen (if held), or, when several are
        held and none was named, every one held."""
        if self.chosen:
            return (self.role,) if self.holds(self.role) else ()
        return tuple(sorted({h.role for h in self.holdings}))

    def may_be(self, role: Role, organization_id: int | None = None) -> bool:
        """Whether the actor is, or (none chosen) may act as, `role` for the organization (any,
        when none is named): what a read-only page shows its forms and links by."""
        if self.chosen:
            return self.role is role and self.holds(role) and (
                organization_id is None or role not in ORG_ROLES
                or self.organization_id == organization_id
            )
        return self.holds(role, organization_id)

    @property
    def scope(self) -> Scope:
        """The organizations this actor may see (models.visibility): the acting role's, or,
        when several are held and none was named, every held role's together."""
        if not self.chosen:
            return merged(self._scope_of(h) for h in self.holdings)
        if not self.holds(self.role):
            return Scope()
        return self._scope_of(Holding(self.role, self.organization_id))

    def _scope_of(self, held: Holding) -> Scope:
        return scope_for(
            held.role,
            organization_id=held.organization_id,
            province=self.scope_province,
            listed=self.scope_organization_ids,
        )

    def acting(self, permitted: Collection[Role], organization_id: int | None = None) -> Actor:
        """The actor in the one held role that `permitted` (the table's roles for the action)
        allows, for `organization_id` when given; unchanged when the role was chosen or none
        fits (the caller's role check then refuses). Two or more: `role_ambiguous`."""
        if self.chosen:
            return self
        fits = sorted(
            {
                h
                for h in self.holdings
                if h.role in permitted and _for(h, organization_id)
            }
        )
        if not fits:
            return self
        if len(fits) > 1:
            raise role_ambiguous([h.role for h in fits])
        (one,) = fits
        return replace(self, role=one.role, organization_id=one.organization_id, chosen=True)


def _for(held: Holding, organization_id: int | None) -> bool:
    """Whether a membership counts for an organization (any, when none is named; an
    auditor's or admin's names none)."""
    return (
        organization_id is None
        or held.role not in ORG_ROLES
        or held.organization_id == organization_id
    )


SYSTEM = Actor(user_id=None, username="system", role=Role.SYSTEM)
