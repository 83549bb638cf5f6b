"""The read side, filtered by what the caller may see: plan views, lists, history, auditors' reads.

Visibility is the one rule of models.visibility (docs/domain.md "Roles"): staff, committee
and executive see their organization; auditors see every organization of their province plus
the ones listed in their scope; admins see no plans; the system sees everything. A plan
outside the caller's scope is "not found".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Connection, exists
from sqlmodel import Session, col, select

from models import store
from models.audit import RefusedAttempt, TransitionRecord
from models.blobs import BlobStore
from models.clock import Clock, today_bangkok
from models.db import Tx, from_row, unit_of
from models.deadline import Deadline, DeadlineExtension
from models.enums import Action, DeadlineStatus, PlanKind, PlanState, Role
from models.fastsql import Prepared
from models.organization import Organization
from models.plan import Plan
from models.store import ClockRow, PlanRow, PlanWithClocks
from models.visibility import Scope, sees, visible
from workflow import audit, org_search, queries
from workflow.actors import Actor
from workflow.errors import Forbidden, NotFound, reason
from workflow.policy import WorkflowPolicy
from workflow.table import DUTY_CLOCKS

T = TypeVar("T")
MAX_PAGE = 200


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_after: int | None  # the id to continue after, None on the last page


def _in_scope(column: object, scope: Scope) -> ColumnElement[bool] | None:
    return None if scope.everything else visible(scope, column)


def _plan_not_found() -> NotFound:
    return NotFound([reason("plan_not_found", "ไม่พบแผน", "no such plan")])


def get_visible_plan(
    session: Session, actor: Actor, plan_id: int
) -> tuple[PlanWithClocks, Organization]:
    """The plan with its clocks and its organization, if the actor may see it."""
    plan = store.PLANS.read(session.connection(), plan_id)
    if plan is None or not sees(session, actor.scope, plan.organization_id):
        raise _plan_not_found()
    org = _organization(session, plan.organization_id)
    return plan, org


def _organization(session: Session, organization_id: int) -> Organization:
    return _organization_on(session.connection(), organization_id)


def _organization_on(conn: Connection, organization_id: int) -> Organization:
    found = _ORG_BY_ID.first(conn, {"id": organization_id})
    if found is None:
        raise _plan_not_found()  # a plan's organization is its foreign key: never in practice
    return from_row(Organization, dict(zip(_ORG_NAMES, found, strict=True)))


def require_auditor(actor: Actor) -> None:
    if actor.role not in (Role.AUDITOR, Role.SYSTEM):
        raise Forbidden(
            [
                reason(
                    "auditor_only",
                    "เฉพาะผู้ตรวจสอบเรียกดูข้อมูลนี้ได้",
                    f"only auditors may read this (you are {actor.role.value})",
                )
            ]
        )


def _organization_id(session: Session, code: str | None) -> int | None:
    """The id of an organization code; -1 (matches nothing) for an unknown code."""
    if code is None:
        return None
    found = session.exec(select(Organization.id).where(Organization.code == code)).first()
    return found if found is not None else -1


def _organization_matches(text: str) -> ColumnElement[bool]:
    """An organization by its code or a part of its name ("แหลมรัง" finds
    องค์การบริหารส่วนตำบลแหลมรัง)."""
    return org_search.matches(col(Organization.code), col(Organization.name), text)


# --- plans ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanFilters:
    organization_code: str | None = None
    fiscal_year_be: int | None = None
    kind: PlanKind | None = None
    state: PlanState | None = None
    overdue: bool | None = None
    after_id: int = 0
    limit: int = 50


def list_plans(
    session: Session, actor: Actor, *, filters: PlanFilters, clock: Clock
) -> Page[tuple[PlanRow, Organization]]:
    """Plans the actor may see, oldest first, one page after `after_id`."""
    query = (
        sa.select(_PLAN, _ORG)
        .join(_ORG, _ORG.c.id == _PLAN.c.organization_id)
        .where(_PLAN.c.id > filters.after_id)
    )
    for condition in _plan_conditions(session, actor, filters, clock):
        if condition is not None:
            query = query.where(condition)
    limit = max(1, min(filters.limit, MAX_PAGE))
    found = session.connection().execute(query.order_by(_PLAN.c.id).limit(limit + 1)).all()
    width = len(store.PLAN_ROW.names)
    rows = [
        (
            store.PLAN_ROW.decode(tuple(r[:width])),
            from_row(Organization, dict(zip(_ORG_NAMES, r[width:], strict=True))),
        )
        for r in found[:limit]
    ]
    return Page(rows, rows[-1][0].id if len(found) > limit and rows else None)


def _plan_conditions(
    session: Session, actor: Actor, filters: PlanFilters, clock: Clock
) -> list[ColumnElement[bool] | None]:
    conditions = [_in_scope(Plan.organization_id, actor.scope)]
    org_id = _organization_id(session, filters.organization_code)
    if org_id is not None:
        conditions.append(col(Plan.organization_id) == org_id)
    if filters.fiscal_year_be is not None:
        conditions.append(col(Plan.fiscal_year_be) == filters.fiscal_year_be)
    if filters.kind is not None:
        conditions.append(col(Plan.kind) == filters.kind)
    if filters.state is not None:
        conditions.append(col(Plan.state) == filters.state)
    if filters.overdue is not None:
        late = exists().where(
            col(Deadline.plan_id) == col(Plan.id),
            col(Deadline.status) == DeadlineStatus.OPEN,
            col(Deadline.kind).in_(DUTY_CLOCKS),
            col(Deadline.due_on) < today_bangkok(clock),
        )
        conditions.append(late if filters.overdue else ~late)
    return conditions


@dataclass(frozen=True)
class DeadlineView:
    deadline: ClockRow
    extensions: tuple[DeadlineExtension, ...]
    overdue: bool
    can_extend: bool


@dataclass(frozen=True)
class PlanDetail:
    plan: PlanWithClocks
    organization: Organization
    deadlines: tuple[DeadlineView, ...]
    actions: tuple[queries.ActionOption, ...] = field(default=())


# The plan view every action answers with (and every plan page): the plan with its clocks in
# one statement of the store, the organization by its key, extensions only where there are.
_PLAN, _ORG = store.PLAN, store.ORGANIZATION
_ORG_NAMES = tuple(c.name for c in _ORG.c)
_ORG_BY_ID = Prepared(sa.select(_ORG).where(_ORG.c.id == sa.bindparam("id")))


def get_plan_detail(
    session: Session, actor: Actor, plan_id: int, *, policy: WorkflowPolicy, clock: Clock
) -> PlanDetail:
    """The plan, its clocks with their extensions, and the moves this caller may make now
    (objects of no session: nothing here is meant to be changed through the session)."""
    plan, org = get_visible_plan(session, actor, plan_id)
    return _detail(session, actor, plan, org, policy=policy, clock=clock)


def detail_of(
    tx: Tx, actor: Actor, plan: PlanWithClocks, *, policy: WorkflowPolicy, clock: Clock
) -> PlanDetail:
    """The view of a plan a command just returned (the actor acted on it, so may see it):
    what `get_plan_detail` would read, without reading the plan again, in the command's
    transaction (a `WriteUnit` makes no ORM session unless a deadline has extensions)."""
    unit = unit_of(tx)
    org = _organization_on(unit.conn, plan.organization_id)
    return _detail(unit, actor, plan, org, policy=policy, clock=clock)


def _detail(
    tx: Tx,
    actor: Actor,
    plan: PlanWithClocks,
    org: Organization,
    *,
    policy: WorkflowPolicy,
    clock: Clock,
) -> PlanDetail:
    # only an extended deadline has extensions: no query (and no ORM session made from a
    # `WriteUnit`) for a plan without one
    extended = [d.id for d in plan.clocks if d.extended]
    found = queries.extensions_of(unit_of(tx).session(), extended) if extended else {}
    return detail_from(plan, org, actor, found, policy=policy, clock=clock)


def detail_from(
    plan: PlanWithClocks,
    org: Organization,
    actor: Actor,
    extensions: Mapping[int, tuple[DeadlineExtension, ...]],
    *,
    policy: WorkflowPolicy,
    clock: Clock,
) -> PlanDetail:
    """The view of a plan from what was read already (`extensions` by deadline id): no query,
    so a list of views costs the statements that read the list (workflow/plan_lists.py)."""
    today = today_bangkok(clock)
    views = tuple(
        DeadlineView(
            deadline=d,
            extensions=extensions.get(d.id, ()),
            overdue=d.status is DeadlineStatus.OPEN and d.kind in DUTY_CLOCKS and d.due_on < today,
            can_extend=queries.can_extend(plan, d, actor),
        )
        for d in plan.clocks
    )
    options = queries.available_actions_now(plan, actor, policy=policy, clock=clock)
    return PlanDetail(plan, org, views, tuple(options))


@dataclass(frozen=True)
class PlanHistory:
    plan: PlanWithClocks
    records: list[TransitionRecord]
    refused: list[RefusedAttempt]


def get_plan_history(session: Session, actor: Actor, plan_id: int) -> PlanHistory:
    """Every accepted action and every refused attempt on a visible plan, in order."""
    plan, _ = get_visible_plan(session, actor, plan_id)
    return PlanHistory(
        plan, queries.list_history(session, plan_id), queries.list_refused(session, plan_id)
    )


@dataclass(frozen=True)
class StateAt:
    plan_id: int
    at: datetime
    state: PlanState | None  # None: the plan did not exist yet
    version: int  # records in the chain at that instant


def get_state_at(session: Session, actor: Actor, plan_id: int, *, at: datetime) -> StateAt:
    get_visible_plan(session, actor, plan_id)
    records = [r for r in queries.list_history(session, plan_id) if r.recorded_at <= at]
    return StateAt(plan_id, at, queries.state_at(session, plan_id, at), len(records))


# --- auditors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TransitionFilters:
    organization_code: str | None = None
    province: str | None = None
    # the web's search (docs/domain.md, "What auditors need"): the code, or part of the name
    organization_text: str | None = None
    fiscal_year_be: int | None = None
    actor_username: str | None = None
    action: Action | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None
    after_id: int = 0
    limit: int = 50


@dataclass(frozen=True)
class TransitionRow:
    record: TransitionRecord
    organization: Organization
    fiscal_year_be: int
    plan_kind: PlanKind
    plan_title: str = ""


def _transition_conditions(
    session: Session, actor: Actor, f: TransitionFilters
) -> list[ColumnElement[bool] | None]:
    r = TransitionRecord
    return [
        _in_scope(r.organization_id, actor.scope),
        None
        if f.organization_code is None
        else col(r.organization_id) == _organization_id(session, f.organization_code),
        None if f.province is None else col(Organization.province) == f.province,
        None if f.organization_text is None else _organization_matches(f.organization_text),
        None if f.fiscal_year_be is None else col(Plan.fiscal_year_be) == f.fiscal_year_be,
        None if f.actor_username is None else col(r.actor_username) == f.actor_username,
        None if f.action is None else col(r.action) == f.action.value,
        None if f.effective_from is None else col(r.effective_on) >= f.effective_from,
        None if f.effective_to is None else col(r.effective_on) <= f.effective_to,
        None if f.recorded_from is None else col(r.recorded_at) >= f.recorded_from,
        None if f.recorded_to is None else col(r.recorded_at) <= f.recorded_to,
    ]


def list_transitions(
    session: Session, actor: Actor, *, filters: TransitionFilters, page: bool = True
) -> Page[TransitionRow]:
    """Accepted actions across the auditor's scope, oldest first; `page=False` returns every
    match (for CSV export)."""
    require_auditor(actor)
    query = (
        select(TransitionRecord, Organization, Plan)
        .join(Plan, col(Plan.id) == col(TransitionRecord.plan_id))
        .join(Organization, col(Organization.id) == col(TransitionRecord.organization_id))
        .where(col(TransitionRecord.id) > filters.after_id)
        .order_by(col(TransitionRecord.id))
    )
    for condition in _transition_conditions(session, actor, filters):
        if condition is not None:
            query = query.where(condition)
    limit = max(1, min(filters.limit, MAX_PAGE))
    if page:
        query = query.limit(limit + 1)
    rows = [
        TransitionRow(r, o, p.fiscal_year_be, PlanKind(p.kind), p.title)
        for r, o, p in session.exec(query).all()
    ]
    if not page or len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    return Page(rows, rows[-1].record.id)


def compliance_in_scope(
    session: Session, actor: Actor, *, fiscal_year_be: int, clock: Clock
) -> list[queries.PlanCompliance]:
    require_auditor(actor)
    scope = actor.scope
    ids = None
    if not scope.everything:
        query = select(Organization.id).where(visible(scope, Organization.id))
        ids = sorted(i for i in session.exec(query) if i is not None)
    return queries.compliance(
        session, fiscal_year_be=fiscal_year_be, clock=clock, organization_ids=ids
    )


def verify_in_scope(
    session: Session, actor: Actor, store: BlobStore | None = None
) -> audit.VerifyReport:
    """The hash chains and state replays of every plan in the auditor's scope (and their
    evidence files, given the store)."""
    require_auditor(actor)
    query = select(Plan.id)
    condition = _in_scope(Plan.organization_id, actor.scope)
    if condition is not None:
        query = query.where(condition)
    plan_ids: Sequence[int | None] = session.exec(query).all()
    return audit.verify(session, plan_ids=[i for i in plan_ids if i is not None], store=store)


def get_organization(session: Session, organization_id: int | None) -> Organization | None:
    return None if organization_id is None else session.get(Organization, organization_id)
