"""Lists of plans read set-wise: the plans in someone's scope as their views (the dashboard,
a page at a time; the public notice board is workflow/public_board.py).

Each list costs a fixed number of statements whatever the number of plans it holds: the rows
with their organizations, their clocks, their extensions, each in one statement under the same
conditions (docs/architecture.md "Lists of plans"); what someone may see is the one rule of
models.visibility (docs/domain.md "Roles").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement
from sqlmodel import Session

from models import store
from models.clock import Clock
from models.db import from_row
from models.fastsql import Prepared
from models.organization import Organization
from models.store import ClockRow, PlanWithClocks
from models.visibility import covers, visible
from workflow import fixed_in, queries
from workflow.actors import Actor
from workflow.policy import WorkflowPolicy
from workflow.scoped_reads import PlanDetail, detail_from

_PLAN, _ORG, _DEADLINE = store.PLAN, store.ORGANIZATION, store.DEADLINE
_ORG_NAMES = tuple(c.name for c in _ORG.c)
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
    wanted = _folded(title_text)
    conn = session.connection()
    page = max(1, page)
    if wanted:
        listed = conn.execute(sa.select(_PLAN.c.id, _PLAN.c.title).where(*where).order_by(*_ORDER))
        ids = [i for i, title in listed.all() if wanted in _folded(title)]
        chosen, total = ids[(page - 1) * per_page : page * per_page], len(ids)
    else:
        chosen, total = _page_ids(conn, actor, fiscal_year_be, where, page, per_page)
    details = _details_of(session, actor, chosen, policy=policy, clock=clock) if chosen else []
    return DetailPage(details, page, total > page * per_page, total)


def _plans_of(width: int) -> Any:
    """`width` plans by id with their organizations, in the dashboard's order."""
    return (
        sa.select(_PLAN, _ORG).join(_ORG, _ORG.c.id == _PLAN.c.organization_id)
        .where(fixed_in.among(_PLAN.c.id, width))
        .order_by(_PLAN.c.fiscal_year_be.desc(), _PLAN.c.id)
    )


def _clocks_of(width: int) -> Any:
    """The clocks of `width` plans by id, in the order they started."""
    return sa.select(_DEADLINE).where(fixed_in.among(_DEADLINE.c.plan_id, width)).order_by(
        _DEADLINE.c.id
    )


# A page's plans and their clocks: statements compiled once (models/fastsql.py)
_PLANS_OF, _CLOCKS_OF = fixed_in.ByWidth(_plans_of), fixed_in.ByWidth(_clocks_of)


def _details_of(
    session: Session, actor: Actor, ids: list[int], *, policy: WorkflowPolicy, clock: Clock
) -> list[PlanDetail]:
    """The views of these plans (not empty), in the dashboard's order: two statements, and
    the extensions' when a clock was extended."""
    conn = session.connection()
    by_plan: dict[int, list[ClockRow]] = {}
    for r in _CLOCKS_OF.rows(conn, ids):
        found = store.CLOCK.decode(r)
        by_plan.setdefault(found.plan_id or 0, []).append(found)
    return _views(session, actor, _PLANS_OF.rows(conn, ids), by_plan, policy=policy, clock=clock)


def _page_ids(
    conn: Any,
    actor: Actor,
    fiscal_year_be: int | None,
    where: list[ColumnElement[bool]],
    page: int,
    per_page: int,
) -> tuple[list[int], int]:
    """The ids of one page of the plans in scope, and how many there are in all: two
    statements, so only the page's ids come back and the database counts the rest (on the
    index on (organization_id, fiscal_year_be, state)); fetching every id in scope to slice
    them was half the dashboard's read (docs/benchmarks.md "web"). A scope without listed
    organizations (everyone's but some auditors') runs them compiled once (models/fastsql.py);
    building and compiling them each time was a third of their time ("Speed, eighth round:
    the pages")."""
    scope, skip = actor.scope, (page - 1) * per_page
    if scope.organization_ids:  # a list of any length: built for this request
        chosen = conn.execute(
            sa.select(_PLAN.c.id).where(*where).order_by(*_ORDER).limit(per_page).offset(skip)
        ).scalars().all()
        total = conn.execute(sa.select(sa.func.count()).select_from(_PLAN).where(*where))
        return list(chosen), int(total.scalar_one())
    shape = (scope.everything, scope.organization_id is not None, scope.province is not None,
             fiscal_year_be is not None)
    found = _PAGE_IDS.get(shape)
    if found is None:
        found = _PAGE_IDS[shape] = _page_statements(*shape)
    ids, count = found
    params = {"own": scope.organization_id, "province": scope.province, "year": fiscal_year_be}
    bound = {k: v for k, v in params.items() if v is not None}
    rows = ids.rows(conn, {**bound, "limit": per_page, "offset": skip})
    return [r[0] for r in rows], int(count.scalar(conn, bound))


_ORDER = (_PLAN.c.fiscal_year_be.desc(), _PLAN.c.id)  # the dashboard's: newest year first


def _page_statements(
    everything: bool, own: bool, province: bool, year: bool
) -> tuple[Prepared, Prepared]:
    """A page's ids and the count in scope for one shape of scope without listed
    organizations: :own, :province and :year bound where the shape has them."""
    where: list[ColumnElement[bool]] = []
    if not everything:
        where.append(covers(
            _PLAN.c.organization_id, listed=(),
            own=sa.bindparam("own", type_=sa.Integer) if own else None,
            province=sa.bindparam("province", type_=sa.String) if province else None,
        ))
    if year:
        where.append(_PLAN.c.fiscal_year_be == sa.bindparam("year", type_=sa.Integer))
    page = sa.select(_PLAN.c.id).where(*where).order_by(*_ORDER)
    limit = sa.bindparam("limit", type_=sa.Integer)
    page = page.limit(limit).offset(sa.bindparam("offset", type_=sa.Integer))
    return Prepared(page), Prepared(sa.select(sa.func.count()).select_from(_PLAN).where(*where))


_PAGE_IDS: dict[tuple[bool, bool, bool, bool], tuple[Prepared, Prepared]] = {}


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
) -> list[PlanDetail]:
    """The views of the plans matching `where`, in `order`: three statements."""
    conn = session.connection()
    query = sa.select(_PLAN, _ORG).join(_ORG, _ORG.c.id == _PLAN.c.organization_id)
    rows = conn.execute(query.where(*where).order_by(*order)).all()
    clocks = _clocks(conn, where)
    return _views(session, actor, rows, clocks, policy=policy, clock=clock)


def _views(
    session: Session,
    actor: Actor,
    rows: Sequence[Sequence[Any]],
    clocks: dict[int, list[ClockRow]],
    *,
    policy: WorkflowPolicy,
    clock: Clock,
) -> list[PlanDetail]:
    """The views of plans from their rows (the plan's columns, then its organization's) and
    their clocks by plan id; the extensions of extended clocks are read (one statement)."""
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


def _clocks(conn: Any, where: Sequence[ColumnElement[bool]]) -> dict[int, list[ClockRow]]:
    """The clocks of the plans matching `where`, by plan id, in the order they started."""
    query = sa.select(_DEADLINE).join(_PLAN, _PLAN.c.id == _DEADLINE.c.plan_id).where(*where)
    by_plan: dict[int, list[ClockRow]] = {}
    for r in conn.execute(query.order_by(_DEADLINE.c.id)):
        clock = store.CLOCK.decode(tuple(r))
        by_plan.setdefault(clock.plan_id or 0, []).append(clock)  # plans' clocks only
    return by_plan
