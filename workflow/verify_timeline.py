"""The account events replayed: each user's primary role, active flag and memberships from
one point of the history log on (docs/integrity.md "Account events and the actor check"), and
the users and membership tables against where the events end. Used by
workflow/verify_actors.py."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from models.account import AccountEventKind
from models.enums import Role
from models.roles import ORG_ROLES
from workflow.log import LogFinding

ORG_ROLE_VALUES = frozenset(r.value for r in ORG_ROLES)

@dataclass(frozen=True)
class ActorFinding(LogFinding):
    """A row whose actor was not who it says then: table, id, the field and what differs."""

    field: str = ""


@dataclass(frozen=True)
class Grant:
    """One membership as the account events say it stood (docs/domain.md "Memberships")."""

    id: int
    role: str
    organization_id: int | None
    starts_on: date
    ends_on: date | None

    def covers(self, role: str, organization_id: int | None, day: date) -> bool:
        same_org = organization_id is None or role not in ORG_ROLE_VALUES
        return (
            self.role == role
            and (same_org or self.organization_id == organization_id)
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )


@dataclass(frozen=True)
class State:
    """A user as the account events say they were from one point of the history on: the
    primary role and organization (the `user` row's), whether active, and the memberships
    granted so far (None: before the user had any, when the primary role alone authorized)."""

    role: str
    organization_id: int | None
    active: bool
    held: tuple[Grant, ...] | None = None


@dataclass
class Timeline:
    """One user's states in history order; `keys[i]` is where `states[i]` began."""

    username: str
    keys: list[int] = field(default_factory=list)  # log entry numbers (-1: backfilled)
    times: list[datetime] = field(default_factory=list)
    states: list[State] = field(default_factory=list)

    def at(self, seq: int | None, when: object) -> State | None:
        """The state in force just before log entry `seq` (or at instant `when`)."""
        if seq is not None:
            index = bisect.bisect_left(self.keys, seq)
        else:
            index = bisect.bisect_right(self.times, instant(when))
        return self.states[index - 1] if index else None



def instant(value: object) -> datetime:
    """A UTC instant from a column read without its type (SQLite: text; PostgreSQL: aware)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def apply_event(
    timelines: dict[int, Timeline], users: Mapping[int, Any], event: Any
) -> list[ActorFinding]:
    """Add what one event says to its user's timeline."""

    def found(field_name: str, detail: str) -> list[ActorFinding]:
        return [
            ActorFinding(
                "account_event_" + field_name,
                detail,
                "account_event",
                event.id,
                event.seq,
                field=field_name,
            )
        ]

    user = users.get(event.subject_user_id)
    if user is None:
        return found("subject_user_id", f"no user {event.subject_user_id}")
    line = timelines.get(event.subject_user_id)
    kind = AccountEventKind(event.kind)
    if line is None and kind is not AccountEventKind.CREATED:
        return found("kind", f"{kind.value} before user {user.username} was created")
    if line is not None and kind is AccountEventKind.CREATED:
        return found("kind", f"user {user.username} created twice")
    after = event.details.get("after") or {}
    last = line.states[-1] if line is not None else None
    if kind in (AccountEventKind.CREATED, AccountEventKind.ROLE_CHANGED):
        state = State(str(after.get("role")), after.get("organization_id"), True)
        if last is not None:
            state = replace(last, role=state.role, organization_id=state.organization_id)
    elif kind in (AccountEventKind.DEACTIVATED, AccountEventKind.REACTIVATED):
        assert last is not None
        state = replace(last, active=kind is AccountEventKind.REACTIVATED)
    elif kind in MEMBERSHIP_KINDS:
        assert last is not None and line is not None
        grant = _grant(event.details.get("membership") or {})
        if grant is None:
            return found("details", "the event names no membership")
        kept = tuple(g for g in last.held or () if g.id != grant.id)
        state = replace(last, held=(*kept, grant))
    else:
        return []
    if line is None:
        line = timelines[event.subject_user_id] = Timeline(user.username)
    backfilled = event.details.get("backfilled")
    created = kind is AccountEventKind.CREATED
    line.keys.append(-1 if backfilled and created else _key(event.seq))
    at = user.created_at if backfilled and created else instant(event.at)
    line.times.append(max(at, line.times[-1]) if line.times else at)  # kept in order
    line.states.append(state)
    return []


MEMBERSHIP_KINDS = (AccountEventKind.MEMBERSHIP_GRANTED, AccountEventKind.MEMBERSHIP_ENDED)


def _grant(raw: Mapping[str, Any]) -> Grant | None:
    """A membership as an event's details name it."""
    try:
        ends = raw.get("ends_on")
        return Grant(
            int(raw["id"]),
            str(raw["role"]),
            raw.get("organization_id"),
            date.fromisoformat(str(raw["starts_on"])),
            date.fromisoformat(str(ends)) if ends else None,
        )
    except (KeyError, TypeError, ValueError):
        return None


def _key(seq: int | None) -> int:
    """An unlogged event (a finding of workflow/log.py already) counts as the newest."""
    return seq if seq is not None else 2**62


def matches_row(user: Any, line: Timeline | None) -> list[ActorFinding]:
    """The users table says what the last event says."""
    if line is None:
        return [
            ActorFinding(
                "user_without_events",
                f"user {user.username} has no created event",
                "user",
                user.id,
                field="created",
            )
        ]
    last = line.states[-1]
    row = State(Role(user.role).value, user.organization_id, bool(user.is_active))
    return [
        ActorFinding(
            "user_differs_from_events",
            f"user {user.username}: the row says {name} {ours!r}, "
            f"the account events say {theirs!r}",
            "user",
            user.id,
            field=name,
        )
        for name, ours, theirs in (
            ("role", row.role, last.role),
            ("organization_id", row.organization_id, last.organization_id),
            ("is_active", row.active, last.active),
        )
        if ours != theirs
    ]


def memberships_match(rows: Iterable[Any], timelines: Mapping[int, Timeline]) -> list[ActorFinding]:
    """The membership table says what the events last said of each membership, and holds
    every membership they granted (a row edited, added or deleted by hand is found)."""
    findings: list[ActorFinding] = []
    seen: set[int] = set()
    for row in rows:
        seen.add(row.id)
        line = timelines.get(row.user_id)
        held = {g.id: g for g in (line.states[-1].held or ())} if line is not None else {}
        ours = Grant(row.id, str(row.role), row.organization_id, row.starts_on, row.ends_on)
        theirs = held.get(row.id)
        if theirs == ours:
            continue
        differs = [
            name
            for name in ("role", "organization_id", "starts_on", "ends_on")
            if theirs is None or getattr(ours, name) != getattr(theirs, name)
        ]
        findings.append(
            ActorFinding(
                "membership_differs_from_events",
                f"membership {row.id}: the row says {ours}, the account events say {theirs}",
                "membership",
                row.id,
                field="user_id" if theirs is None else differs[0],
            )
        )
    for line in timelines.values():
        for grant in line.states[-1].held or ():
            if grant.id not in seen:
                findings.append(
                    ActorFinding(
                        "membership_missing",
                        f"membership {grant.id} of {line.username} was granted, no row holds it",
                        "membership",
                        grant.id,
                        field="id",
                    )
                )
    return findings
