"""Which roles belong to one organization (docs/domain.md "Roles").

Staff, committee and executive act for their own organization; auditors have a scope
instead (models.visibility); admins have neither; the system is never a user.
"""

from __future__ import annotations

from models.enums import Role

ORG_ROLES: tuple[Role, ...] = (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE)
