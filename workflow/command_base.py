"""What every command shares: the context, the refusal, the opening on a visible plan (one
loader), the checks each command makes, starting clocks and writing the audit record."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from models import store, visibility
from models.clock import Clock, today_bangkok
from models.db import Tx, unit_of
from models.deadline import SWEEP_NOW
from models.enums import Action, DeadlineKind, DeadlineStatus, PlanState, Role
from models.fastsql import Encoded
from models.store import NEW, ClockRow, PlanWithClocks
from workflow import audit
from workflow.actors import Actor
from workflow.calendar import WorkingCalendar
from workflow.deadlines import terms
from workflow.errors import (
    DomainError,
    Forbidden,
    GuardRefused,
    NotFound,
    Reason,
    Refusal,
    StaleVersion,
    reason,
)
from workflow.evidence_rules import EvidencePolicy
from workflow.notices import message
from workflow.overlay import load_calendar
from workflow.papers import Renderer
from workflow.policy import WorkflowPolicy
from workflow.report_papers import ReportRenderer
from workflow.table import Rule


@dataclass(frozen=True)
class Context:
    """What every command needs besides the session: the rules in force and the time."""

    policy: WorkflowPolicy
    clock: Clock
    calendar: WorkingCalendar | None = None  # None: the seed plus the overlay in the database
    # Makes the announced plan's papers (workflow/papers.py); given by the api (documents/).
    renderer: Renderer | None = None
    # Makes an announced monitoring report's papers (workflow/report_papers.py), likewise.
    report_renderer: ReportRenderer | None = None
    # What evidence each action carries (docs/domain.md "Evidence"), from the settings.
    evidence: EvidencePolicy = field(default_factory=EvidencePolicy)

    def calendar_for(self, session: Tx) -> WorkingCalendar:
        if self.calendar is not None:
            return self.calendar
        return load_calendar(unit_of(session).conn)  # read on the connection: no session


@dataclass(frozen=True)
class Opening:
    """Where a command on an existing plan starts: the plan locked and visible, today, the
    legal date it takes effect, and the refusal to record if a check fails."""

    conn: Connection
    plan: PlanWithClocks
    refusal: Refusal
    today: date
    effective_on: date


def refuse(refusal: Refusal, error: type[DomainError], *reasons: Reason) -> DomainError:
    return error(list(reasons), refusal=refusal)


def refusal_for(
    action: Action,
    actor: Actor,
    *,
    effective_on: date,
    request_id: str | None,
    plan_id: int | None = None,
) -> Refusal:
    """The attempt as it is recorded if the command is refused."""
    return Refusal(
        action.value,
        actor.user_id,
        actor.username,
        actor.role,
        plan_id=plan_id,
        organization_id=None,
        effective_on=effective_on,
        request_id=request_id,
    )


def open_on_plan(
    session: Tx,
    ctx: Context,
    *,
    action: Action,
    plan_id: int,
    actor: Actor,
    effective_on: date | None,
    request_id: str | None,
) -> Opening:
    """The opening every command on an existing plan shares: today's legal date, the
    refusal, and the plan locked with its clocks if the actor may see it."""
    today = today_bangkok(ctx.clock)
    on = effective_on or today
    refusal = refusal_for(action, actor, effective_on=on, request_id=request_id, plan_id=plan_id)
    conn, plan = load_visible(session, plan_id, actor, refusal)
    refusal = Refusal(  # made anew: cheaper than dataclasses.replace on the hot path
        refusal.action, refusal.actor_user_id, refusal.actor_username, refusal.actor_role,
        plan_id=plan_id, organization_id=plan.organization_id, effective_on=on,
        request_id=request_id,
    )
    return Opening(conn, plan, refusal, today, on)


MAX_ID = 2**63 - 1  # both engines' integer keys; a larger id cannot exist (nor be bound)


def not_found() -> Reason:
    return reason("plan_not_found", "ไม่พบแผน", "no such plan")


@dataclass
class NotVisible(NotFound):
    """A command on a plan the actor may not see: another organization's, or none at all
    (docs/domain.md "Roles": answered exactly as "not found"). It is recorded in no plan's
    trail, so nobody writes into another organization's history; `attempt` is what the
    boundary counts against the actor instead (api/throttling.py)."""

    attempt: Refusal | None = None


def load_visible(
    session: Tx, plan_id: int, actor: Actor, refusal: Refusal
) -> tuple[Connection, PlanWithClocks]:
    """The plan with its clocks, locked for this transaction (`store.PLANS.lock`), if the
    actor may see it; a missing plan and another organization's are the same NotVisible."""
    unit = unit_of(session)
    unit.flush()  # the caller's pending ORM changes go first, as autoflush would
    conn = unit.conn
    plan = store.PLANS.lock(conn, plan_id) if 0 < plan_id <= MAX_ID else None
    if plan is None or not sees(actor, unit, plan.organization_id):
        tried = plan_id if 0 < plan_id <= MAX_ID else None
        raise NotVisible([not_found()], attempt=replace(refusal, plan_id=tried))
    return conn, plan


def sees(actor: Actor, session: Tx, organization_id: int) -> bool:
    """Whether the actor may see the organization's plans (docs/domain.md "Roles"; the one
    rule is models.visibility's: a session is made only when the database must answer)."""
    if actor.belongs_to(organization_id) or visibility.plainly_sees(actor.scope, organization_id):
        return True
    return visibility.sees(unit_of(session).session(), actor.scope, organization_id)


def in_role(
    actor: Actor, refusal: Refusal, permitted: Collection[Role], organization_id: int | None
) -> tuple[Actor, Refusal]:
    """The actor in the role this act is done in (docs/domain.md "Memberships": the one held
    role the table permits, or the one named) and the refusal naming that role; a role not
    held today is refused here, whatever the table says of it."""
    actor = actor.acting(permitted, organization_id)
    if actor.role != refusal.actor_role:
        refusal = replace(refusal, actor_role=actor.role)
    if not actor.holds(actor.role):
        raise refuse(
            refusal,
            Forbidden,
            reason(
                "role_not_held",
                f"ท่านไม่ได้ดำรงบทบาท {actor.role.value} ในวันนี้",
                f"{actor.username} holds no membership in role {actor.role.value} today",
            ),
        )
    return actor, refusal


def role_reason(actor: Actor, rule: Rule) -> Reason:
    roles = ", ".join(sorted(r.value for r in rule.roles))
    return reason(
        "role_not_allowed",
        f"บทบาท {actor.role.value} ไม่มีสิทธิ์ทำขั้นตอนนี้ (ต้องเป็น {roles})",
        f"role {actor.role.value} may not {rule.action.value} (needs {roles})",
    )


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


def check_guards(problems: list[Reason | None] | list[Reason], refusal: Refusal) -> None:
    """Refuse with every guard's reason at once, if any failed."""
    found = [p for p in problems if p is not None]
    if found:
        raise refuse(refusal, GuardRefused, *found)


def new_clock(
    plan_id: int, kind: DeadlineKind, start_on: date, ctx: Context, calendar: WorkingCalendar
) -> ClockRow:
    """A clock that starts on `start_on` with its terms under the policy (not stored yet)."""
    t = terms(kind, start_on, policy=ctx.policy, calendar=calendar)
    return ClockRow(
        id=NEW,
        plan_id=plan_id,
        report_id=None,
        kind=kind,
        start_on=start_on,
        days=t.days,
        mode=ctx.policy.counting_mode,
        conservative=ctx.policy.conservative_minimum_posting,
        clause=t.clause,
        base_due_on=t.base_due_on,
        due_on=t.due_on,
        last_working_on=t.last_working_on,
        extended=False,
        status=DeadlineStatus.OPEN,
        closed_on=None,
        created_at=ctx.clock.now(),
        closed_at=None,
        alert_on=SWEEP_NOW,
    )


def start_clocks(
    session: Tx,
    conn: Connection,
    ctx: Context,
    *,
    plan_id: int,
    kinds: tuple[DeadlineKind, ...],
    start_on: date,
) -> list[ClockRow]:
    """Start the clocks of `kinds` on `start_on`; the rows as stored."""
    if not kinds:
        return []
    calendar = ctx.calendar_for(session)
    return [
        store.CLOCK.insert_row(conn, new_clock(plan_id, kind, start_on, ctx, calendar))
        for kind in kinds
    ]


def snapshot(clock: ClockRow) -> dict[str, Any]:
    """The clock as it stood, for the audit record."""
    return {
        "kind": clock.kind.value,
        "start_on": clock.start_on.isoformat(),
        "due_on": clock.due_on.isoformat(),
        "last_working_on": clock.last_working_on.isoformat(),
        "mode": str(clock.mode),
        "status": clock.status.value,
        "closed_on": clock.closed_on.isoformat() if clock.closed_on else None,
    }


@dataclass(frozen=True)
class Entry:
    """What the audit record of a command says besides the plan's move (`details` given
    `Encoded`: its canonical JSON, made once by the command, `workflow.audit.canonical`)."""

    action: Action
    actor: Actor
    effective_on: date
    recorded_at: datetime
    comment: str | None
    request_id: str | None
    details: dict[str, Any] | Encoded


def record(
    conn: Connection,
    old: PlanWithClocks,
    new: PlanWithClocks | Mapping[str, Any],
    entry: Entry,
    *,
    from_state: PlanState | None,
) -> tuple[PlanWithClocks, int]:
    """Append the plan's next hash-chained record, move its head to it and write the plan's
    change (`old` → `new`, or `old` with the fields `new` maps changed: one copy of the plan
    instead of two); the plan as it now stands and the record's id."""
    to_state = new.state if isinstance(new, PlanWithClocks) else new.get("state", old.state)
    values = audit.next_record(
        plan_id=old.id,
        organization_id=old.organization_id,
        version=old.version,
        head_hash=old.head_hash,
        action=entry.action,
        from_state=from_state,
        to_state=to_state,
        actor=entry.actor,
        effective_on=entry.effective_on,
        recorded_at=entry.recorded_at,
        comment=entry.comment,
        request_id=entry.request_id,
        details=entry.details,
    )
    record_id = store.insert_values(conn, store.RECORD, values)
    head = {"version": values["seq"], "head_hash": values["hash"]}
    if isinstance(new, PlanWithClocks):
        moved = replace(new, **head)
        store.PLANS.update(conn, old, moved)
    else:
        moved = replace(old, **new, **head)
        store.PLANS.update(conn, old, moved, among=(*new, *head))
    return moved, record_id


def tell(
    conn: Connection,
    *,
    key: str,
    kind: str,
    plan: PlanWithClocks,
    audience: tuple[Role, ...],
    payload: dict[str, Any] | Encoded,
    now: datetime,
    deadline_id: int | None = None,
) -> None:
    """Queue one outbox message about the plan (workflow.notices.message; `payload` may be
    given as its JSON already)."""
    store.insert_values(
        conn,
        store.OUTBOX,
        message(
            key=key,
            kind=kind,
            organization_id=plan.organization_id,
            plan_id=plan.id,
            audience=audience,
            payload=payload,
            now=now,
            deadline_id=deadline_id,
        ),
    )
