"""Each history row's actor existed and held that role (and organization) when they acted.

What auditors need (docs/domain.md "What auditors need"): a record is evidence only if the
person it names was, at that moment, an active user in the role it says, acting for the
organization it says. The users table says who exists now; the account events
(workflow/accounts.record_event) say who each user was at every moment: `created` and
`role_changed` give the role and organization, `deactivated` and `reactivated` whether the
account was usable. "Then" is the row's place in the history log (its entry number), so a
role change and an action in the same second are ordered as they were committed; a row the
log lacks (itself a finding of workflow/log.py) is placed by its time. The `created` event
that migration 0007 backfilled for a user of an older database stands before everything.

The scheduler's actor `system` may appear only on the actions the workflow table gives the
system role (docs/domain.md "States and actions"), the terminal operator (`cli:<login>`,
`api/cli/common.operator`) only as an admin. Checked: transition records (their roles
against the table, their organization against the user's), refused attempts, calendar
changes (an admin's), account events (an admin's, the user's own sign-ins and password
change, or the system's seed), and the users table against its own events. A deadline
extension is checked through its transition record.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlmodel import Session, SQLModel

import models.tables  # noqa: F401  (every table in the metadata)
from models.account import AccountEventKind
from models.enums import Action, Role
from models.roles import ORG_ROLES
from workflow.log import LogFinding
from workflow.table import CLOCKS, RULES

SYSTEM_NAME = "system"
BANGKOK_OFFSET = timedelta(hours=7)  # the legal date of an instant (Asia/Bangkok, no DST)
OPERATOR_PREFIX = "cli:"
# The kinds a user writes about their own account: a login or web sign-in and its sign-out.
OWN_KINDS = frozenset(
    {
        AccountEventKind.TOKEN_CREATED,
        AccountEventKind.TOKEN_REVOKED,
        AccountEventKind.PASSWORD_CHANGED,
    }
)
# The system's account events: the seeded users (demo, tests) and their first passwords.
SYSTEM_KINDS = frozenset(
    {
        AccountEventKind.CREATED,
        AccountEventKind.PASSWORD_RESET,
        AccountEventKind.MEMBERSHIP_GRANTED,  # the seeded users' first role
    }
)


def _roles_by_action() -> dict[str, frozenset[str]]:
    """The roles (as stored: text) that may take each action, from the table."""
    roles: dict[str, set[Role]] = {}
    for rule in RULES:
        roles.setdefault(rule.action.value, set()).update(rule.roles)
    extenders = set().union(*(c.extendable_by for c in CLOCKS.values()))
    roles[Action.EXTEND_DEADLINE.value] = extenders
    return {action: frozenset(r.value for r in rs) for action, rs in roles.items()}


# Roles compared as the text the rows hold: millions of rows, no enum made per row.
ROLES_BY_ACTION = _roles_by_action()
ORG_ROLE_VALUES = frozenset(r.value for r in ORG_ROLES)
ADMIN_ONLY = frozenset({Role.ADMIN.value})
SYSTEM_ACTS = frozenset(a for a, roles in ROLES_BY_ACTION.items() if Role.SYSTEM.value in roles)


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
            index = bisect.bisect_right(self.times, _instant(when))
        return self.states[index - 1] if index else None


@dataclass(slots=True)
class Act:
    """What one history row says about who acted (`at` as the driver gave it: parsed only
    for a row the log lacks)."""

    table: str
    row_id: int
    seq: int | None
    at: object
    user_id: int | None
    username: str
    role: str
    organization_id: int | None = None  # checked when given
    allowed: frozenset[str] | None = None  # the roles that may do this; None: any
    system_ok: bool = False
    own: bool = False  # about the actor's own account: in the primary role, not a membership


def _instant(value: object) -> datetime:
    """A UTC instant from a column read without its type (SQLite: text; PostgreSQL: aware)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def verify_actors(session: Session) -> list[ActorFinding]:
    """Every finding about actors, users and their account events (empty: all consistent)."""
    conn = session.connection()
    users = {row.id: row for row in conn.execute(sa.select(_t("user")))}
    timelines, findings = _timelines(conn, users)
    by_name = {row.username: row.id for row in users.values()}
    for act in _acts(conn, by_name):
        findings += _check(act, timelines)
    return findings


def _t(name: str) -> sa.Table:
    return SQLModel.metadata.tables[name]


def _logged(conn: Connection, name: str, *columns: str) -> Iterator[sa.Row[Any]]:
    """Rows of a history table with their log entry number (None when not logged), by id."""
    table, entry = _t(name), _t("log_entry")
    selected = [
        c
        if isinstance(c.type, sa.Integer | sa.JSON)
        else sa.type_coerce(c, sa.String()).label(c.name)
        for c in (table.c[n] for n in columns)
    ]
    join = table.outerjoin(entry, sa.and_(entry.c.table_name == name, entry.c.row_id == table.c.id))
    query = (
        sa.select(*selected, entry.c.seq)
        .select_from(join)
        .order_by(table.c.id)
        .execution_options(yield_per=5000)
    )
    yield from conn.execute(query)


def _timelines(
    conn: Connection, users: Mapping[int, Any]
) -> tuple[dict[int, Timeline], list[ActorFinding]]:
    """Each user's states from their account events, and what disagrees on the way."""
    timelines: dict[int, Timeline] = {}
    findings: list[ActorFinding] = []
    columns = (
        "id",
        "at",
        "kind",
        "actor_user_id",
        "actor_username",
        "actor_role",
        "subject_user_id",
        "details",
    )
    events = list(_logged(conn, "account_event", *columns))
    for event in events:
        findings += _apply(timelines, users, event)
    for user_id, user in users.items():
        findings += _matches_row(user, timelines.get(user_id))
    for event in events:  # the actor of each event, against the timelines now complete
        kind = AccountEventKind(event.kind)
        own = kind in OWN_KINDS and event.actor_user_id == event.subject_user_id
        act = Act(
            "account_event",
            event.id,
            event.seq,
            event.at,
            event.actor_user_id,
            event.actor_username,
            event.actor_role,
            allowed=None if own else ADMIN_ONLY,
            own=own,
            system_ok=kind in SYSTEM_KINDS or bool(event.details.get("backfilled")),
        )
        findings += _check(act, timelines)
    return timelines, findings


def _apply(
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
    at = user.created_at if backfilled and created else _instant(event.at)
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


def _matches_row(user: Any, line: Timeline | None) -> list[ActorFinding]:
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


def _acts(conn: Connection, by_name: Mapping[str, int]) -> Iterator[Act]:
    """Who each transition record, refused attempt and calendar change says acted."""
    actor = ("actor_user_id", "actor_username", "actor_role")
    for r in _logged(
        conn, "transition_record", "id", "recorded_at", "action", "organization_id", *actor
    ):
        yield Act(
            "transition_record",
            r.id,
            r.seq,
            r.recorded_at,
            r.actor_user_id,
            r.actor_username,
            r.actor_role,
            r.organization_id,
            ROLES_BY_ACTION.get(r.action, frozenset()),
            system_ok=r.action in SYSTEM_ACTS,
        )
    for r in _logged(conn, "refused_attempt", "id", "attempted_at", "action", *actor):
        yield Act(
            "refused_attempt",
            r.id,
            r.seq,
            r.attempted_at,
            r.actor_user_id,
            r.actor_username,
            r.actor_role,
            system_ok=r.action in SYSTEM_ACTS,
        )
    for r in _logged(conn, "calendar_change", "id", "recorded_at", "actor_username"):
        user_id = by_name.get(r.actor_username)
        yield Act(
            "calendar_change",
            r.id,
            r.seq,
            r.recorded_at,
            user_id,
            r.actor_username,
            Role.ADMIN.value,
            allowed=ADMIN_ONLY,
        )


def _check(act: Act, timelines: Mapping[int, Timeline]) -> list[ActorFinding]:
    """What is wrong with one row's actor, field by field."""

    def found(problem: str, field_name: str, detail: str) -> list[ActorFinding]:
        return [ActorFinding(problem, detail, act.table, act.row_id, act.seq, field=field_name)]

    role = act.role
    if act.user_id is None:
        return _without_user(act, role, found)
    line = timelines.get(act.user_id)
    if line is None:
        return found("actor_unknown", "actor_user_id", f"no user {act.user_id}")
    if line.username != act.username:
        return found(
            "actor_unknown",
            "actor_username",
            f"says {act.username!r}, user {act.user_id} is {line.username!r}",
        )
    state = line.at(act.seq, act.at)
    if state is None:
        return found("actor_not_yet", "actor_user_id", f"{act.username} did not exist yet")
    problems: list[ActorFinding] = []
    if not state.active:
        problems += found("actor_inactive", "actor_user_id", f"{act.username} was deactivated then")
    if state.held is None or act.own:  # the primary role alone (before memberships; sign-ins)
        held_orgs = {state.organization_id} if role == state.role else set()
        shown = state.role
    else:
        day = (_instant(act.at) + BANGKOK_OFFSET).date()
        grants = [g for g in state.held if g.covers(role, None, day)]
        held_orgs = {g.organization_id for g in grants}
        shown = ", ".join(sorted({g.role for g in state.held if g.covers(g.role, None, day)}))
    if not held_orgs:
        then = f"{act.username} held {shown or 'no role'} then"
        problems += found("actor_role", "actor_role", f"says {role}, {then}")
    elif act.allowed is not None and role not in act.allowed:
        problems += found("actor_role", "actor_role", f"a {role} may not do this")
    wrong_org = act.organization_id is not None and act.organization_id not in held_orgs
    if held_orgs and wrong_org and role in ORG_ROLE_VALUES:
        problems += found(
            "actor_organization",
            "organization_id",
            f"organization {act.organization_id}, {act.username} acted for "
            f"{sorted(held_orgs, key=str)} then",
        )
    return problems


Found = Callable[[str, str, str], list[ActorFinding]]


def _without_user(act: Act, role: str, found: Found) -> list[ActorFinding]:
    """The scheduler, or the operator at the terminal: no user row stands behind them."""
    if act.username == SYSTEM_NAME and role == Role.SYSTEM.value:
        if act.system_ok:
            return []
        return found("actor_role", "actor_role", "the system does not take this action")
    operator = act.username.startswith(OPERATOR_PREFIX) and role == Role.ADMIN.value
    if operator and (act.allowed is None or Role.ADMIN.value in act.allowed):
        return []
    return found("actor_unknown", "actor_user_id", f"{act.username!r} ({role}) is no user")


__all__ = ["ActorFinding", "verify_actors"]
