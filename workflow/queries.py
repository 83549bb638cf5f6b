"""Read side: history, state as of an instant, deadlines, available actions, compliance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models import store
from models.audit import RefusedAttempt, TransitionRecord
from models.clock import Clock, today_bangkok
from models.deadline import Deadline, DeadlineExtension
from models.enums import Action, DeadlineKind, DeadlineStatus, PlanKind, PlanState
from models.organization import Organization
from models.plan import Plan
from models.store import ClockRow, PlanRow, PlanWithClocks
from workflow.actors import Actor
from workflow.errors import Reason
from workflow.guards import ActionInput, check
from workflow.policy import WorkflowPolicy
from workflow.table import CLOCKS, Rule, rules_from


def list_history(session: Session, plan_id: int) -> list[TransitionRecord]:
    query = select(TransitionRecord).where(TransitionRecord.plan_id == plan_id)
    return list(session.exec(query.order_by(col(TransitionRecord.seq))))


def list_refused(session: Session, plan_id: int) -> list[RefusedAttempt]:
    query = select(RefusedAttempt).where(RefusedAttempt.plan_id == plan_id)
    return list(session.exec(query.order_by(col(RefusedAttempt.id))))


def state_at(session: Session, plan_id: int, at: datetime) -> PlanState | None:
    """The plan's state as recorded at instant `at` (None: it did not exist yet)."""
    query = (
        select(TransitionRecord.to_state)
        .where(TransitionRecord.plan_id == plan_id, col(TransitionRecord.recorded_at) <= at)
        .order_by(col(TransitionRecord.seq).desc())
        .limit(1)
    )
    found = session.exec(query).first()
    return None if found is None else PlanState(found)


def list_deadlines(session: Session, plan_id: int) -> list[ClockRow]:
    """The plan's clocks in the order they started."""
    return store.clocks_of(session.connection(), plan_id)


def list_extensions(session: Session, deadline_id: int) -> list[DeadlineExtension]:
    query = select(DeadlineExtension).where(DeadlineExtension.deadline_id == deadline_id)
    return list(session.exec(query.order_by(col(DeadlineExtension.id))))


def extensions_of(
    session: Session, deadline_ids: Sequence[int]
) -> dict[int, tuple[DeadlineExtension, ...]]:
    """The extensions of these deadlines, oldest first, by deadline id (one statement)."""
    query = select(DeadlineExtension).where(col(DeadlineExtension.deadline_id).in_(deadline_ids))
    found: dict[int, list[DeadlineExtension]] = {}
    for extension in session.exec(query.order_by(col(DeadlineExtension.id))):
        found.setdefault(extension.deadline_id, []).append(extension)
    return {k: tuple(v) for k, v in found.items()}


@dataclass(frozen=True)
class ActionOption:
    rule: Rule
    blocked_by: tuple[Reason, ...]  # guards that already fail today, whatever the input

    @property
    def action(self) -> Action:
        return self.rule.action


def available_actions(
    session: Session,
    plan: PlanRow,
    actor: Actor,
    *,
    policy: WorkflowPolicy,
    clock: Clock,
    deadlines: Sequence[ClockRow] | None = None,
) -> list[ActionOption]:
    """The moves of the table this actor may make on this plan now, with date-only guards
    evaluated for today (input guards such as a reason are left to the form). `deadlines`:
    the plan's clocks if the caller has them already (else they are read)."""
    if not actor.belongs_to(plan.organization_id):
        return []
    clocks = list_deadlines(session, plan.id) if deadlines is None else deadlines
    return _options(plan, actor, clocks, policy=policy, clock=clock)


def available_actions_now(
    plan: PlanWithClocks, actor: Actor, *, policy: WorkflowPolicy, clock: Clock
) -> list[ActionOption]:
    """`available_actions` of a plan read with its clocks (no query)."""
    if not actor.belongs_to(plan.organization_id):
        return []
    return _options(plan, actor, plan.clocks, policy=policy, clock=clock)


def _options(
    plan: PlanRow,
    actor: Actor,
    deadlines: Sequence[ClockRow],
    *,
    policy: WorkflowPolicy,
    clock: Clock,
) -> list[ActionOption]:
    today = today_bangkok(clock)
    removal = None
    for deadline in deadlines:
        if CLOCKS[deadline.kind].floor:
            removal = deadline.due_on
    options = []
    for rule in rules_from(plan.kind, plan.state, policy):
        if actor.role not in rule.roles:
            continue
        probe = ActionInput(
            today, today, plan.last_effective_on, comment="-", places=("-",), removal_on=removal
        )
        options.append(ActionOption(rule, tuple(check(rule, probe))))
    return options


def can_extend(plan: PlanRow, deadline: ClockRow, actor: Actor) -> bool:
    return (
        actor.belongs_to(plan.organization_id)
        and deadline.status is DeadlineStatus.OPEN
        and actor.role in CLOCKS[deadline.kind].extendable_by
    )


# --- compliance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockCompliance:
    kind: DeadlineKind
    start_on: date
    due_on: date
    extended: bool
    done_on: date | None
    status: str  # on_time | late | open | overdue | cancelled


@dataclass(frozen=True)
class PlanCompliance:
    plan_id: int
    organization_code: str
    organization_name: str
    province: str
    fiscal_year_be: int
    kind: PlanKind
    number: int
    state: PlanState
    mode: str
    trigger_on: date
    announced_on: date | None
    posted_on: date | None
    completed_on: date | None
    clocks: tuple[ClockCompliance, ...]


KIND_ORDER = {kind: i for i, kind in enumerate(DeadlineKind)}
# Enum members by stored text: a dict lookup instead of the column type's converter per row.
KINDS = {k.value: k for k in DeadlineKind}
STATUSES = {s.value: s for s in DeadlineStatus}
PLAN_KINDS = {k.value: k for k in PlanKind}
STATES = {s.value: s for s in PlanState}
STATUS_NAMES = {
    DeadlineStatus.MET: "on_time",
    DeadlineStatus.LATE: "late",
    DeadlineStatus.CANCELLED: "cancelled",
}


def _clock_status(kind: DeadlineKind, status: DeadlineStatus, due_on: date, today: date) -> str:
    if status is DeadlineStatus.OPEN:
        late = today > due_on and not CLOCKS[kind].floor
        return "overdue" if late else "open"
    return STATUS_NAMES[status]


def compliance(
    session: Session,
    *,
    fiscal_year_be: int,
    clock: Clock,
    organization_ids: list[int] | None = None,
) -> list[PlanCompliance]:
    """Per plan of a fiscal year: B and due B+30 (with extensions), D and due D+15, P and the
    earliest removal date, completion, each on time/late/open (docs/domain.md "What auditors need").

    Two queries over plain rows (no ORM objects: a year holds tens of thousands of plans), both
    driven by the index on (fiscal_year_be, organization_id)."""
    in_year = [col(Plan.fiscal_year_be) == fiscal_year_be]
    if organization_ids is not None:
        in_year.append(col(Plan.organization_id).in_(organization_ids))
    by_plan = _clocks_by_plan(session, in_year, today_bangkok(clock))
    query = (
        sa.select(
            col(Plan.id),
            col(Organization.code),
            col(Organization.name),
            col(Organization.province),
            _text(Plan.kind),
            col(Plan.number),
            _text(Plan.state),
            col(Plan.trigger_on),
            col(Plan.announced_on),
            col(Plan.posted_on),
            col(Plan.posting_complete_on),
        )
        .join(Organization, col(Organization.id) == col(Plan.organization_id))
        .where(*in_year)
        .order_by(col(Organization.code), col(Plan.kind), col(Plan.number))
    )
    report = []
    rows = session.connection().execute(query)
    for pid, code, name, province, kind, number, state, *days in rows:
        # Date columns arrive converted by their column type, enum columns as text.
        trigger_on, announced_on, posted_on, completed_on = days
        clocks = sorted(by_plan.get(pid, ()), key=_first)
        report.append(
            PlanCompliance(
                plan_id=pid,
                organization_code=code,
                organization_name=name,
                province=province,
                fiscal_year_be=fiscal_year_be,
                kind=PLAN_KINDS[kind],
                number=number,
                state=STATES[state],
                mode=clocks[0][2] if clocks else "-",
                trigger_on=trigger_on,
                announced_on=announced_on,
                posted_on=posted_on,
                completed_on=completed_on,
                clocks=tuple(c[1] for c in clocks),
            )
        )
    return report


def _clocks_by_plan(
    session: Session, in_year: list[Any], today: date
) -> dict[int, list[tuple[int, ClockCompliance, str]]]:
    """Each plan's clocks as (order of the kind, compliance, counting mode)."""
    query = (
        sa.select(
            col(Deadline.plan_id),
            _text(Deadline.kind),
            col(Deadline.start_on),
            col(Deadline.due_on),
            col(Deadline.extended),
            col(Deadline.closed_on),
            _text(Deadline.status),
            _text(Deadline.mode),
        )
        .join(Plan, col(Plan.id) == col(Deadline.plan_id))
        .where(*in_year)
    )
    by_plan: dict[int, list[tuple[int, ClockCompliance, str]]] = {}
    rows = session.connection().execute(query)
    for plan_id, kind, start_on, due_on, extended, closed_on, status, mode in rows:
        kind, status = KINDS[kind], STATUSES[status]
        clock = ClockCompliance(
            kind, start_on, due_on, extended, closed_on, _clock_status(kind, status, due_on, today)
        )
        by_plan.setdefault(plan_id, []).append((KIND_ORDER[kind], clock, mode))
    return by_plan


def _text(column: Any) -> Any:
    """An enum column read as its stored text."""
    return sa.type_coerce(col(column), sa.String)


def _first(clock: tuple[int, ClockCompliance, str]) -> int:
    return clock[0]
