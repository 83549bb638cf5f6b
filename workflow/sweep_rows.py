"""The rows a batch of sweep units reads and writes (workflow/sweep_unit.py): the deadlines
claimed with the columns of their plans the alerts name and their cursors
(`deadline_alert_state`) in one statement, the alerts added unless their idempotency key is
known (one multi-row INSERT), the next looks and the cursors written back (one executemany
each).

Statements built once and run through `models.fastsql` on the unit's connection, as the store
does for the deadline and the plan (docs/benchmarks.md "sweep"); the ORM's unit of work around
one small row cost more than the sweep's own work. The claim reads only the columns the sweep
uses (the whole deadline, plan and cursor were 46 columns to decode, most of them dates), and
an alert is an `INSERT … ON CONFLICT DO NOTHING` instead of a read of the keys already sent
and an insert (docs/benchmarks.md "Speed, fourth round"). A batch's statements are one each,
not one a deadline (docs/benchmarks.md "Speed, fifth round: sweep"): each costs more Python
around it than SQLite takes to run it. The rows are named tuples: a frozen dataclass's
`__init__` (one `object.__setattr__` a field) cost more than a deadline's share of the claim.
"""

from __future__ import annotations

import importlib
import operator
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import Connection

from models import store
from models.alert import AlertCursor
from models.enums import DeadlineKind, DeadlineStatus, PlanKind, PlanState
from models.fastsql import Prepared, run_many
from models.outbox import OutboxMessage
from models.store import table_of

CURSOR = table_of(AlertCursor)
OUTBOX = table_of(OutboxMessage)


class Cursor(NamedTuple):
    """How far the sweep got with one open deadline (models.alert.AlertCursor)."""

    deadline_id: int
    swept_on: date
    due_on: date
    last_working_on: date
    completion_tried_on: date | None
    updated_at: datetime


_COLUMNS = Cursor._fields
assert set(_COLUMNS) == {c.name for c in CURSOR.columns}, "Cursor is not the table's columns"
_INSERT = Prepared(sa.insert(CURSOR), keyed=True)
_UPDATE = Prepared(
    sa.update(CURSOR)
    .where(CURSOR.c.deadline_id == sa.bindparam("b_deadline_id"))
    .values({name: sa.bindparam(name) for name in _COLUMNS if name != "deadline_id"})
)
_NEXT_LOOK = Prepared(
    sa.update(store.DEADLINE)
    .where(store.DEADLINE.c.id == sa.bindparam("b_id"))
    .values(alert_on=sa.bindparam("alert_on"))
)


class Due(NamedTuple):
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


class PlanFacts(NamedTuple):
    """The columns of a deadline's plan the alerts name (a subset of `models.store.PlanRow`)."""

    id: int
    organization_id: int
    title: str
    kind: PlanKind
    number: int
    fiscal_year_be: int
    state: PlanState


class Claim(NamedTuple):
    """A deadline claimed for this transaction, its plan (None: a report's clock) and what its
    cursor says (`swept_before`: a cursor row exists)."""

    deadline: Due
    plan: PlanFacts | None
    swept_before: bool
    completion_tried_on: date | None


_DUE = Due._fields
_PLAN = PlanFacts._fields
_WIDTHS = (len(_DUE), len(_DUE) + len(_PLAN))
_CLAIMS: dict[int, Prepared] = {}  # by the number of deadlines claimed


def _claim_statement(count: int) -> Prepared:
    """The deadlines claimed (FOR UPDATE SKIP LOCKED OF the deadline on PostgreSQL), with
    their plans' columns and their cursors', in one statement: `count` ids bound."""
    found = _CLAIMS.get(count)
    if found is not None:
        return found
    ids: list[sa.BindParameter[int]] = [sa.bindparam(f"id_{n}") for n in range(count)]
    found = _CLAIMS[count] = Prepared(
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
            store.DEADLINE.c.id == ids[0] if count == 1 else store.DEADLINE.c.id.in_(ids),
            store.DEADLINE.c.status == DeadlineStatus.OPEN,
        )
        .with_for_update(skip_locked=True, of=store.DEADLINE)
    )
    return found


def claim(conn: Connection, deadline_ids: Sequence[int]) -> dict[int, Claim]:
    """The open deadlines among `deadline_ids`, locked for this transaction, with their plans
    and their cursors, by id; absent: closed meanwhile, or another process holds it."""
    found = _claim_statement(len(deadline_ids)).rows(
        conn, {f"id_{n}": deadline_id for n, deadline_id in enumerate(deadline_ids)}
    )
    due, plan = _WIDTHS
    return {
        row[0]: Claim(
            Due._make(row[:due]),
            None if row[due] is None else PlanFacts._make(row[due:plan]),
            row[plan] is not None,
            row[plan + 1],
        )
        for row in found
    }


def set_next_looks(conn: Connection, looks: Sequence[tuple[int, date]]) -> None:
    """The deadlines' next looks, one executemany (their due dates unchanged:
    models.store.move_clock's rule has nothing to do)."""
    rows = [{"b_id": deadline_id, "alert_on": alert_on} for deadline_id, alert_on in looks]
    if run_many(_NEXT_LOOK, conn, rows) != len(rows):
        raise RuntimeError(f"a deadline of {[d for d, _ in looks]} vanished under its lock")


def write_cursors(conn: Connection, cursors: Sequence[tuple[Cursor, bool]]) -> None:
    """Insert the cursors marked new, write the others over the stored ones: one executemany
    each."""
    new: list[dict[str, Any]] = []
    old: list[dict[str, Any]] = []
    for cursor, is_new in cursors:
        values = cursor._asdict()
        if is_new:
            new.append(values)
        else:
            values["b_deadline_id"] = values.pop("deadline_id")
            old.append(values)
    run_many(_INSERT, conn, new)
    if run_many(_UPDATE, conn, old) != len(old):
        raise RuntimeError(f"a cursor of deadlines {[c.deadline_id for c, _ in cursors]} vanished")


# Columns each message of a batch binds its own value to; the others are the batch's (bound
# once: the same status, attempts and instant for every alert of one sweep's batch).
_OWN = (
    "idempotency_key", "kind", "organization_id", "plan_id", "deadline_id", "report_id",
    "audience", "payload",
)
_SHARED = {"status": "b_status", "attempts": "b_attempts", "available_at": "b_now",
           "created_at": "b_now"}
_CHUNK = 50  # messages a statement: 8 × 50 + 3 parameters, under SQLite's oldest limit (999)
_ADD: dict[tuple[str, int], Prepared] = {}
_NAMES = [tuple(f"{column}_{n}" for column in _OWN) for n in range(_CHUNK)]  # the n-th row's
_own = operator.itemgetter(*_OWN)
_shared = operator.itemgetter(*_SHARED)


def _add_statement(dialect_name: str, count: int) -> Prepared:
    """`count` messages in one INSERT … ON CONFLICT (idempotency_key) DO NOTHING RETURNING
    the keys written: the dialect's own statement, built on first use."""
    found = _ADD.get((dialect_name, count))
    if found is None:
        dialect = importlib.import_module(f"sqlalchemy.dialects.{dialect_name}")
        # typed: the rows after the first would not take their column's type
        shared = {c: sa.bindparam(name, type_=OUTBOX.c[c].type) for c, name in _SHARED.items()}
        values = [
            {**{c: sa.bindparam(f"{c}_{n}", type_=OUTBOX.c[c].type) for c in _OWN}, **shared}
            for n in range(count)
        ]
        found = _ADD[(dialect_name, count)] = Prepared(
            dialect.insert(OUTBOX)
            .values(values)
            .on_conflict_do_nothing(index_elements=[OUTBOX.c.idempotency_key])
            .returning(OUTBOX.c.idempotency_key)
        )
    return found


def add_messages(conn: Connection, messages: Sequence[Mapping[str, Any]]) -> set[str]:
    """Insert the outbox messages (in their order) whose idempotency key no message has yet
    (a second sweep, a restart, another process wrote it); the keys written. The messages
    share their status, attempts and instant (`workflow.notices.message` at one `now`)."""
    written: set[str] = set()
    for start in range(0, len(messages), _CHUNK):
        chunk = messages[start : start + _CHUNK]
        shared = _shared(chunk[0])
        params = dict(zip(_SHARED.values(), shared, strict=True))
        if params["b_now"] != chunk[0]["available_at"]:
            raise ValueError("a message is available from its creation")
        for n, values in enumerate(chunk):
            if _shared(values) != shared:
                raise ValueError("the messages of one statement share their status and instant")
            params.update(zip(_NAMES[n], _own(values), strict=True))
        statement = _add_statement(conn.dialect.name, len(chunk))
        written.update(key for (key,) in statement.rows(conn, params))
    return written
