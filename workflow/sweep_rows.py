"""The rows one sweep unit reads and writes (workflow/sweep_unit.py): the deadline claimed with
the columns of its plan the alerts name and its cursor (`deadline_alert_state`) in one
statement, the alerts added unless their idempotency key is known, the next look and the
cursor written back.

Statements built once and run through `models.fastsql` on the unit's connection, as the store
does for the deadline and the plan (docs/benchmarks.md "sweep"); the ORM's unit of work around
one small row cost more than the sweep's own work. The claim reads only the columns the sweep
uses (the whole deadline, plan and cursor were 46 columns to decode, most of them dates), and
an alert is one `INSERT … ON CONFLICT DO NOTHING` instead of a read of the keys already sent
and an insert (docs/benchmarks.md "Speed, fourth round").
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from models import store
from models.alert import AlertCursor
from models.enums import DeadlineKind, DeadlineStatus, PlanKind, PlanState
from models.fastsql import Prepared
from models.outbox import OutboxMessage
from models.store import table_of

CURSOR = table_of(AlertCursor)
OUTBOX = table_of(OutboxMessage)


@dataclass(frozen=True, slots=True)
class Cursor:
    """How far the sweep got with one open deadline (models.alert.AlertCursor)."""

    deadline_id: int
    swept_on: date
    due_on: date
    last_working_on: date
    completion_tried_on: date | None
    updated_at: datetime


_COLUMNS = tuple(f.name for f in dataclasses.fields(Cursor))
assert set(_COLUMNS) == {c.name for c in CURSOR.columns}, "Cursor is not the table's columns"
_INSERT = Prepared(sa.insert(CURSOR), keyed=True)
_UPDATE = Prepared(
    sa.update(CURSOR)
    .where(CURSOR.c.deadline_id == sa.bindparam("b_deadline_id"))
    .values({name: sa.bindparam(name) for name in _COLUMNS if name != "deadline_id"})
)
_ADD: dict[str, Prepared] = {}
_NEXT_LOOK = Prepared(
    sa.update(store.DEADLINE)
    .where(store.DEADLINE.c.id == sa.bindparam("b_id"))
    .values(alert_on=sa.bindparam("alert_on"))
)


@dataclass(frozen=True, slots=True)
class Due:
    """An open deadline as the sweep claims it: the columns its alerts, its next look and its
    automatic completion read (a subset of `models.store.ClockRow`)."""

    id: int
    plan_id: int | None  # a plan's clock, or
    report_id: int | None  # a monitoring report's
    kind: DeadlineKind
    clause: str
    start_on: date
    due_on: date
    last_working_on: date
    extended: bool
    status: DeadlineStatus
    alert_on: date


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """The columns of a deadline's plan the alerts name (a subset of `models.store.PlanRow`)."""

    id: int
    organization_id: int
    title: str
    kind: PlanKind
    number: int
    fiscal_year_be: int
    state: PlanState


@dataclass(frozen=True, slots=True)
class Claim:
    """A deadline claimed for this transaction, its plan (None: a report's clock) and what its
    cursor says (`swept_before`: a cursor row exists)."""

    deadline: Due
    plan: PlanFacts | None
    swept_before: bool
    completion_tried_on: date | None


_DUE = tuple(f.name for f in dataclasses.fields(Due))
_PLAN = tuple(f.name for f in dataclasses.fields(PlanFacts))
# The deadline claimed (FOR UPDATE SKIP LOCKED OF the deadline on PostgreSQL), with its plan's
# columns and its cursor's, in one statement.
_CLAIM = Prepared(
    sa.select(
        *(store.DEADLINE.c[name] for name in _DUE),
        *(store.PLAN.c[name].label(f"plan_{name}") for name in _PLAN),
        CURSOR.c.deadline_id.label("cursor_deadline_id"),
        CURSOR.c.completion_tried_on.label("cursor_completion_tried_on"),
    )
    .select_from(
        # a monitoring report's clock has no plan (workflow/report_sweep.py reads its report)
        store.DEADLINE.outerjoin(
            store.PLAN, store.PLAN.c.id == store.DEADLINE.c.plan_id
        ).outerjoin(CURSOR, CURSOR.c.deadline_id == store.DEADLINE.c.id)
    )
    .where(
        store.DEADLINE.c.id == sa.bindparam("id"),
        store.DEADLINE.c.status == DeadlineStatus.OPEN,
    )
    .with_for_update(skip_locked=True, of=store.DEADLINE)
)
_WIDTHS = (len(_DUE), len(_DUE) + len(_PLAN))


def claim(conn: Connection, deadline_id: int) -> Claim | None:
    """An open deadline locked for this transaction, with its plan and its cursor; None if it
    closed meanwhile or another process holds it."""
    found = _CLAIM.first(conn, {"id": deadline_id})
    if found is None:
        return None
    due, plan = _WIDTHS
    facts = None if found[due] is None else PlanFacts(*found[due:plan])
    return Claim(Due(*found[:due]), facts, found[plan] is not None, found[plan + 1])


def set_next_look(conn: Connection, deadline_id: int, alert_on: date) -> None:
    """The deadline's next look (its due date unchanged: models.store.move_clock's rule has
    nothing to do)."""
    if _NEXT_LOOK.rowcount(conn, {"b_id": deadline_id, "alert_on": alert_on}) != 1:
        raise RuntimeError(f"deadline {deadline_id} vanished under its lock")


def write_cursor(conn: Connection, cursor: Cursor, *, new: bool) -> None:
    """Insert the cursor (`new`) or write it over the stored one."""
    values = {name: getattr(cursor, name) for name in _COLUMNS}  # asdict would deep-copy
    if new:
        _INSERT.rowcount(conn, values)
        return
    values["b_deadline_id"] = values.pop("deadline_id")
    if _UPDATE.rowcount(conn, values) != 1:
        raise RuntimeError(f"the cursor of deadline {cursor.deadline_id} vanished")


def add_message(conn: Connection, values: Mapping[str, Any]) -> bool:
    """Insert one outbox message unless a message with its idempotency key exists (a second
    sweep, a restart, another process); True if it was written."""
    name = conn.dialect.name
    statement = _ADD.get(name)
    if statement is None:  # the dialect's own INSERT … ON CONFLICT, built on first use
        dialect = importlib.import_module(f"sqlalchemy.dialects.{name}")
        statement = Prepared(
            dialect.insert(OUTBOX)
            .on_conflict_do_nothing(index_elements=[OUTBOX.c.idempotency_key])
            .returning(OUTBOX.c.id),
            keyed=True,
        )
        _ADD[name] = statement
    return bool(statement.rows(conn, values))
