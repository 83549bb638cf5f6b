"""The rows one sweep unit reads and writes (workflow/sweeper.py): the deadline claimed with its
plan and its cursor (`deadline_alert_state`) in one statement, the idempotency keys already in
the outbox, the cursor written back.

Statements built once and run through `models.fastsql` on the unit's connection, as the store
does for the deadline and the plan (docs/benchmarks.md "sweep"); the ORM's unit of work around
one small row cost more than the sweep's own work.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from models import store
from models.alert import AlertCursor
from models.enums import DeadlineStatus
from models.fastsql import Prepared
from models.outbox import OutboxMessage
from models.store import ClockRow, PlanRow, table_of

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
_KNOWN: dict[int, Prepared] = {}

# The deadline claimed (FOR UPDATE SKIP LOCKED OF the deadline on PostgreSQL), with its plan's
# row and its cursor, in one statement.
_CLAIM = Prepared(
    sa.select(
        *store.DEADLINE.c,
        *(c.label(f"plan_{c.name}") for c in store.PLAN.c),
        *(CURSOR.c[name].label(f"cursor_{name}") for name in _COLUMNS),
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
_WIDTHS = (len(store.DEADLINE.c), len(store.DEADLINE.c) + len(store.PLAN.c))


def claim(
    conn: Connection, deadline_id: int
) -> tuple[ClockRow, PlanRow | None, Cursor | None] | None:
    """An open deadline locked for this transaction, its plan (None: a report's clock) and
    its cursor (None: never swept); None if it closed meanwhile or another process holds it."""
    found = _CLAIM.first(conn, {"id": deadline_id})
    if found is None:
        return None
    clock, plan = _WIDTHS
    cursor = None if found[plan] is None else Cursor(*found[plan:])
    plan_row = None if found[clock] is None else store.PLAN_ROW.decode(found[clock:plan])
    return store.CLOCK.decode(found[:clock]), plan_row, cursor


def write_cursor(conn: Connection, cursor: Cursor, *, new: bool) -> None:
    """Insert the cursor (`new`) or write it over the stored one."""
    values = {name: getattr(cursor, name) for name in _COLUMNS}  # asdict would deep-copy
    if new:
        _INSERT.rowcount(conn, values)
        return
    values["b_deadline_id"] = values.pop("deadline_id")
    if _UPDATE.rowcount(conn, values) != 1:
        raise RuntimeError(f"the cursor of deadline {cursor.deadline_id} vanished")


def known_keys(conn: Connection, keys: Sequence[str]) -> set[str]:
    """The keys among `keys` that an outbox message already has (a statement per count of
    keys, a handful: the alerts one deadline may owe in a day)."""
    if not keys:
        return set()
    statement = _KNOWN.get(len(keys))
    if statement is None:
        binds: list[sa.BindParameter[str]] = [sa.bindparam(f"k{i}") for i in range(len(keys))]
        statement = Prepared(
            sa.select(OUTBOX.c.idempotency_key).where(OUTBOX.c.idempotency_key.in_(binds))
        )
        _KNOWN[len(keys)] = statement
    return {row[0] for row in statement.rows(conn, {f"k{i}": k for i, k in enumerate(keys)})}
