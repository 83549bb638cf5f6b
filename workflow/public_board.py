"""The public notice board: the plans posted now, a page of organizations at a time, by
province and name (docs/domain.md "The three clocks": a plan stays posted for its minimum
period). Every organization's posted plans are public. Two statements a page, each compiled
once and run on the DB-API cursor (models/fastsql.py): the board is the page the public waits
for (docs/benchmarks.md "Speed, fifth round: pages")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from models import store
from models.db import from_row
from models.enums import PlanState
from models.fastsql import Prepared
from models.organization import Organization
from models.store import PlanRow
from workflow import fixed_in, org_search
from workflow.table import CLOCKS

_PLAN, _ORG, _DEADLINE = store.PLAN, store.ORGANIZATION, store.DEADLINE
_ORG_NAMES = tuple(c.name for c in _ORG.c)
FLOOR_KINDS = tuple(kind for kind, c in CLOCKS.items() if c.floor)  # minimum periods
BOARD_PAGE = 25  # organizations a page of the public board


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
    `organization_text` or whose name contains it (workflow/org_search.py). Two statements,
    each compiled once (models/fastsql.py): the board is the page the public waits for; a
    page of every organization past the first also counts them, and one in the back half is
    read from the end (`_page_of_all`)."""
    page = max(1, page)
    conn = session.connection()
    skip = (page - 1) * per_page
    if organization_text is None and province is None and page > 1:
        rows, more = _page_of_all(conn, skip, per_page)
    else:
        query = _BOARD[(organization_text is not None, province is not None)]
        params: dict[str, Any] = {"limit": per_page + 1, "offset": skip}
        if organization_text is not None:
            params |= {"text": organization_text, "like": org_search.pattern(organization_text)}
        if province is not None:
            params["province"] = province
        found = query.rows(conn, params)
        rows, more = found[:per_page], len(found) > per_page
    orgs = [from_row(Organization, dict(zip(_ORG_NAMES, r, strict=True))) for r in rows]
    notices = _notices(conn, [o.id for o in orgs if o.id is not None])
    return BoardPage([(o, notices.get(o.id or 0, [])) for o in orgs], page, more)


def _page_of_all(conn: Any, skip: int, per_page: int) -> tuple[list[tuple[Any, ...]], bool]:
    """The rows of the organizations past the first `skip` of every one with a posted plan,
    `per_page` of them, and whether more follow. Each organization passed over costs a probe
    for its posted plan, so a page in the back half is read from the end, passing over at most
    half of them: the organizations are counted first, from the plans' (state,
    organization_id) index (docs/benchmarks.md "Speed, eighth round: the pages")."""
    total = int(_POSTED_ORGANIZATIONS.scalar(conn, {}))
    if skip >= total:
        return [], False
    end = min(total, skip + per_page)
    if skip <= total - end:  # nearer the start: as any page
        found = _BOARD[(False, False)].rows(conn, {"limit": end - skip, "offset": skip})
    else:  # positions skip … end-1 from the start are total-end … total-skip-1 from the end
        found = _BOARD_BACKWARDS.rows(conn, {"limit": end - skip, "offset": total - end})
        found.reverse()
    return found, end < total


def _board(searched: bool, of_province: bool, *, backwards: bool = False) -> Prepared:
    """A page of the organizations with a plan posted now, by province, name and code (the
    order of their index, migration 0021; `backwards`: from the last); `searched`: whose code
    is :text or whose name contains it (:like, workflow/org_search.py); `of_province`: of
    :province."""
    posted = sa.exists().where(
        _PLAN.c.organization_id == _ORG.c.id, _PLAN.c.state == PlanState.POSTED
    )
    query = sa.select(_ORG).where(posted)
    if searched:
        text = sa.bindparam("text", type_=sa.String)
        like = sa.bindparam("like", type_=sa.String)
        query = query.where(org_search.matches_bound(_ORG.c.code, _ORG.c.name, text, like))
    if of_province:
        query = query.where(_ORG.c.province == sa.bindparam("province", type_=sa.String))
    order = (_ORG.c.province, _ORG.c.name, _ORG.c.code)  # the code is unique: a total order
    query = query.order_by(*(c.desc() for c in order) if backwards else order)
    limit = sa.bindparam("limit", type_=sa.Integer)
    return Prepared(query.limit(limit).offset(sa.bindparam("offset", type_=sa.Integer)))


_BOARD = {(s, p): _board(s, p) for s in (False, True) for p in (False, True)}
_BOARD_BACKWARDS = _board(False, False, backwards=True)
# Organizations with a posted plan: distinct ids read in order from ix_plan_state_org.
_POSTED_ORGANIZATIONS = Prepared(
    sa.select(sa.func.count(sa.distinct(_PLAN.c.organization_id)))
    .where(_PLAN.c.state == PlanState.POSTED)
)
_FLOOR = _DEADLINE.alias("floor")


def _posted_of(width: int) -> Any:
    """The posted plans of `width` organizations with their floor clocks' due dates."""
    return (
        sa.select(_PLAN, _FLOOR.c.due_on)
        .outerjoin(
            _FLOOR,
            sa.and_(  # kind = each floor kind: a prepared statement binds no list
                _FLOOR.c.plan_id == _PLAN.c.id, sa.or_(*(_FLOOR.c.kind == k for k in FLOOR_KINDS))
            ),
        )
        .where(fixed_in.among(_PLAN.c.organization_id, width), _PLAN.c.state == PlanState.POSTED)
        .order_by(_PLAN.c.id, _FLOOR.c.id)
    )


_POSTED_OF = fixed_in.ByWidth(_posted_of)


def _notices(conn: Any, organization_ids: list[int]) -> dict[int, list[Notice]]:
    """The posted plans of these organizations with their removal dates, by organization."""
    if not organization_ids:
        return {}
    width = len(store.PLAN_ROW.names)
    by_org: dict[int, list[Notice]] = {}
    seen: set[int] = set()
    for r in _POSTED_OF.rows(conn, organization_ids):
        if r[0] in seen:  # a second floor clock: the first one is the plan's removal date
            continue
        seen.add(r[0])
        plan = store.PLAN_ROW.decode(r[:width])
        by_org.setdefault(plan.organization_id, []).append(Notice(plan, r[width]))
    return by_org
