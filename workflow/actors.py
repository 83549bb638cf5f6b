"""Who acts: a person in a role for an organization, or the scheduler."""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import Role
from models.visibility import Scope, scope_for


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: Role
    organization_id: int | None = None
    # Auditors: every organization of scope_province, plus scope_organization_ids.
    scope_province: str | None = None
    scope_organization_ids: frozenset[int] = frozenset()

    def belongs_to(self, organization_id: int) -> bool:
        return self.role is Role.SYSTEM or self.organization_id == organization_id

    @property
    def scope(self) -> Scope:
        """The organizations this actor may see (models.visibility)."""
        return scope_for(
            self.role,
            organization_id=self.organization_id,
            province=self.scope_province,
            listed=self.scope_organization_ids,
        )


SYSTEM = Actor(user_id=None, username="system", role=Role.SYSTEM)
