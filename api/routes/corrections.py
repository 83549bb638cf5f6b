"""Corrections of a plan's records (docs/domain.md "Corrections"): correct one, list them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body

from api.deps import CurrentPrincipal, RequestId, ServicesDep
from api.routes.common import READ, WRITE
from api.routes.plans import PlanId, shown
from api.routing import Routes
from api.schemas.corrections import CORRECTION_EXAMPLES, CorrectionRead, CorrectionRequest
from api.schemas.plans import PlanDetailRead
from models.db import read_session
from workflow import scoped_reads
from workflow.corrected import CORRECT
from workflow.corrections import correct_record

router = Routes(prefix="/plans", tags=["plans"])


@router.post(
    "/{plan_id}/corrections", status_code=201, response_model=PlanDetailRead, responses=WRITE
)
async def correct(
    plan_id: PlanId,
    body: Annotated[CorrectionRequest, Body(openapi_examples=CORRECTION_EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
    request_id: RequestId,
) -> PlanDetailRead:
    """Correct a field of one of the plan's records by a record of its own (the role that
    acted, or the executive); the deadlines it counts are recomputed."""
    detail = await services.run(
        shown(
            services,
            who.actor,
            lambda s: correct_record(
                s,
                services.ctx,
                plan_id=plan_id,
                seq=body.record_seq,
                field=body.field,
                value=body.value,
                reason_text=body.reason,
                actor=who.actor,
                expected_version=body.expected_version,
                request_id=request_id,
            ),
        )
    )
    return PlanDetailRead.of_detail(detail)


@router.get("/{plan_id}/corrections", response_model=list[CorrectionRead], responses=READ)
def corrections(
    plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep
) -> list[CorrectionRead]:
    """Every correction of the plan's records, oldest first (each also in its history)."""
    with read_session(services.engine) as session:
        history = scoped_reads.get_plan_history(session, who.actor, plan_id)
    return [CorrectionRead.of(r) for r in history.records if r.action == CORRECT]
