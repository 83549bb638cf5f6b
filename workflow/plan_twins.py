"""A likely second plan (docs/domain.md, "Next steps on the web"): a plan of the same
organization, kind, fiscal year and trigger event that is not withdrawn. Creating one is
allowed (an office may have two supplementary plans for two funds decisions), so the web form
warns and asks to confirm rather than refusing."""

from __future__ import annotations

from sqlmodel import Session, col, select

from models.enums import PlanState
from models.plan import Plan
from workflow.commands import NewPlan


def likely_twins(session: Session, new: NewPlan) -> list[Plan]:
    """The plans the new one would likely duplicate, oldest first."""
    query = (
        select(Plan)
        .where(Plan.organization_id == new.organization_id)
        .where(Plan.kind == new.kind)
        .where(Plan.trigger_kind == new.trigger_kind)
        .where(Plan.state != PlanState.WITHDRAWN)
        .order_by(col(Plan.id))
    )
    if new.fiscal_year_be is not None:
        query = query.where(Plan.fiscal_year_be == new.fiscal_year_be)
    if new.amends_plan_id is not None:
        query = query.where(Plan.amends_plan_id == new.amends_plan_id)
    return list(session.exec(query).all())
