"""What every command shares: the context, refusals, loading a visible plan, its clocks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from models.clock import Clock
from models.deadline import Deadline
from models.enums import (
    DeadlineKind,
    DeadlineStatus,
)
from models.plan import Plan
from models.visibility import sees
from workflow.actors import Actor
from workflow.calendar import WorkingCalendar
from workflow.deadlines import terms
from workflow.errors import (
    DomainError,
    NotFound,
    Reason,
    Refusal,
    StaleVersion,
    reason,
)
from workflow.overlay import load_calendar
from workflow.plan_store import ClockRow
from workflow.policy import WorkflowPolicy
from workflow.table import Rule


@dataclass(frozen=True)
class Context:
    """What every command needs besides the session: the rules in force and the time."""

    policy: WorkflowPolicy
    clock: Clock
    calendar: WorkingCalendar | None = None  # None: the seed plus the overlay in the database

    def calendar_for(self, session: Session) -> WorkingCalendar:
        return self.calendar if self.calendar is not None else load_calendar(session)


def refuse(refusal: Refusal, error: type[DomainError], *reasons: Reason) -> DomainError:
    return error(list(reasons), refusal=refusal)


def check_version(version: int, expected_version: int, refusal: Refusal) -> None:
    """The optimistic lock: act only on the version the person saw."""
    if expected_version != version:
        raise refuse(
            refusal,
            StaleVersion,
            reason(
                "stale_version",
                f"แผนถูกแก้ไขไปแล้ว (ฉบับที่ {version})",
                f"the plan is at version {version}, not {expected_version}",
            ),
        )


def not_found() -> Reason:
    return reason("plan_not_found", "ไม่พบแผน", "no such plan")


MAX_ID = 2**63 - 1  # both engines' integer keys; a larger id cannot exist (nor be bound)


def load_visible(session: Session, plan_id: int, actor: Actor, refusal: Refusal) -> Plan:
    plan = None
    if 0 < plan_id <= MAX_ID:
        # FOR NO KEY UPDATE (PostgreSQL): foreign-key checks of rows that refer to the plan
        # (outbox messages written by the sweeper) take KEY SHARE, which FOR UPDATE would
        # block, and the sweeper holds a deadline the command wants next: a deadlock.
        plan = session.exec(
            select(Plan).where(Plan.id == plan_id).with_for_update(key_share=True)
        ).first()
    if plan is None:
        raise refuse(replace(refusal, plan_id=None), NotFound, not_found())
    org_id = plan.organization_id
    if not actor.belongs_to(org_id) and not auditor_sees(actor, session, org_id):
        raise refuse(replace(refusal, organization_id=org_id), NotFound, not_found())
    return plan


def auditor_sees(actor: Actor, session: Session, organization_id: int) -> bool:
    return sees(session, actor.scope, organization_id)  # the one rule, models.visibility


def role_reason(actor: Actor, rule: Rule) -> Reason:
    roles = ", ".join(sorted(r.value for r in rule.roles))
    return reason(
        "role_not_allowed",
        f"บทบาท {actor.role.value} ไม่มีสิทธิ์ทำขั้นตอนนี้ (ต้องเป็น {roles})",
        f"role {actor.role.value} may not {rule.action.value} (needs {roles})",
    )


def plan_deadlines(session: Session, plan: Plan) -> dict[DeadlineKind, Deadline]:
    rows = session.exec(
        select(Deadline).where(Deadline.plan_id == plan.id).order_by(col(Deadline.id))
    ).all()
    return {DeadlineKind(d.kind): d for d in rows}


def deadline_values(
    plan_id: int, kind: DeadlineKind, start_on: date, ctx: Context, calendar: WorkingCalendar
) -> dict[str, Any]:
    """The column values of a clock that starts on `start_on` (its terms under the policy)."""
    t = terms(kind, start_on, policy=ctx.policy, calendar=calendar)
    return {
        "plan_id": plan_id,
        "kind": kind,
        "start_on": start_on,
        "days": t.days,
        "mode": ctx.policy.counting_mode,
        "conservative": ctx.policy.conservative_minimum_posting,
        "clause": t.clause,
        "base_due_on": t.base_due_on,
        "due_on": t.due_on,
        "last_working_on": t.last_working_on,
        "extended": False,
        "status": DeadlineStatus.OPEN,
        "created_at": ctx.clock.now(),
    }


def start_deadline(
    session: Session,
    plan: Plan,
    kind: DeadlineKind,
    start_on: date,
    ctx: Context,
    calendar: WorkingCalendar,
) -> Deadline:
    assert plan.id is not None
    deadline = Deadline(**deadline_values(plan.id, kind, start_on, ctx, calendar))
    session.add(deadline)
    session.flush()
    return deadline


def close_deadline(
    session: Session, deadline: Deadline, status: DeadlineStatus, closed_on: date, now: Any
) -> None:
    deadline.status, deadline.closed_on, deadline.closed_at = status, closed_on, now
    session.add(deadline)


def snapshot(deadline: Deadline | ClockRow) -> dict[str, Any]:
    """The deadline as it stood, for the audit record."""
    return {
        "kind": DeadlineKind(deadline.kind).value,
        "start_on": deadline.start_on.isoformat(),
        "due_on": deadline.due_on.isoformat(),
        "last_working_on": deadline.last_working_on.isoformat(),
        "mode": str(deadline.mode),
        "status": DeadlineStatus(deadline.status).value,
        "closed_on": deadline.closed_on.isoformat() if deadline.closed_on else None,
    }
