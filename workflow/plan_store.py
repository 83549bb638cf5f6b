"""The rows an action command reads and writes, with SQLAlchemy Core statements built once.

An action is the hot path (every person's step and the scheduler's automatic completion), so
it skips the ORM's unit of work: one SELECT locks the plan row and reads its clocks, and the
plan, the clocks, the audit record and the outbox row are written, each by a statement compiled
once per dialect (`models.prepared.Prepared`; benchmarks: docs/benchmarks.md "commands"). The
tables' column types still apply (UTC instants, text enums, JSON), so the rows are the same as
the ORM would write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, SQLModel

from models.audit import TransitionRecord
from models.db import from_row
from models.deadline import Deadline
from models.enums import CountingMode, DeadlineKind, DeadlineStatus
from models.outbox import OutboxMessage
from models.plan import Plan
from models.prepared import Prepared


def _table(model: type[SQLModel]) -> sa.Table:
    return cast(sa.Table, model.__table__)  # type: ignore[attr-defined]


PLAN = _table(Plan)
DEADLINE = _table(Deadline)
RECORD = _table(TransitionRecord)
OUTBOX = _table(OutboxMessage)

# The plan row with its clocks in one statement. FOR NO KEY UPDATE OF plan (PostgreSQL):
# foreign-key checks of rows that refer to the plan (outbox messages written by the sweeper)
# take KEY SHARE, which FOR UPDATE would block, and the sweeper holds a deadline the command
# wants next: a deadlock. SQLite ignores the clause (its write transaction began IMMEDIATE,
# which is the lock).
_CLOCK_COLUMNS = (
    "id",
    "kind",
    "start_on",
    "due_on",
    "last_working_on",
    "mode",
    "status",
    "closed_on",
)
_LOCK_PLAN = Prepared(
    sa.select(PLAN, *(DEADLINE.c[name].label(f"clock_{name}") for name in _CLOCK_COLUMNS))
    .select_from(PLAN.outerjoin(DEADLINE, DEADLINE.c.plan_id == PLAN.c.id))
    .where(PLAN.c.id == sa.bindparam("plan_id"))
    .order_by(DEADLINE.c.id)
    .with_for_update(key_share=True, of=PLAN)
)
_PLAN_COLUMNS = tuple(c.name for c in PLAN.columns)
# What an action may change on the plan row; the version in the WHERE clause makes a lost
# update impossible even if the row lock were missing.
MOVED = (
    "state",
    "version",
    "head_hash",
    "last_effective_on",
    "updated_at",
    "announced_on",
    "posted_on",
    "posting_places",
    "posting_complete_on",
)
_MOVE_PLAN = Prepared(
    sa.update(PLAN)
    .where(PLAN.c.id == sa.bindparam("b_id"), PLAN.c.version == sa.bindparam("b_version"))
    .values({name: sa.bindparam(name) for name in MOVED})
)
_SUPERSEDE = Prepared(
    sa.update(PLAN)
    .where(PLAN.c.id == sa.bindparam("b_id"), PLAN.c.superseded_by_plan_id.is_(None))
    .values(superseded_by_plan_id=sa.bindparam("by"))
)
_CLOSE = Prepared(
    sa.update(DEADLINE)
    .where(DEADLINE.c.id == sa.bindparam("b_id"))
    .values(
        status=sa.bindparam("status"),
        closed_on=sa.bindparam("closed_on"),
        closed_at=sa.bindparam("closed_at"),
    )
)

_INSERT = {
    table: Prepared(sa.insert(table).returning(table.c.id)) for table in (DEADLINE, RECORD, OUTBOX)
}


@dataclass(slots=True)
class ClockRow:
    """One legal clock of the plan as the command sees it (a `deadline` row)."""

    id: int | None
    kind: DeadlineKind
    start_on: date
    due_on: date
    last_working_on: date
    mode: CountingMode
    status: DeadlineStatus
    closed_on: date | None = None


def lock_plan(
    conn: Connection, plan_id: int
) -> tuple[dict[str, Any], dict[DeadlineKind, ClockRow]] | None:
    """The plan row, locked for this transaction, and its clocks; None if there is no such
    plan."""
    rows = _LOCK_PLAN.rows(conn, {"plan_id": plan_id})
    if not rows:
        return None
    plan = dict(zip(_PLAN_COLUMNS, rows[0], strict=False))
    found = {}
    width = len(_PLAN_COLUMNS)
    for row in rows:
        if row[width] is None:  # a plan without clocks
            continue
        clock = ClockRow(
            row[width],
            DeadlineKind(row[width + 1]),
            row[width + 2],
            row[width + 3],
            row[width + 4],
            CountingMode(row[width + 5]),
            DeadlineStatus(row[width + 6]),
            row[width + 7],
        )
        found[clock.kind] = clock
    return plan, found


def move_plan(conn: Connection, plan: dict[str, Any], old_version: int) -> None:
    params = {name: plan[name] for name in MOVED}
    params["b_id"], params["b_version"] = plan["id"], old_version
    result = _MOVE_PLAN.run(conn, params)
    if result.rowcount != 1:  # cannot happen under the row lock; never write half a move
        raise RuntimeError(f"plan {plan['id']} changed under its lock")


def supersede(conn: Connection, plan_id: int, by_plan_id: int) -> bool:
    """Mark `plan_id` superseded by `by_plan_id` unless it already is; True if it was marked."""
    result = _SUPERSEDE.run(conn, {"b_id": plan_id, "by": by_plan_id})
    return bool(result.rowcount)


def close(
    conn: Connection, clock: ClockRow, status: DeadlineStatus, on: date, now: datetime
) -> None:
    assert clock.id is not None
    clock.status, clock.closed_on = status, on
    _CLOSE.run(conn, {"b_id": clock.id, "status": status, "closed_on": on, "closed_at": now})


def insert(conn: Connection, table: sa.Table, values: dict[str, Any]) -> int:
    """Insert one row; its new id."""
    return int(_INSERT[table].run(conn, values).scalar_one())


def detached_plan(values: dict[str, Any]) -> Plan:
    """A Plan instance holding `values` as loaded (nothing to flush), outside any session:
    what the command returns to its caller without loading the row again."""
    plan = from_row(Plan, values)
    make_transient_to_detached(plan)  # with its identity, as a loaded and closed-over row
    return plan


def forget_loaded(session: Session) -> None:
    """Expire whatever ORM objects the session holds (the plan or its deadlines, loaded by
    the caller before the command): Core statements just changed their rows, and a later read
    must see the new values. The hot path holds none, so this costs nothing there."""
    if len(session.identity_map):
        session.expire_all()
