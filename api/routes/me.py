"""The caller: who they are, and their in-app alerts."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CurrentPrincipal, ServicesDep
from api.routes.common import problems
from api.schemas.accounts import AlertList, MeRead
from models.db import read_session
from workflow import audit_queries

router = APIRouter(prefix="/me", tags=["me"], responses=problems(401))


@router.get("", response_model=MeRead)
def me(who: CurrentPrincipal, services: ServicesDep) -> MeRead:
    """The caller's account, role, organization and auditor scope."""
    with read_session(services.engine) as session:
        org = audit_queries.get_organization(session, who.actor.organization_id)
        return MeRead.of(who, org)


@router.get("/alerts", response_model=AlertList)
def alerts(who: CurrentPrincipal) -> AlertList:
    """In-app alerts for the caller. The scheduler (a later issue) fills them; until then
    there are none."""
    return AlertList(items=[])
