"""The duplicates of one plan, read from the store (docs/domain.md "Duplicates"): the plan's
projects, and the projects of the organization's other plans of the same fiscal year, each
with the normalized key saved with it (`match_key`). A read: it writes nothing and blocks
nothing."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from models.content import ContentProject
from models.plan import Plan
from models.store import table_of
from workflow.actors import Actor
from workflow.content import read_draft
from workflow.duplicates import THRESHOLD, Candidate, Flag, candidates, find
from workflow.thai_normalize import normalize

PROJECTS = table_of(ContentProject)
PLAN = table_of(Plan)


def list_duplicates(session: Session, *, plan_id: int, actor: Actor,
                    threshold: int = THRESHOLD) -> list[Flag]:  # fmt: skip
    """Likely duplicates within the plan, with outside agencies' projects in it, and with the
    organization's other plans of the same fiscal year, best first."""
    draft = read_draft(session, plan_id=plan_id, actor=actor)  # NotFound unless visible
    conn = session.connection()
    plan = conn.execute(
        sa.select(PLAN.c.organization_id, PLAN.c.fiscal_year_be, PLAN.c.title).where(
            PLAN.c.id == plan_id
        )
    ).one()
    stored = conn.execute(
        sa.select(PROJECTS.c.item_id, PROJECTS.c.match_key).where(PROJECTS.c.plan_id == plan_id)
    ).all()
    keys: dict[str, str] = {str(r.item_id): str(r.match_key) for r in stored if r.match_key}
    own = candidates(plan_id, plan.title, draft.content.projects, keys)
    return find(own, _others(session, plan_id, plan.organization_id, plan.fiscal_year_be),
                threshold=threshold)  # fmt: skip


def _others(session: Session, plan_id: int, organization_id: int, year_be: int) -> (
    list[Candidate]
):
    rows = session.connection().execute(
        sa.select(
            PROJECTS.c.plan_id, PLAN.c.title, PROJECTS.c.item_id, PROJECTS.c.name,
            PROJECTS.c.location, PROJECTS.c.village, PROJECTS.c.ownership, PROJECTS.c.match_key,
        )
        .join(PLAN, PLAN.c.id == PROJECTS.c.plan_id)
        .where(
            PLAN.c.organization_id == organization_id,
            PLAN.c.fiscal_year_be == year_be,
            PLAN.c.id != plan_id,
        )
        .order_by(PROJECTS.c.plan_id, PROJECTS.c.position)
    ).all()
    out = []
    for r in rows:
        key = r.match_key or normalize(r.name, r.location, r.village).key()
        out.append(Candidate(r.plan_id, r.title, r.item_id, r.name, r.ownership == "own", key))
    return out
