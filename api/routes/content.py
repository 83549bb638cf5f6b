"""The plan's content: read (draft or frozen version), diff, ผด.01, and edit item by item
(docs/api.md "Plan content"). Each edit names the content revision it was made on."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Body, Path, Query
from sqlmodel import Session

from api.deps import CurrentPrincipal, Services, ServicesDep
from api.routes.common import READ, WRITE
from api.routing import Routes
from api.schemas.content import (
    EXAMPLES,
    ITEM_ID_PATTERN,
    ContentRead,
    EditRead,
    EquipmentChange,
    EquipmentCreate,
    IntroductionPut,
    ItemsRead,
    ProjectChange,
    ProjectCreate,
    StrategyChange,
    StrategyCreate,
    SummaryRead,
    fields_of,
)
from models import store
from models.db import read_session
from workflow import content as cc
from workflow import content_model as cm
from workflow.actors import Actor
from workflow.content_diff import diff, diff_data
from workflow.summary import summarize, summary_data

router = Routes(prefix="/plans", tags=["content"])
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the plan's id")]
ItemPath = Annotated[str, Path(pattern=ITEM_ID_PATTERN, description="the item's stable id")]
RevisionQuery = Annotated[
    int, Query(ge=0, le=2**31 - 1, description="the content revision you saw")
]
Version = Annotated[int, Query(ge=1, le=2**31 - 1)]


def _draft(services: Services, actor: Actor, plan_id: int) -> cc.Draft:
    with read_session(services.engine) as session:
        return cc.read_draft(session, plan_id=plan_id, actor=actor)


async def _edit(
    services: Services,
    command: Callable[[Session], cc.Draft],
    kind: str | None = None,
    item_id: Callable[[cc.Draft], str | None] = lambda _: None,
) -> EditRead:
    draft = await services.run(command)
    return EditRead.of(draft, kind, item_id(draft))


@router.get("/{plan_id}/content", response_model=ContentRead, responses=READ)
def read_content(
    plan_id: PlanId,
    who: CurrentPrincipal,
    services: ServicesDep,
    version: Version | None = None,
) -> ContentRead:
    """The draft with its revision, or frozen version `version` (1 = the first submission)."""
    if version is None:
        return ContentRead.of_draft(_draft(services, who.actor, plan_id))
    with read_session(services.engine) as session:
        frozen = cc.read_version(session, plan_id=plan_id, actor=who.actor, version=version)
    return ContentRead.of_frozen(frozen)


@router.get("/{plan_id}/content/diff", response_model=dict[str, Any], responses=READ)
def content_diff(
    plan_id: PlanId,
    who: CurrentPrincipal,
    services: ServicesDep,
    from_version: Annotated[int, Query(alias="from", ge=1, le=2**31 - 1)],
    to_version: Annotated[int | None, Query(alias="to", ge=1, le=2**31 - 1)] = None,
) -> dict[str, Any]:
    """What changed from frozen version `from` to version `to` (omitted: the draft)."""
    with read_session(services.engine) as session:
        before = cc.read_version(session, plan_id=plan_id, actor=who.actor, version=from_version)
        after = (
            cc.read_draft(session, plan_id=plan_id, actor=who.actor).content
            if to_version is None
            else cc.read_version(
                session, plan_id=plan_id, actor=who.actor, version=to_version
            ).content
        )
    return {"from": from_version, "to": to_version, **diff_data(diff(before.content, after))}


@router.get("/{plan_id}/summary", response_model=SummaryRead, responses=READ)
def summary(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> SummaryRead:
    """ผด.01 of the current content, beside the plan's budget_baht and their difference."""
    with read_session(services.engine) as session:
        draft = cc.read_draft(session, plan_id=plan_id, actor=who.actor)
        plan = store.PLANS.row(session.connection(), plan_id)
    data = summary_data(summarize(draft.content))
    given = None if plan is None else plan.budget_baht
    own = Decimal(data["own_budget_baht"])
    return SummaryRead(
        **data,
        plan_budget_baht=None if given is None else f"{given:.2f}",
        budget_difference_baht=None if given is None else f"{own - given:.2f}",
    )


def _items(draft: cc.Draft, kind: str) -> ItemsRead:
    content = draft.content
    items: list[dict[str, Any]]
    if kind == "projects":
        items = [cm.project_data(p) for p in content.projects]
    elif kind == "equipment":
        items = [cm.equipment_data(e) for e in content.equipment]
    else:
        items = [{"id": s.id, "number": s.number, "name": s.name} for s in content.strategies]
    return ItemsRead(plan_id=draft.plan_id, revision=draft.revision, items=items)


def _last(kind: str) -> Callable[[cc.Draft], str | None]:
    """The id of the item an addition appended (the last of its list)."""
    field = {"projects": "projects", "equipment": "equipment", "strategies": "strategies"}[kind]
    return lambda draft: (
        draft.item.id if draft.item is not None else getattr(draft.content, field)[-1].id
    )


# --- projects (ผด.02) --------------------------------------------------------------------


@router.get("/{plan_id}/projects", response_model=ItemsRead, responses=READ)
def list_projects(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> ItemsRead:
    """The draft's projects in their order, with its revision."""
    return _items(_draft(services, who.actor, plan_id), "projects")


@router.post("/{plan_id}/projects", status_code=201, response_model=EditRead, responses=WRITE)
async def add_project(
    plan_id: PlanId,
    body: Annotated[ProjectCreate, Body(openapi_examples=EXAMPLES["project_create"])],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> EditRead:
    """Add a project (staff of the plan's organization, while it is a draft)."""
    data = fields_of(body, partial=False)
    return await _edit(
        services,
        lambda s: cc.add_project(
            s, services.ctx, plan_id=plan_id, actor=who.actor,
            expected_revision=body.expected_revision, data=data,
        ),
        "projects",
        _last("projects"),
    )  # fmt: skip


@router.patch("/{plan_id}/projects/{project_id}", response_model=EditRead, responses=WRITE)
async def update_project(
    plan_id: PlanId,
    project_id: ItemPath,
    body: Annotated[ProjectChange, Body(openapi_examples=EXAMPLES["project_change"])],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> EditRead:
    """Change the fields the body names; the others keep their values."""
    data = fields_of(body, partial=True)
    return await _edit(
        services,
        lambda s: cc.update_project(
            s, services.ctx, plan_id=plan_id, actor=who.actor,
            expected_revision=body.expected_revision, project_id=project_id, data=data,
        ),
        "projects",
        lambda _: project_id,
    )  # fmt: skip


@router.delete("/{plan_id}/projects/{project_id}", response_model=EditRead, responses=WRITE)
async def remove_project(
    plan_id: PlanId,
    project_id: ItemPath,
    expected_revision: RevisionQuery,
    who: CurrentPrincipal,
    services: ServicesDep,
) -> EditRead:
    return await _edit(
        services,
        lambda s: cc.remove_project(
            s, services.ctx, plan_id=plan_id, actor=who.actor,
            expected_revision=expected_revision, project_id=project_id,
        ),
        None,
        lambda _: project_id,
    )  # fmt: skip


# --- equipment (ผด.02/1) -----------------------------------------------------------------


@router.get("/{plan_id}/equipment", response_model=ItemsRead, responses=READ)
def list_equipment(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> ItemsRead:
    return _items(_draft(services, who.actor, plan_id), "equipment")


@router.post("/{plan_id}/equipment", status_code=201, response_model=EditRead, responses=WRITE)
async def add_equipment(
    plan_id: PlanId,
    body: Annotated[EquipmentCreate, Body(openapi_examples=EXAMPLES["equipment_create"])],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> EditRead:
    data = fields_of(body, partial=False)
    return await _edit(
        services,
        lambda s: cc.add_equipment(
            s, services.ctx, plan_id=plan_id, actor=who.actor,
            expected_revision=body.expected_revision, data=data,
        ),
        "equipment",
        _last("equipment"),
    )  # fmt: skip


@router.patch("/{plan_id}/equipment/{equipment_id}", response_model=EditRead, responses=WRITE)
async def update_equipment(
    plan_id: PlanId,
    equipment_id: ItemPath,
    body: Annotated[EquipmentChange, Body(openapi_examples=EXAMPLES["equipment_change"])],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> EditRead:
    data = fields_of(body, partial=True)
    return await _edit(
        services,
        lambda s: cc.update_equipment(
            s, services.ctx, plan_id=plan_id, actor=who.actor,
            expected_revision=body.expected_revision, equipment_id=equipment_id, data=data,
        ),
        "equipment",
        lambda _: equipment_id,
    )  # fmt: skip


@router.delete("/{plan_id}/equipment/{equipment_id}", response_model=EditRead, responses=WRITE)
async def remove_equipment(
    plan_id: PlanId,
    equipment_id: ItemPath,
    expected_revision: RevisionQuery,
    who: CurrentPrincipal,
    services: ServicesDep,
) -> EditRead:
    return await _edit(
        services,
        lambda s: cc.remove_equipment(
            s, services.ctx, plan_id=plan_id, actor=who.actor,
            expected_revision=expected_revision, equipment_id=equipment_id,
        ),
        None,
        lambda _: equipment_id,
    )  # fmt: skip


# --- strategies and the introduction ----------------------------------------------------


@router.get("/{plan_id}/strategies", response_model=ItemsRead, responses=READ)
def list_strategies(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> ItemsRead:
    return _items(_draft(services, who.actor, plan_id), "strategies")


@router.post("/{plan_id}/strategies", status_code=201, response_model=EditRead, responses=WRITE)
async def add_strategy(
    plan_id: PlanId,
    body: Annotated[StrategyCreate, Body(openapi_examples=EXAMPLES["strategy_create"])],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> EditRead:
    data = fields_of(body, partial=False)
    return await _edit(
        services,
        lambda s: cc.add_strategy(
            s, services.ctx, plan_id=plan_id, actor=who.actor,
            expected_revision=body.expected_revision, data=data,
        ),
        "strategies",
        _last("strategies"),
    )  # fmt: skip


@router.patch("/{plan_id}/strategies/{strategy_id}", response_model=EditRead, responses=WRITE)
async def update_strategy(
    plan_id: PlanId,
    strategy_id: ItemPath,
    body: Annotated[StrategyChange, Body(openapi_examples=EXAMPLES["strategy_change"])],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> EditRead:
    data = fields_of(body, partial=True)
    return await _edit(
        services,
        lambda s: cc.update_strategy(
            s, services.ctx, plan_id=plan_id, actor=who.actor,
            expected_revision=body.expected_revision, strategy_id=strategy_id, data=data,
        ),
        "strategies",
        lambda _: strategy_id,
    )  # fmt: skip


@router.delete("/{plan_id}/strategies/{strategy_id}", response_model=EditRead, responses=WRITE)
async def remove_strategy(
    plan_id: PlanId,
    strategy_id: ItemPath,
    expected_revision: RevisionQuery,
    who: CurrentPrincipal,
    services: ServicesDep,
) -> EditRead:
    """Remove a strategy no project belongs to."""
    return await _edit(
        services,
        lambda s: cc.remove_strategy(
            s, services.ctx, plan_id=plan_id, actor=who.actor,
            expected_revision=expected_revision, strategy_id=strategy_id,
        ),
        None,
        lambda _: strategy_id,
    )  # fmt: skip


@router.put("/{plan_id}/content/introduction", response_model=EditRead, responses=WRITE)
async def set_introduction(
    plan_id: PlanId,
    body: Annotated[IntroductionPut, Body(openapi_examples=EXAMPLES["introduction"])],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> EditRead:
    """ส่วนที่ 1 บทนำ (1.1–1.4) and the optional คำนำ, replaced whole."""
    data = fields_of(body, partial=False)
    return await _edit(
        services,
        lambda s: cc.set_introduction(
            s, services.ctx, plan_id=plan_id, actor=who.actor,
            expected_revision=body.expected_revision, data=data,
        ),
    )  # fmt: skip
