"""Lists of plans read set-wise: the plans in someone's scope as their views (the dashboard,
a page at a time), and the public notice board, a page of organizations at a time.

Each list costs a fixed number of statements whatever the number of plans it holds: the rows
with their organizations, their clocks, their extensions, each in one statement under the same
conditions (docs/architecture.md "Lists of plans"); what someone may see is the one rule of
models.visibility (docs/domain.md "Roles").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement
from sqlmodel import Session

from models import store
from models.clock import Clock
from models.db import from_row
from models.enums import PlanState
from models.organization import Organization
from models.store import ClockRow, PlanRow, PlanWithClocks
from models.visibility import visible
from workflow import queries
from workflow.actors import Actor
from workflow.policy import WorkflowPolicy
from workflow.scoped_reads import PlanDetail, detail_from
from workflow.table import CLOCKS

_PLAN, _ORG, _DEADLINE = store.PLAN, store.ORGANIZATION, store.DEADLINE
_ORG_NAMES = tuple(c.name for c in _ORG.c)
FLOOR_KINDS = tuple(kind for kind, c in CLOCKS.items() if c.floor)  # minimum periods
BOARD_PAGE = 25  # organizations a page of the public board


DASHBOARD_PAGE = 25  # plans a page of the dashboard


def list_plan_details(
    session: Session,
    actor: Actor,
    *,
    fiscal_year_be: int | None,
    policy: WorkflowPolicy,
    clock: Clock,
) -> list[PlanDetail]:
    """Every plan the actor may see (of one fiscal year, or all), oldest first, as its view
    (what `scoped_reads.get_plan_detail` gives for each), in three statements."""
    where = _in_scope(actor, fiscal_year_be)
    return _details(session, actor, where, [_PLAN.c.id], policy=policy, clock=clock)


@dataclass(frozen=True)
class DetailPage:
    """One page of plan views; `page` counts from 1, `total` plans match in all."""

    details: list[PlanDetail]
    page: int
    more: bool
    total: int


def page_of_plan_details(
    session: Session,
    actor: Actor,
    *,
    fiscal_year_be: int | None,
    title_text: str = "",
    page: int = 1,
    per_page: int = DASHBOARD_PAGE,
    policy: WorkflowPolicy,
    clock: Clock,
) -> DetailPage:
    """A page of the plans the actor may see, newest fiscal year first and oldest plan first
    within a year, as their views; `title_text` keeps the plans whose title holds it (spaces
    folded, case ignored). Five statements: the page's ids and the count in scope (searched:
    the titles in scope instead, one), then the page's plans, their clocks and extensions."""
    where = _in_scope(actor, fiscal_year_be)
    order = (_PLAN.c.fiscal_year_be.desc(), _PLAN.c.id)
    wanted = _folded(title_text)
    conn = session.connection()
    page = max(1, page)
    if wanted:
        listed = conn.execute(sa.select(_PLAN.c.id, _PLAN.c.title).where(*where).order_by(*order))
        ids = [i for i, title in listed.all() if wanted in _folded(title)]
        chosen, total = ids[(page - 1) * per_page : page * per_page], len(ids)
    else:
        chosen, total = _page_ids(conn, where, order, page, per_page)
    details = []
    if chosen:
        details = _details(
            session, actor, [_PLAN.c.id.in_(chosen)], order, policy=policy, clock=clock,
            clocks_of=chosen,
        )
    return DetailPage(details, page, total > page * per_page, total)


def _page_ids(
    conn: Any, where: list[ColumnElement[bool]], order: Sequence[Any], page: int, per_page: int
) -> tuple[list[int], int]:
    """The ids of one page of the plans matching `where`, and how many match in all: two
    statements, so only the page's ids come back and the database counts the rest (on the
    index on (organization_id, fiscal_year_be, state)); fetching every id in scope to slice
    them was half the dashboard's read (docs/benchmarks.md "web")."""
    chosen = conn.execute(
        sa.select(_PLAN.c.id).where(*where).order_by(*order)
        .limit(per_page).offset((page - 1) * per_page)
    ).scalars().all()
    total = conn.execute(sa.select(sa.func.count()).select_from(_PLAN).where(*where))
    return list(chosen), int(total.scalar_one())


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _in_scope(actor: Actor, fiscal_year_be: int | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if not actor.scope.everything:
        where.append(visible(actor.scope, _PLAN.c.organization_id))
    if fiscal_year_be is not None:
        where.append(_PLAN.c.fiscal_year_be == fiscal_year_be)
    return where


def _details(
    session: Session,
    actor: Actor,
    where: list[ColumnElement[bool]],
    order: Sequence[Any],
    *,
    policy: WorkflowPolicy,
    clock: Clock,
    clocks_of: list[int] | None = None,
) -> list[PlanDetail]:
    """The views of the plans matching `where`, in `order`: three statements (`clocks_of`:
    the plans' ids, when the caller has them, read the clocks by plan id)."""
    conn = session.connection()
    query = sa.select(_PLAN, _ORG).join(_ORG, _ORG.c.id == _PLAN.c.organization_id)
    rows = conn.execute(query.where(*where).order_by(*order)).all()
    clocks = _clocks(conn, where, clocks_of)
    extended = [c.id for cs in clocks.values() for c in cs if c.extended]
    extensions = queries.extensions_of(session, extended) if extended else {}
    width = len(store.PLAN_ROW.names)
    orgs: dict[int, Organization] = {}
    details = []
    for r in rows:
        plan = PlanWithClocks(
            **store.PLAN_ROW.fields(tuple(r[:width])), clocks=tuple(clocks.get(r[0], ()))
        )
        org = orgs.get(plan.organization_id)
        if org is None:
            org = orgs[plan.organization_id] = from_row(
                Organization, dict(zip(_ORG_NAMES, r[width:], strict=True))
            )
        details.append(detail_from(plan, org, actor, extensions, policy=policy, clock=clock))
    return details


def _clocks(
    conn: Any, where: Sequence[ColumnElement[bool]], plan_ids: list[int] | None
) -> dict[int, list[ClockRow]]:
    """The clocks of the plans matching `where` (or of `plan_ids`), by plan id, in the order
    they started."""
    if plan_ids is not None:
        query = sa.select(_DEADLINE).where(_DEADLINE.c.plan_id.in_(plan_ids))
    else:
        query = sa.select(_DEADLINE).join(_PLAN, _PLAN.c.id == _DEADLINE.c.plan_id).where(*where)
    by_plan: dict[int, list[ClockRow]] = {}
    for r in conn.execute(query.order_by(_DEADLINE.c.id)):
        clock = store.CLOCK.decode(tuple(r))
        by_plan.setdefault(clock.plan_id or 0, []).append(clock)  # plans' clocks only
    return by_plan


# --- the public notice board ----------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A plan on the board and the earliest day it may come down (its minimum posting
    period's due date; None if it has none)."""

    plan: PlanRow
    removal_on: date | None


@dataclass(frozen=True)
class BoardPage:
    """One page of the board: organizations by province and name, each with its posted
    plans (oldest first); `page` counts from 1, `more` says whether a next page exists."""

    organizations: list[tuple[Organization, list[Notice]]]
    page: int
    more: bool


def notice_board(
    session: Session,
    *,
    organization_text: str | None = None,
    province: str | None = None,
    page: int = 1,
    per_page: int = BOARD_PAGE,
) -> BoardPage:
    """The plans posted now (every organization: the board is public), a page of
    organizations at a time, optionally of one province or of organizations whose code is
    `organization_text` or whose name contains it. Two statements."""
    posted = sa.exists().where(
        _PLAN.c.organization_id == _ORG.c.id, _PLAN.c.state == PlanState.POSTED
    )
    query = sa.select(_ORG).where(posted)
    if organization_text:
        query = query.where(
            sa.or_(_ORG.c.code == organization_text, _ORG.c.name.contains(organization_text))
        )
    if province:
        query = query.where(_ORG.c.province == province)
    query = query.order_by(_ORG.c.province, _ORG.c.name, _ORG.c.id)
    page = max(1, page)
    conn = session.connection()
    found = conn.execute(query.limit(per_page + 1).offset((page - 1) * per_page)).all()
    orgs = [from_row(Organization, dict(r._mapping)) for r in found[:per_page]]
    notices = _notices(conn, [o.id for o in orgs if o.id is not None])
    return BoardPage(
        [(o, notices.get(o.id or 0, [])) for o in orgs], page, len(found) > per_page
    )


def _notices(conn: Any, organization_ids: list[int]) -> dict[int, list[Notice]]:
    """The posted plans of these organizations with their removal dates, by organization."""
    if not organization_ids:
        return {}
    floor = _DEADLINE.alias("floor")
    query = (
        sa.select(_PLAN, floor.c.due_on)
        .outerjoin(
            floor, sa.and_(floor.c.plan_id == _PLAN.c.id, floor.c.kind.in_(FLOOR_KINDS))
        )
        .where(_PLAN.c.organization_id.in_(organization_ids), _PLAN.c.state == PlanState.POSTED)
        .order_by(_PLAN.c.id, floor.c.id)
    )
    width = len(store.PLAN_ROW.names)
    by_org: dict[int, list[Notice]] = {}
    seen: set[int] = set()
    for r in conn.execute(query):
        if r[0] in seen:  # a second floor clock: the first one is the plan's removal date
            continue
        seen.add(r[0])
        plan = store.PLAN_ROW.decode(tuple(r[:width]))
        by_org.setdefault(plan.organization_id, []).append(Notice(plan, r[width]))
    return by_org
