"""Progress for citizens as JSON (docs/api.md "Public progress"; docs/domain.md "Public
progress"): no sign-in; a plan on the public board only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

from api.deps import ServicesDep
from api.routes.common import problems
from api.routing import Routes
from models.clock import today_bangkok
from models.db import read_session
from workflow.public_progress import public_progress

router = Routes(prefix="/public", tags=["public"], responses=problems(404, 422))
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1, description="a posted plan's id")]


@router.get("/plans/{plan_id}/progress")
def plan_progress(plan_id: PlanId, services: ServicesDep) -> dict[str, Any]:
    """Each project and equipment row of a posted plan with its status, budget planned,
    committed and disbursed, and the as-of date of its latest entry (null: none yet), with
    the URLs of its photos' public copies; 404 `not_found` (`progress_not_public`) for a plan
    not on the public board."""
    with read_session(services.engine) as session:
        return public_progress(session, plan_id=plan_id, today=today_bangkok(services.clock))
