"""The holiday calendar in force: the package seed plus the admin overlay in the database.

When the overlay changes, open deadlines are recomputed and the change is logged with every
deadline it moved; closed deadlines never change. `preview_overlay_change` computes the same
moves without writing (the admin page shows them before the admin confirms).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlmodel import Session, col, select

from models import store
from models.calendar import CalendarChange, HolidayOverlay
from models.clock import Clock
from models.enums import DeadlineKind, DeadlineStatus, OverlayKind, Role
from models.store import ClockRow
from workflow import input_rules as rules
from workflow.actors import Actor
from workflow.calendar import Overlay, WorkingCalendar, overlay_from
from workflow.deadlines import terms
from workflow.errors import Forbidden, reason
from workflow.policy import WorkflowPolicy

_OVERLAY = store.table_of(HolidayOverlay)
_ENTRIES = sa.select(_OVERLAY.c.day, _OVERLAY.c.kind, _OVERLAY.c.name)


def load_calendar(session: Session | Connection) -> WorkingCalendar:
    """The package seed plus the overlay stored in the database (`workflow.overlay_quick`
    reads the same rows without SQLAlchemy for the CLI); on a session's connection or a
    command's (no ORM objects: a command starting a clock reads it)."""
    conn = session if isinstance(session, Connection) else session.connection()
    rows = conn.execute(_ENTRIES).all()
    return WorkingCalendar(overlay=overlay_from((day, kind, name) for day, kind, name in rows))


def list_overlay(session: Session) -> list[HolidayOverlay]:
    return list(session.exec(select(HolidayOverlay).order_by(col(HolidayOverlay.day))))


@dataclass(frozen=True)
class OverlayEntry:
    day: date
    kind: OverlayKind | None  # None: clear the entry, back to the package seed
    name: str
    source: str


def clean_entry(entry: OverlayEntry) -> OverlayEntry:
    """The entry as the input rules leave it: a legal date; for an added or removed day a
    name and a source, each free text (a cleared day needs neither)."""
    day = rules.legal_date(entry.day, field="day")
    if entry.kind is None:
        return replace(entry, day=day, name="", source="")
    name = rules.free_text(entry.name, field="name", max_length=rules.HOLIDAY_NAME_MAX)
    source = rules.free_text(entry.source, field="source", max_length=rules.SOURCE_MAX)
    return OverlayEntry(day, entry.kind, name or "", source or "")


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
    entry = clean_entry(entry)  # the input rules (workflow/input_rules.py)
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
    """Move every open deadline to `calendar` (`moves`); what moved, for the change's log."""
    conn = session.connection()
    clocks = store.open_clocks(conn)
    found = moves(clocks, policy=policy, calendar=calendar)
    by_id = {clock.id: clock for clock in clocks}
    for move in found:
        clock = by_id[move.deadline_id]
        moved = replace(clock, due_on=move.due_on_after, last_working_on=move.last_working_on_after)
        store.move_clock(conn, clock, moved)
    return [move.logged() for move in found]


@dataclass(frozen=True)
class Move:
    """An open deadline whose due date or last working day differ under another calendar."""

    deadline_id: int
    plan_id: int | None  # None: a monitoring report's clock
    kind: DeadlineKind
    due_on_before: date
    due_on_after: date
    last_working_on_before: date
    last_working_on_after: date

    def logged(self) -> dict[str, str | int]:
        """As the calendar change records it."""
        return {
            "deadline_id": self.deadline_id,
            **({"plan_id": self.plan_id} if self.plan_id is not None else {}),
            "kind": str(self.kind),
            "due_on_before": self.due_on_before.isoformat(),
            "due_on_after": self.due_on_after.isoformat(),
            "last_working_on_before": self.last_working_on_before.isoformat(),
            "last_working_on_after": self.last_working_on_after.isoformat(),
        }


def with_entry(calendar: WorkingCalendar, entry: OverlayEntry) -> WorkingCalendar:
    """The calendar as it would be after the entry is applied."""
    added = {d: n for d, n in calendar.overlay.added.items() if d != entry.day}
    removed = {d for d in calendar.overlay.removed if d != entry.day}
    if entry.kind is OverlayKind.ADD:
        added[entry.day] = entry.name
    elif entry.kind is OverlayKind.REMOVE:
        removed.add(entry.day)
    return replace(calendar, overlay=Overlay(added=added, removed=frozenset(removed)))


def moves(
    clocks: list[ClockRow], *, policy: WorkflowPolicy, calendar: WorkingCalendar
) -> list[Move]:
    """Pure: the open deadlines whose due date or last working day differ under `calendar`
    (an extended deadline keeps its date; each keeps the counting mode it was started under)."""
    found = []
    for clock in clocks:
        if clock.status is not DeadlineStatus.OPEN:
            continue
        kind = DeadlineKind(clock.kind)
        fresh = terms(kind, clock.start_on, policy=_policy_of(clock, policy), calendar=calendar)
        due_on = clock.due_on if clock.extended else fresh.due_on
        last = calendar.last_working_on_or_before(due_on)
        if (due_on, last) != (clock.due_on, clock.last_working_on):
            found.append(
                Move(
                    clock.id,
                    clock.plan_id,
                    kind,
                    clock.due_on,
                    due_on,
                    clock.last_working_on,
                    last,
                )
            )
    return found


def preview_overlay_change(
    session: Session, *, entry: OverlayEntry, policy: WorkflowPolicy
) -> list[Move]:
    """Read only: the moves `change_overlay(entry)` would make now, so the admin page can show
    the consequences before the admin confirms."""
    calendar = with_entry(load_calendar(session), entry)
    return moves(store.open_clocks(session.connection()), policy=policy, calendar=calendar)


def _policy_of(clock: ClockRow, policy: WorkflowPolicy) -> WorkflowPolicy:
    """A deadline keeps the counting mode it was started under."""
    return WorkflowPolicy(
        counting_mode=clock.mode,
        conservative_minimum_posting=clock.conservative,
        amendment_requires_committee=policy.amendment_requires_committee,
    )
