"""The caller: who they are (their in-app alerts: api/routes/alerts.py)."""

from __future__ import annotations

from api.deps import CurrentPrincipal, ServicesDep
from api.routes.common import problems
from api.routing import Routes
from api.schemas.accounts import MeRead
from models.clock import today_bangkok
from models.db import read_session
from workflow import scoped_reads
from workflow.memberships import held_today

router = Routes(prefix="/me", tags=["me"], responses=problems(401))


@router.get("", response_model=MeRead)
def me(who: CurrentPrincipal, services: ServicesDep) -> MeRead:
    """The caller's account, role, organization and auditor scope; the memberships in force
    today (role, organization, first and last day) and the role acting now."""
    with read_session(services.engine) as session:
        org = scoped_reads.get_organization(session, who.actor.organization_id)
        rows = held_today(session, who.user.id, today_bangkok(services.clock))
        held = [(m, scoped_reads.get_organization(session, m.organization_id)) for m in rows]
        return MeRead.of(who, org, held)
