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
from workflow import collector
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


def list_refused_report(session: Session, report_id: int) -> list[RefusedAttempt]:
    """The refused actions on a monitoring report (migration 0020 names it), in order."""
    query = select(RefusedAttempt).where(RefusedAttempt.report_id == report_id)
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
        # the acting role's rows, or (several held, none named) every held role's
        if not any(actor.may_be(role, plan.organization_id) for role in rule.roles):
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
        and any(actor.may_be(r, plan.organization_id) for r in CLOCKS[deadline.kind].extendable_by)
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


def compliance(
    session: Session,
    *,
    fiscal_year_be: int,
    clock: Clock,
    organization_ids: list[int] | None = None,
) -> list[PlanCompliance]:
    """Per plan of a fiscal year: B and due B+30 (with extensions), D and due D+15, P and the
    earliest removal date, completion, each on time/late/open (docs/domain.md "What auditors need").

    One statement over plain rows (no ORM objects: a year holds tens of thousands of plans):
    the plans joined with their organizations and their clocks, driven by the index on
    (fiscal_year_be, organization_id), fetched at once (a fetch per row costs as much as the
    query) and grouped here, a plan's clocks being consecutive rows."""
    in_year = [col(Plan.fiscal_year_be) == fiscal_year_be]
    if organization_ids is not None:
        in_year.append(col(Plan.organization_id).in_(organization_ids))
    today = today_bangkok(clock)
    report: list[PlanCompliance] = []
    head: Sequence[Any] = ()
    clocks: list[ClockCompliance] = []
    with collector.paused():  # every row and line made here survives (workflow/collector.py)
        for row in session.connection().execute(_COMPLIANCE.where(*in_year)).all():
            if not head or row[0] != head[0]:
                if head:
                    report.append(_plan_of(head, fiscal_year_be, clocks))
                head, clocks = row, []
            if row[11] is not None:
                clocks.append(_clock_of(row[11:17], today))
        if head:
            report.append(_plan_of(head, fiscal_year_be, clocks))
    return report


def _plan_of(row: Sequence[Any], year: int, clocks: list[ClockCompliance]) -> PlanCompliance:
    """A plan's line from its first row (date columns arrive converted by their column type,
    enum columns as text) and its clocks; the counting mode is its first clock's."""
    pid, code, name, province, kind, number, state, trigger_on, announced, posted, done = row[:11]
    return PlanCompliance(
        pid, code, name, province, year, PLAN_KINDS[kind], number, STATES[state],
        "-" if row[11] is None else row[17], trigger_on, announced, posted, done, tuple(clocks),
    )


# Looked up by stored text: hashing an enum member runs Python code, hashing a str does not.
_CLOSED_NAMES = {status.value: name for status, name in STATUS_NAMES.items()}
_FLOORS = frozenset(kind.value for kind, c in CLOCKS.items() if c.floor)


def _clock_of(values: Sequence[Any], today: date) -> ClockCompliance:
    """One clock's line: a closed one by its status; an open one open, or overdue if it is a
    duty (not a minimum period) past its due date."""
    kind, start_on, due_on, extended, closed_on, status = values
    name = _CLOSED_NAMES.get(status)
    if name is None:
        name = "overdue" if today > due_on and kind not in _FLOORS else "open"
    return ClockCompliance(KINDS[kind], start_on, due_on, extended, closed_on, name)


def _text(column: Any) -> Any:
    """An enum column read as its stored text."""
    return sa.type_coerce(col(column), sa.String)


# The clocks of a plan in the order of their kinds (preparation, posting, minimum posting).
_KIND_RANK = sa.case(
    {kind.value: rank for kind, rank in KIND_ORDER.items()}, value=_text(Deadline.kind)
)
_COMPLIANCE = (
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
        _text(Deadline.kind),
        col(Deadline.start_on),
        col(Deadline.due_on),
        col(Deadline.extended),
        col(Deadline.closed_on),
        _text(Deadline.status),
        _text(Deadline.mode),
    )
    .join(Organization, col(Organization.id) == col(Plan.organization_id))
    .outerjoin(Deadline, col(Deadline.plan_id) == col(Plan.id))
    .order_by(
        col(Organization.code), col(Plan.kind), col(Plan.number), col(Plan.id), _KIND_RANK,
        col(Deadline.id),
    )
)
