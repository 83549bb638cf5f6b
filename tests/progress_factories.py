"""A plan in force with projects and equipment, and progress commands run in their own
transaction as a request would (docs/domain.md "Progress")."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Engine

from models.enums import Action
from tests.content_factories import content_of, equipment_input, run
from tests.factories import Office, create, new_annual, perform_action
from workflow import content as cc
from workflow import progress, uow
from workflow.actors import Actor
from workflow.commands import Context
from workflow.content_model import Content, equipment_from_input, new_id


def content_with_equipment(projects: int, equipment: int) -> Content:
    base = content_of(projects)
    rows = tuple(
        equipment_from_input(equipment_input(i + 1), equipment_id=new_id())
        for i in range(equipment)
    )
    return replace(base, equipment=rows)


def plan_in_force(
    engine: Engine,
    ctx: Context,
    office: Office,
    *,
    projects: int = 4,
    equipment: int = 1,
    year: int = 2561,
) -> tuple[int, Content]:
    """An announced annual plan of FY `year` with its content: its id and the content."""
    plan = create(engine, ctx, new_annual(office, year=year), office.staff)
    content = content_with_equipment(projects, equipment)
    run(engine, ctx, lambda s: cc.replace_content(
        s, ctx, plan_id=plan.id, actor=office.staff, expected_revision=0, content=content,
        source="test"))  # fmt: skip
    p = perform_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    p = perform_action(engine, ctx, p, Action.APPROVE, office.committee)
    perform_action(engine, ctx, p, Action.ANNOUNCE, office.executive)
    return plan.id, content


def record(
    engine: Engine, ctx: Context, plan_id: int, actor: Actor, item_id: str, **data: Any
) -> progress.Recorded:
    return uow.run(engine, ctx.clock, lambda s: progress.record(
        s, ctx, plan_id=plan_id, actor=actor, item_id=item_id, data=data))  # fmt: skip
