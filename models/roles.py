"""Which roles belong to one organization (docs/domain.md "Roles").

Staff, committee, executive and monitoring committee act for their own organization;
auditors have a scope instead (models.visibility); admins have neither; the system is never a user.
"""

from __future__ import annotations

from models.enums import Role

# The monitoring committee (clause 28) is the organization's too (docs/domain.md "Monitoring
# reports").
ORG_ROLES: tuple[Role, ...] = (
    Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.MONITORING_COMMITTEE
)
