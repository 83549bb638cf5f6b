"""Plans: create, list, read, act, extend a deadline, history, state at an instant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Body, Path, Query, Request, Response
from sqlmodel import Session

from api.deps import (
    CurrentPrincipal,
    RequestId,
    Services,
    ServicesDep,
    request_id_of,
    services_of,
)
from api.evidence_config import attaching
from api.routes import action_body
from api.routes.common import READ, WRITE
from api.routing import Routes
from api.schemas.common import (
    Cursor,
    FiscalYear,
    Instant,
    OrgCodeFilter,
    PageSize,
    decode_cursor,
    encode_cursor,
)
from api.schemas.history import HistoryRead, StateAtRead
from api.schemas.plans import (
    ACTION_EXAMPLES,
    EXTENSION_EXAMPLES,
    PLAN_CREATE_EXAMPLES,
    ActionRequest,
    DeadlineRead,
    ExtendableKind,
    ExtensionRequest,
    PlanAction,
    PlanCreate,
    PlanDetailRead,
    PlanPage,
    PlanRead,
)
from api.schemas.rules import StrictFlag
from models.db import WriteUnit, read_session
from models.enums import Action, DeadlineKind, PlanKind, PlanState
from models.store import PlanWithClocks
from workflow import scoped_reads
from workflow.actors import Actor
from workflow.commands import NewPlan, create_plan, extend_deadline, perform, quick
from workflow.evidence import carried_files
from workflow.scoped_reads import PlanDetail

router = Routes(prefix="/plans", tags=["plans"])
X = TypeVar("X", Session, WriteUnit)  # what a command runs in (workflow.uow)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the plan's id")]


def _detail(services: Services, actor: Actor, plan_id: int) -> PlanDetailRead:
    with read_session(services.engine) as session:
        detail = scoped_reads.get_plan_detail(
            session, actor, plan_id, policy=services.ctx.policy, clock=services.clock
        )
        return PlanDetailRead.of_detail(detail)


def shown(
    services: Services, actor: Actor, command: Callable[[X], PlanWithClocks]
) -> Callable[[X], PlanDetail]:
    """The command, then the view of the plan it returns (in its transaction, no re-read)."""
    policy, clock = services.ctx.policy, services.clock
    return lambda s: scoped_reads.detail_of(s, actor, command(s), policy=policy, clock=clock)


@router.post("", status_code=201, response_model=PlanDetailRead, responses=WRITE)
async def create(
    body: Annotated[PlanCreate, Body(openapi_examples=PLAN_CREATE_EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
    request_id: RequestId,
    response: Response,
) -> PlanDetailRead:
    """Create a draft (staff) or an amendment (executive); starts the preparation clock."""
    new = NewPlan(
        organization_id=body.organization_id or who.actor.organization_id or 0,
        kind=body.kind,
        trigger_kind=body.trigger_kind,
        trigger_on=body.trigger_on,
        title=body.title,
        fiscal_year_be=body.fiscal_year_be,
        trigger_note=body.trigger_note,
        budget_baht=body.budget_baht,
        amends_plan_id=body.amends_plan_id,
    )
    detail = await services.run(
        shown(
            services,
            who.actor,
            lambda s: create_plan(
                s,
                services.ctx,
                new=new,
                actor=who.actor,
                effective_on=body.effective_on,
                comment=body.comment,
                request_id=request_id,
            ),
        )
    )
    response.headers["Location"] = f"/api/v1/plans/{detail.plan.id}"
    return PlanDetailRead.of_detail(detail)


@router.get("", response_model=PlanPage, responses=READ)
def list_plans(
    who: CurrentPrincipal,
    services: ServicesDep,
    organization: Annotated[OrgCodeFilter | None, Query(description="code")] = None,
    fiscal_year: Annotated[FiscalYear | None, Query()] = None,
    kind: PlanKind | None = None,
    state: PlanState | None = None,
    overdue: Annotated[StrictFlag | None, Query(description="an open duty past due")] = None,
    cursor: Annotated[Cursor, Query()] = None,
    limit: Annotated[PageSize, Query()] = 50,
) -> PlanPage:
    """The plans the caller may see, oldest first, with cursor paging."""
    filters = scoped_reads.PlanFilters(
        organization_code=organization,
        fiscal_year_be=fiscal_year,
        kind=kind,
        state=state,
        overdue=overdue,
        after_id=decode_cursor(cursor),
        limit=limit,
    )
    with read_session(services.engine) as session:
        page = scoped_reads.list_plans(session, who.actor, filters=filters, clock=services.clock)
        items = [PlanRead.of(plan, org) for plan, org in page.items]
    return PlanPage(items=items, next_cursor=encode_cursor(page.next_after))


@router.get("/{plan_id}", response_model=PlanDetailRead, responses=READ)
def read(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> PlanDetailRead:
    """State, version, deadlines (with Buddhist-Era dates) and the caller's actions now."""
    return _detail(services, who.actor, plan_id)


@router.post(
    "/{plan_id}/actions/{action}",
    response_model=PlanDetailRead,
    responses=WRITE,
    openapi_extra=action_body.openapi(ActionRequest, ACTION_EXAMPLES),
)
async def act(
    plan_id: PlanId, action: PlanAction, request: Request, who: CurrentPrincipal
) -> PlanDetailRead:
    """Perform one action of the workflow table, with the version you saw; as
    multipart/form-data, with the action's evidence files attached to its record in the same
    transaction (docs/api.md "Actions carrying evidence")."""
    # The services and the request id from the request, not as dependencies: this is the
    # service's hot path, and each dependency resolved costs (api/deps.py `services_of`).
    services, request_id = services_of(request), request_id_of(request)
    how = attaching(services.settings)
    got = await action_body.read(request, ActionRequest, max_bytes=how.max_bytes)
    body, move = got.request, Action(action.value)

    def command(s: WriteUnit) -> PlanWithClocks:
        evidence = carried_files(
            move, got.files, kinds=got.kinds, places=got.places, posting_places=body.places
        )
        return perform(
            s,
            services.ctx,
            plan_id=plan_id,
            action=move,
            actor=who.actor,
            expected_version=body.expected_version,
            effective_on=body.effective_on,
            comment=body.comment,
            places=tuple(body.places),
            request_id=request_id,
            signer=None if body.signer is None else body.signer.model_dump(),
            evidence=evidence,
            attaching=how,
        )

    detail = await services.run_unit(
        shown(services, who.actor, command), quick=quick(move, files=bool(got.files))
    )
    return PlanDetailRead.of_detail(detail)


@router.post(
    "/{plan_id}/deadlines/{kind}/extensions",
    status_code=201,
    response_model=DeadlineRead,
    responses=WRITE,
    openapi_extra=action_body.openapi(ExtensionRequest, EXTENSION_EXAMPLES),
)
async def extend(
    plan_id: PlanId,
    kind: ExtendableKind,
    request: Request,
    who: CurrentPrincipal,
    services: ServicesDep,
    request_id: RequestId,
) -> DeadlineRead:
    """The executive extends the open preparation deadline (clause 27); as
    multipart/form-data, with the extension's letter (docs/api.md "Actions carrying
    evidence")."""
    how = attaching(services.settings)
    got = await action_body.read(request, ExtensionRequest, max_bytes=how.max_bytes)
    body = got.request

    def command(s: Session) -> PlanWithClocks:
        evidence = carried_files(Action.EXTEND_DEADLINE, got.files, kinds=got.kinds,
                                 places=got.places)  # fmt: skip
        return extend_deadline(
            s,
            services.ctx,
            plan_id=plan_id,
            kind=DeadlineKind(kind.value),
            actor=who.actor,
            expected_version=body.expected_version,
            new_due_on=body.new_due_on,
            reason_text=body.reason,
            effective_on=body.effective_on,
            request_id=request_id,
            evidence=evidence,
            attaching=how,
        )

    detail = await services.run(shown(services, who.actor, command))
    return next(
        DeadlineRead.of(d) for d in detail.deadlines if d.deadline.kind == kind.value
    )


@router.get("/{plan_id}/history", response_model=HistoryRead, responses=READ)
def history(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> HistoryRead:
    """Every recorded action (hash-chained) and every refused attempt on the plan."""
    with read_session(services.engine) as session:
        return HistoryRead.of(scoped_reads.get_plan_history(session, who.actor, plan_id))


@router.get("/{plan_id}/state", response_model=StateAtRead, responses=READ)
def state_at(
    plan_id: PlanId,
    at: Annotated[Instant, Query(description="an instant with a time zone (ISO 8601)")],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> StateAtRead:
    """The plan's state as recorded at an instant."""
    with read_session(services.engine) as session:
        return StateAtRead.of(scoped_reads.get_state_at(session, who.actor, plan_id, at=at))
