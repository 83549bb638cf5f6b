"""One typed store for the workflow's subjects and their legal clocks.

A subject of the workflow (a plan today; monitoring reports later, with their own rows in the
workflow table) is a row of its own table, read and written as one frozen dataclass through a
`Codec`; its clocks are `deadline` rows (`ClockRow`). A `SubjectStore` holds the statements
built once for one kind of subject: the locking read of the row with its clocks, the plain
read, insert and update. Every command, the sweeper and the read side go through it with plain
SQLAlchemy Core execution (no unit of work): the tables' column types still apply (UTC instants,
text enums, JSON, money in satang), so the rows are what the ORM would write and read.

An UPDATE writes exactly the fields that differ between the row as read and the row as it now
stands, so no hand-kept column list can fall behind the code that changes a row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlmodel import SQLModel

from models.audit import TransitionRecord
from models.correction import RecordCorrection
from models.deadline import SWEEP_NOW, Deadline, DeadlineExtension
from models.enums import (
    CountingMode,
    DeadlineKind,
    DeadlineStatus,
    PlanKind,
    PlanState,
    TriggerKind,
)
from models.fastsql import Prepared
from models.organization import Organization
from models.outbox import OutboxMessage
from models.plan import Plan

R = TypeVar("R")
S = TypeVar("S")
H = TypeVar("H")
NEW = 0  # the id of a row not stored yet: the database assigns one on insert


def table_of(model: type[SQLModel]) -> sa.Table:
    return cast(sa.Table, model.__table__)  # type: ignore[attr-defined]


PLAN = table_of(Plan)
DEADLINE = table_of(Deadline)
RECORD = table_of(TransitionRecord)
OUTBOX = table_of(OutboxMessage)
EXTENSION = table_of(DeadlineExtension)
CORRECTION = table_of(RecordCorrection)
ORGANIZATION = table_of(Organization)


class Codec(Generic[R]):
    """A table's rows as one frozen dataclass. Every column is a field and every field a
    column (checked when the codec is built), so a field cannot silently stop being read or
    written. `decoders` turn a stored value into the field's value (JSON lists into tuples)."""

    def __init__(
        self,
        table: sa.Table,
        row: type[R],
        *,
        decoders: Mapping[str, Callable[[Any], Any]] | None = None,
    ) -> None:
        names = tuple(f.name for f in dataclasses.fields(row))  # type: ignore[arg-type]
        columns = tuple(c.name for c in table.columns)
        if set(names) != set(columns):
            raise TypeError(f"{row.__name__} fields {names} are not the columns {columns}")
        self.table, self.row, self.names = table, row, columns
        self._decoders = dict(decoders or {})
        self._insert = Prepared(sa.insert(table).returning(*table.c), keyed=True)
        self._updates: dict[tuple[tuple[str, ...], tuple[str, ...]], Prepared] = {}

    def fields(self, values: Sequence[Any]) -> dict[str, Any]:
        """The fields of a row from its column values in table order."""
        fields = dict(zip(self.names, values, strict=True))
        for name, decode in self._decoders.items():
            if fields[name] is not None:
                fields[name] = decode(fields[name])
        return fields

    def decode(self, values: Sequence[Any]) -> R:
        return self.row(**self.fields(values))

    def values(self, row: object) -> dict[str, Any]:
        return {name: getattr(row, name) for name in self.names}

    def insert(self, conn: Connection, row: object) -> dict[str, Any]:
        """Insert `row` (id NEW: the database assigns it); the fields as stored."""
        values = self.values(row)
        if values["id"] == NEW:
            del values["id"]
        return self.fields(self._insert.rows(conn, values)[0])

    def insert_row(self, conn: Connection, row: R) -> R:
        """Insert `row`; the row as stored."""
        return self.row(**self.insert(conn, row))

    def update(
        self,
        conn: Connection,
        old: object,
        new: object,
        *,
        guard: tuple[str, ...] = (),
        among: Collection[str] | None = None,
    ) -> bool:
        """Write the fields in which `new` differs from `old`, where the row still has `old`'s
        id and `guard` values; True if a row was written (or nothing differed). `among`: the
        only fields that may differ (a command that knows what it set: the others are not
        compared)."""
        names = self.names if among is None else [n for n in self.names if n in among]
        changed = tuple(n for n in names if getattr(old, n) != getattr(new, n))
        if not changed:
            return True
        statement = self._update(changed, guard)
        params = {f"b_{name}": getattr(old, name) for name in ("id", *guard)}
        params.update({name: getattr(new, name) for name in changed})
        return statement.rowcount(conn, params) == 1

    def _update(self, changed: tuple[str, ...], guard: tuple[str, ...]) -> Prepared:
        statement = self._updates.get((changed, guard))
        if statement is None:  # built once per set of changed columns (a handful per table)
            c = self.table.c
            statement = Prepared(
                sa.update(self.table)
                .where(*(c[name] == sa.bindparam(f"b_{name}") for name in ("id", *guard)))
                .values({name: sa.bindparam(name) for name in changed})
            )
            self._updates[(changed, guard)] = statement
        return statement


# --- the rows --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClockRow:
    """One legal clock of a subject (a `deadline` row)."""

    id: int
    plan_id: int | None  # a plan's clock, or
    report_id: int | None  # a monitoring report's (exactly one of the two)
    kind: DeadlineKind
    start_on: date  # the day the clock starts (never counted)
    days: int
    mode: CountingMode
    conservative: bool
    clause: str
    base_due_on: date
    due_on: date  # the legal due date; for the minimum posting period the earliest removal
    last_working_on: date
    extended: bool
    status: DeadlineStatus
    closed_on: date | None
    created_at: datetime
    closed_at: datetime | None
    alert_on: date  # the sweep's next look (models.deadline)


@dataclass(frozen=True, slots=True)
class PlanRow:
    """The operational plan (a `plan` row)."""

    id: int
    organization_id: int
    fiscal_year_be: int
    kind: PlanKind
    number: int
    title: str
    state: PlanState
    version: int  # the number of records in the plan's audit chain
    head_hash: str
    trigger_kind: TriggerKind
    trigger_on: date
    trigger_note: str | None
    budget_baht: Decimal | None
    amends_plan_id: int | None
    superseded_by_plan_id: int | None
    last_effective_on: date
    announced_on: date | None
    posted_on: date | None
    posting_places: tuple[str, ...]
    posting_complete_on: date | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PlanWithClocks(PlanRow):
    """A plan as a command leaves it and a view shows it: the row and its clocks by id."""

    clocks: tuple[ClockRow, ...] = ()

    def clock(self, kind: DeadlineKind) -> ClockRow | None:
        return next((c for c in self.clocks if c.kind is kind), None)


CLOCK = Codec(DEADLINE, ClockRow)
PLAN_ROW = Codec(PLAN, PlanRow, decoders={"posting_places": tuple})


def move_clock(conn: Connection, old: ClockRow, new: ClockRow) -> ClockRow:
    """Write a clock's change; a moved due date is swept again at once (the database trigger
    of migration 0004 does the same to `alert_on`, so the row returned is the row stored)."""
    if (new.due_on, new.last_working_on) != (old.due_on, old.last_working_on):
        new = dataclasses.replace(new, alert_on=SWEEP_NOW)
    if not CLOCK.update(conn, old, new):
        raise RuntimeError(f"deadline {old.id} vanished under its lock")
    return new


# --- subjects --------------------------------------------------------------------------------


class SubjectStore(Generic[S, H]):
    """The statements of one kind of workflow subject with its clocks, built once.

    `lock` reads the subject row and its clocks in one statement, FOR NO KEY UPDATE OF the
    subject on PostgreSQL: foreign-key checks of rows that refer to it (outbox messages written
    by the sweeper) take KEY SHARE, which FOR UPDATE would block while the sweeper holds a clock
    the command wants next: a deadlock. SQLite ignores the clause (its write transaction began
    IMMEDIATE, which is the lock)."""

    def __init__(
        self, codec: Codec[S], clock_key: sa.Column[Any], hold: Callable[..., H]
    ) -> None:
        self.codec, self._hold = codec, hold
        table = codec.table
        read = (
            sa.select(table, *(c.label(f"clock_{c.name}") for c in DEADLINE.c))
            .select_from(table.outerjoin(DEADLINE, clock_key == table.c.id))
            .where(table.c.id == sa.bindparam("id"))
            .order_by(DEADLINE.c.id)
        )
        self._read = Prepared(read)
        self._lock = Prepared(read.with_for_update(key_share=True, of=table))
        self._row = Prepared(sa.select(table).where(table.c.id == sa.bindparam("id")))

    def lock(self, conn: Connection, subject_id: int) -> H | None:
        """The subject locked for this transaction, with its clocks; None if there is none."""
        return self._held(self._lock.rows(conn, {"id": subject_id}))

    def read(self, conn: Connection, subject_id: int) -> H | None:
        """The subject with its clocks, as committed (no lock)."""
        return self._held(self._read.rows(conn, {"id": subject_id}))

    def row(self, conn: Connection, subject_id: int) -> S | None:
        """The subject's row alone."""
        found = self._row.first(conn, {"id": subject_id})
        return None if found is None else self.codec.decode(found)

    def insert(self, conn: Connection, row: H) -> H:
        """Insert a new subject (id NEW), without clocks; as stored."""
        return self._hold(**self.codec.insert(conn, row))

    def update(
        self, conn: Connection, old: H, new: H, *, among: Collection[str] | None = None
    ) -> None:
        """Write what changed (`among` these fields, if given), where the row still has
        `old`'s version (the optimistic lock makes a lost update impossible even without the
        row lock)."""
        if not self.codec.update(conn, old, new, guard=("version",), among=among):
            raise RuntimeError(f"subject {getattr(old, 'id', '?')} changed under its lock")

    def _held(self, rows: Sequence[tuple[Any, ...]]) -> H | None:
        if not rows:
            return None
        width = len(self.codec.names)
        clocks = tuple(CLOCK.decode(tuple(r[width:])) for r in rows if r[width] is not None)
        return self._hold(**self.codec.fields(tuple(rows[0][:width])), clocks=clocks)


PLANS: SubjectStore[PlanRow, PlanWithClocks] = SubjectStore(
    PLAN_ROW, DEADLINE.c.plan_id, PlanWithClocks
)

_SUPERSEDE = Prepared(
    sa.update(PLAN)
    .where(PLAN.c.id == sa.bindparam("b_id"), PLAN.c.superseded_by_plan_id.is_(None))
    .values(superseded_by_plan_id=sa.bindparam("by"))
)


def supersede(conn: Connection, plan_id: int, by_plan_id: int) -> bool:
    """Mark `plan_id` superseded by `by_plan_id` unless it already is; True if it was marked."""
    return bool(_SUPERSEDE.rowcount(conn, {"b_id": plan_id, "by": by_plan_id}))


_CLOCKS_OF = Prepared(
    sa.select(DEADLINE).where(DEADLINE.c.plan_id == sa.bindparam("id")).order_by(DEADLINE.c.id)
)


def clocks_of(conn: Connection, plan_id: int) -> list[ClockRow]:
    """A plan's clocks in the order they started."""
    return [CLOCK.decode(r) for r in _CLOCKS_OF.rows(conn, {"id": plan_id})]


_OPEN_CLOCKS = sa.select(DEADLINE).where(DEADLINE.c.status == DeadlineStatus.OPEN).order_by(
    DEADLINE.c.id
)


def open_clocks(conn: Connection) -> list[ClockRow]:
    """Every open clock, oldest first."""
    return [CLOCK.decode(tuple(r)) for r in conn.execute(_OPEN_CLOCKS)]


# --- rows the subjects leave behind (records, messages, extensions): inserted, never changed --

_INSERT_ID = {
    t: Prepared(sa.insert(t).returning(t.c.id), keyed=True)
    for t in (DEADLINE, RECORD, OUTBOX, EXTENSION, CORRECTION)
}


def insert_values(conn: Connection, table: sa.Table, values: Mapping[str, Any]) -> int:
    """Insert one row of an append-only table; its new id."""
    return int(_INSERT_ID[table].scalar(conn, values))
