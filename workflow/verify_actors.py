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

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlmodel import Session, SQLModel

import models.tables  # noqa: F401  (every table in the metadata)
from models.account import AccountEventKind
from models.enums import Action, Role
from workflow.table import CLOCKS, RULES
from workflow.verify_timeline import (
    ORG_ROLE_VALUES,
    ActorFinding,
    Timeline,
    apply_event,
    instant,
    matches_row,
    memberships_match,
)

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
ADMIN_ONLY = frozenset({Role.ADMIN.value})
SYSTEM_ACTS = frozenset(a for a, roles in ROLES_BY_ACTION.items() if Role.SYSTEM.value in roles)


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


def verify_actors(session: Session) -> list[ActorFinding]:
    """Every finding about actors, users and their account events (empty: all consistent)."""
    conn = session.connection()
    users = {row.id: row for row in conn.execute(sa.select(_t("user")))}
    timelines, findings = _timelines(conn, users)
    findings += memberships_match(conn.execute(sa.select(_t("membership"))), timelines)
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
        findings += apply_event(timelines, users, event)
    for user_id, user in users.items():
        findings += matches_row(user, timelines.get(user_id))
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
        day = (instant(act.at) + BANGKOK_OFFSET).date()
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
