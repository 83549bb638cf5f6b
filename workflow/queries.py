"""Read side: history, state as of an instant, deadlines, available actions, compliance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.audit import RefusedAttempt, TransitionRecord
from models.clock import Clock, today_bangkok
from models.deadline import Deadline, DeadlineExtension
from models.enums import Action, DeadlineKind, DeadlineStatus, PlanKind, PlanState
from models.organization import Organization
from models.plan import Plan
from workflow.actors import Actor
from workflow.errors import Reason
from workflow.guards import ActionInput, check
from workflow.policy import WorkflowPolicy
from workflow.table import CLOCKS, Rule, rules_from


def get_plan(session: Session, plan_id: int) -> Plan | None:
    return session.get(Plan, plan_id)


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


def list_deadlines(session: Session, plan_id: int) -> list[Deadline]:
    query = select(Deadline).where(Deadline.plan_id == plan_id).order_by(col(Deadline.id))
    return list(session.exec(query))


def list_extensions(session: Session, deadline_id: int) -> list[DeadlineExtension]:
    query = select(DeadlineExtension).where(DeadlineExtension.deadline_id == deadline_id)
    return list(session.exec(query.order_by(col(DeadlineExtension.id))))


@dataclass(frozen=True)
class ActionOption:
    rule: Rule
    blocked_by: tuple[Reason, ...]  # guards that already fail today, whatever the input

    @property
    def action(self) -> Action:
        return self.rule.action


def available_actions(
    session: Session, plan: Plan, actor: Actor, *, policy: WorkflowPolicy, clock: Clock
) -> list[ActionOption]:
    """The moves of the table this actor may make on this plan now, with date-only guards
    evaluated for today (input guards such as a reason are left to the form)."""
    if not actor.belongs_to(plan.organization_id):
        return []
    today = today_bangkok(clock)
    removal = None
    for deadline in list_deadlines(session, plan.id or 0):
        if deadline.kind is DeadlineKind.MINIMUM_POSTING:
            removal = deadline.due_on
    options = []
    for rule in rules_from(PlanKind(plan.kind), PlanState(plan.state), policy):
        if actor.role not in rule.roles:
            continue
        probe = ActionInput(
            today, today, plan.last_effective_on, comment="-", places=("-",), removal_on=removal
        )
        options.append(ActionOption(rule, tuple(check(rule, probe))))
    return options


def can_extend(plan: Plan, deadline: Deadline, actor: Actor) -> bool:
    return (
        actor.belongs_to(plan.organization_id)
        and deadline.status is DeadlineStatus.OPEN
        and actor.role in CLOCKS[DeadlineKind(deadline.kind)].extendable_by
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


def _clock_status(deadline: Deadline, today: date) -> str:
    status = DeadlineStatus(deadline.status)
    if status is DeadlineStatus.OPEN:
        return (
            "overdue"
            if today > deadline.due_on and deadline.kind is not DeadlineKind.MINIMUM_POSTING
            else "open"
        )
    return {
        DeadlineStatus.MET: "on_time",
        DeadlineStatus.LATE: "late",
        DeadlineStatus.CANCELLED: "cancelled",
    }[status]


def compliance(
    session: Session,
    *,
    fiscal_year_be: int,
    clock: Clock,
    organization_ids: list[int] | None = None,
) -> list[PlanCompliance]:
    """Per plan of a fiscal year: B and due B+30 (with extensions), D and due D+15, P and the
    earliest removal date, actual completion, each on time / late / open (DOMAIN.md)."""
    today = today_bangkok(clock)
    query = (
        select(Plan, Organization)
        .join(Organization, col(Organization.id) == col(Plan.organization_id))
        .where(Plan.fiscal_year_be == fiscal_year_be)
        .order_by(col(Organization.code), col(Plan.kind), col(Plan.number))
    )
    if organization_ids is not None:
        query = query.where(col(Plan.organization_id).in_(organization_ids))
    rows = session.exec(query).all()
    plan_ids = [p.id for p, _ in rows]
    by_plan: dict[int, list[Deadline]] = {}
    for deadline in session.exec(select(Deadline).where(col(Deadline.plan_id).in_(plan_ids))):
        by_plan.setdefault(deadline.plan_id, []).append(deadline)
    report = []
    for plan, org in rows:
        deadlines = sorted(
            by_plan.get(plan.id or 0, []), key=lambda d: list(DeadlineKind).index(d.kind)
        )
        clocks = tuple(
            ClockCompliance(
                DeadlineKind(d.kind),
                d.start_on,
                d.due_on,
                d.extended,
                d.closed_on,
                _clock_status(d, today),
            )
            for d in deadlines
        )
        report.append(
            PlanCompliance(
                plan_id=plan.id or 0,
                organization_code=org.code,
                organization_name=org.name,
                province=org.province,
                fiscal_year_be=plan.fiscal_year_be,
                kind=PlanKind(plan.kind),
                number=plan.number,
                state=PlanState(plan.state),
                mode=str(deadlines[0].mode) if deadlines else "-",
                trigger_on=plan.trigger_on,
                announced_on=plan.announced_on,
                posted_on=plan.posted_on,
                completed_on=plan.posting_complete_on,
                clocks=clocks,
            )
        )
    return report
