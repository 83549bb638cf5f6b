"""The holiday calendar in force: the package seed plus the admin overlay in the database.

When the overlay changes, open deadlines are recomputed and the change is logged with every
deadline it moved; closed deadlines never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from models.calendar import CalendarChange, HolidayOverlay
from models.clock import Clock
from models.deadline import Deadline
from models.enums import DeadlineKind, DeadlineStatus, OverlayKind, Role
from workflow.actors import Actor
from workflow.calendar import WorkingCalendar, overlay_from
from workflow.deadlines import terms
from workflow.errors import Forbidden, ValidationFailed, reason
from workflow.policy import WorkflowPolicy


def load_calendar(session: Session) -> WorkingCalendar:
    """The package seed plus the overlay stored in the database (`workflow.overlay_quick`
    reads the same rows without SQLAlchemy for the CLI)."""
    rows = session.exec(select(HolidayOverlay)).all()
    return WorkingCalendar(overlay=overlay_from((r.day, r.kind, r.name) for r in rows))


def list_overlay(session: Session) -> list[HolidayOverlay]:
    return list(session.exec(select(HolidayOverlay).order_by(col(HolidayOverlay.day))))


@dataclass(frozen=True)
class OverlayEntry:
    day: date
    kind: OverlayKind | None  # None: clear the entry, back to the package seed
    name: str
    source: str


def change_overlay(
    session: Session,
    *,
    entry: OverlayEntry,
    actor: Actor,
    clock: Clock,
    policy: WorkflowPolicy,
) -> CalendarChange:
    """Add a day off, mark a package day as a working day, or clear an entry; then move open
    deadlines to the new calendar and log which ones moved."""
    if actor.role is not Role.ADMIN:
        raise Forbidden(
            [reason("admin_only", "เฉพาะผู้ดูแลระบบ", "only an admin may change holidays")]
        )
    if entry.kind is not None and not (entry.name.strip() and entry.source.strip()):
        raise ValidationFailed(
            [
                reason(
                    "name_and_source_required",
                    "ต้องระบุชื่อวันและแหล่งที่มา",
                    "a holiday needs a name and a source",
                )
            ]
        )
    now = clock.now()
    existing = session.exec(select(HolidayOverlay).where(HolidayOverlay.day == entry.day)).first()
    if existing is not None:
        session.delete(existing)
        session.flush()
    if entry.kind is not None:
        session.add(
            HolidayOverlay(
                day=entry.day,
                kind=entry.kind,
                name=entry.name,
                source=entry.source,
                created_by=actor.username,
                created_at=now,
            )
        )
    session.flush()
    moved = recompute_open_deadlines(session, policy=policy, calendar=load_calendar(session))
    change = CalendarChange(
        day=entry.day,
        change=entry.kind.value if entry.kind else "clear",
        name=entry.name,
        source=entry.source,
        actor_username=actor.username,
        recorded_at=now,
        moved=moved,
    )
    session.add(change)
    session.flush()
    return change


def recompute_open_deadlines(
    session: Session, *, policy: WorkflowPolicy, calendar: WorkingCalendar
) -> list[dict[str, str | int]]:
    moved: list[dict[str, str | int]] = []
    query = (
        select(Deadline).where(Deadline.status == DeadlineStatus.OPEN).order_by(col(Deadline.id))
    )
    for deadline in session.exec(query):
        before = (deadline.due_on, deadline.last_working_on)
        fresh = terms(
            DeadlineKind(deadline.kind),
            deadline.start_on,
            policy=_policy_of(deadline, policy),
            calendar=calendar,
        )
        due_on = deadline.due_on if deadline.extended else fresh.due_on
        after = (due_on, calendar.last_working_on_or_before(due_on))
        if after != before:
            deadline.due_on, deadline.last_working_on = after
            session.add(deadline)
            moved.append(
                {
                    "deadline_id": deadline.id or 0,
                    "plan_id": deadline.plan_id,
                    "kind": str(deadline.kind),
                    "due_on_before": before[0].isoformat(),
                    "due_on_after": after[0].isoformat(),
                    "last_working_on_before": before[1].isoformat(),
                    "last_working_on_after": after[1].isoformat(),
                }
            )
    return moved


def _policy_of(deadline: Deadline, policy: WorkflowPolicy) -> WorkflowPolicy:
    """A deadline keeps the counting mode it was started under."""
    return WorkflowPolicy(
        counting_mode=deadline.mode,
        conservative_minimum_posting=deadline.conservative,
        amendment_requires_committee=policy.amendment_requires_committee,
    )
