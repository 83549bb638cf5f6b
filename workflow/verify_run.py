"""`audit verify` over the whole database in one pass (docs/integrity.md "What verification
finds"): each plan's chain is replayed (`workflow.audit.replay`), then its row, its deadlines
and its extensions are compared with what the chain says (`workflow.verify_rows`,
`workflow.verify_deadlines`), and the holiday overlay with the calendar changes
(`workflow.verify_calendar`), and the plans' content with the records that name it
(`workflow.verify_content`), the stored papers re-hashed (`workflow.verify_documents`), the
evidence entries and files (`workflow.verify_evidence`), the progress entries' chains
(`workflow.verify_progress`), and the corrections (`workflow.verify_corrections`).

Plans, records and deadlines are read as three streams in plan order, so memory stays flat
whatever the size; the extensions (a few per thousand records) and the announcements of
amendments are read once up front.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from operator import attrgetter
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.audit import TransitionRecord
from models.blobs import BlobStore
from models.calendar import CalendarChange, HolidayOverlay
from models.deadline import Deadline, DeadlineExtension
from models.enums import Action, PlanKind
from models.plan import Plan
from models.store import table_of
from workflow import (
    verify_content,
    verify_corrections,
    verify_documents,
    verify_evidence,
    verify_progress,
    verify_reports,
)
from workflow.audit import Break, VerifyReport, replay
from workflow.calendar import WorkingCalendar
from workflow.overlay import load_calendar
from workflow.verify_calendar import overlay_diffs
from workflow.verify_deadlines import (
    clock_histories,
    deadline_diffs,
    extension_diffs,
    unused_kinds,
)
from workflow.verify_rows import FieldDiff, plan_diffs, supersedes_of

T = TypeVar("T")
CHUNK = 2000


class Grouped(Generic[T]):
    """A stream of rows ordered by plan id, taken one plan at a time."""

    def __init__(self, rows: Iterator[T]) -> None:
        self._groups = itertools.groupby(rows, key=attrgetter("plan_id"))
        self._current = next(self._groups, None)

    def take(self, plan_id: int) -> list[T]:
        """The rows of `plan_id` (skipping those of plans before it, which have no row)."""
        while self._current is not None and self._current[0] < plan_id:
            self._current = next(self._groups, None)
        if self._current is None or self._current[0] != plan_id:
            return []
        rows = list(self._current[1])
        self._current = next(self._groups, None)
        return rows


def run(
    session: Session,
    *,
    plan_ids: list[int] | None,
    calendar: WorkingCalendar | None,
    store: BlobStore | None = None,
) -> VerifyReport:
    """Verify every plan (or the given ones); unscoped, also the rows of no plan in scope."""
    report = VerifyReport()
    if plan_ids is None:
        report.breaks += _calendar_breaks(session, report)
    in_force = calendar if calendar is not None else load_calendar(session)
    supersedes = supersedes_of(session.exec(_announcements()).all())
    extensions = _extensions(session, plan_ids)
    report.extensions_checked = sum(len(rows) for rows in extensions.values())
    records = Grouped(_stream(session, _ordered(TransitionRecord, plan_ids, "seq")))
    deadlines = Grouped(_stream(session, _ordered(Deadline, plan_ids, "id")))  # plans' first
    for plan in _stream(session, _plans(plan_ids)):
        chain, clocks = records.take(plan.id), deadlines.take(plan.id)
        report.breaks += _plan_breaks(plan, chain, supersedes.get(plan.id), report)
        report.breaks += _deadline_breaks(plan.id, chain, clocks, extensions, in_force)
        report.plans_checked += 1
        report.records_checked += len(chain)
        report.deadlines_checked += len(clocks)
    for rows in extensions.values():  # extensions no record of their plan's chain made
        report.breaks += [_unrecorded(None, "deadline_extension", row.id) for row in rows]
    report.breaks += verify_content.run(session, report, plan_ids=plan_ids)
    report.breaks += verify_evidence.run(session, report, plan_ids=plan_ids, store=store)
    report.breaks += verify_documents.run(session, report, plan_ids=plan_ids)
    report.breaks += verify_progress.run(session, report, plan_ids=plan_ids, store=store)
    report.breaks += verify_corrections.run(session, report, plan_ids=plan_ids)
    report.breaks += verify_reports.run(session, report, plan_ids=plan_ids)
    if plan_ids is None:  # a scoped check (an auditor's plans) does not look beyond its scope
        report.breaks += _orphans(session)
    return report


def _plans(plan_ids: list[int] | None) -> sa.Select[Any]:
    table = table_of(Plan)
    query = sa.select(table).order_by(table.c.id)
    return query if plan_ids is None else query.where(table.c.id.in_(plan_ids))


def _ordered(model: Any, plan_ids: list[int] | None, then: str) -> sa.Select[Any]:
    table = table_of(model)
    query = sa.select(table).order_by(table.c.plan_id, table.c[then])
    if model is Deadline:  # a monitoring report's clocks are workflow.verify_reports'
        query = query.where(table.c.plan_id.is_not(None))
    return query if plan_ids is None else query.where(table.c.plan_id.in_(plan_ids))


def _stream(session: Session, query: sa.Select[Any]) -> Iterator[Any]:
    """Rows (with the columns' types applied, read by attribute as the models are) fetched
    in chunks: no ORM identity map, so memory stays flat and the walk fast."""
    return iter(session.connection().execute(query.execution_options(yield_per=CHUNK)))


def _announcements() -> Any:
    """The announcements of amendments: what marks a plan superseded (clause 27); all of
    them, as an amendment may lie outside a scoped check's plans."""
    amendments = select(Plan.id).where(Plan.kind == PlanKind.AMENDMENT)
    return select(TransitionRecord).where(
        TransitionRecord.action == Action.ANNOUNCE.value,
        col(TransitionRecord.plan_id).in_(amendments),
    )


def _extensions(
    session: Session, plan_ids: list[int] | None
) -> dict[int, list[DeadlineExtension]]:
    """Record id → the extension rows that name it (the plans in scope only)."""
    query = select(DeadlineExtension).order_by(col(DeadlineExtension.id))
    if plan_ids is not None:
        scoped = select(Deadline.id).where(col(Deadline.plan_id).in_(plan_ids))
        query = query.where(col(DeadlineExtension.deadline_id).in_(scoped))
    found: dict[int, list[DeadlineExtension]] = {}
    for row in session.exec(query):
        found.setdefault(row.record_id, []).append(row)
    return found


def _plan_breaks(
    plan: Plan, chain: Sequence[TransitionRecord], superseded_by: int | None, report: VerifyReport
) -> list[Break]:
    _, breaks = replay(plan, list(chain))
    if chain:
        diffs, unchecked = plan_diffs(plan, chain, superseded_by)
        breaks += [_mismatch(plan.id, "plan", plan.id, d) for d in diffs]
        for name in unchecked:
            key = f"plan.{name}"
            report.unchecked[key] = report.unchecked.get(key, 0) + 1
    return breaks


def _deadline_breaks(
    plan_id: int,
    chain: Sequence[TransitionRecord],
    clocks: Sequence[Deadline],
    extensions: dict[int, list[DeadlineExtension]],
    calendar: WorkingCalendar,
) -> list[Break]:
    """The plan's deadlines and extensions against its chain and the calendar in force."""
    histories = clock_histories(chain)
    unrecorded, missing = unused_kinds(clocks, histories)
    breaks = [_unrecorded(plan_id, "deadline", row.id) for row in unrecorded]
    for kind in missing:
        lacking = f"the chain starts a {kind} deadline the plan lacks"
        breaks.append(Break(plan_id, None, "row_missing", lacking, "deadline"))
    by_kind = {str(row.kind): row for row in clocks}
    for kind, history in histories.items():
        row = by_kind.get(kind)
        if row is not None:
            diffs = deadline_diffs(row, history, calendar)
            breaks += [_mismatch(plan_id, "deadline", row.id, d) for d in diffs]
        for record in history.extensions:
            breaks += _extension_breaks(plan_id, record, row, extensions.pop(record.id or 0, []))
    return breaks


def _extension_breaks(
    plan_id: int, record: TransitionRecord, clock: Deadline | None, rows: list[DeadlineExtension]
) -> list[Break]:
    """An extension record of the chain has exactly one extension row, saying the same."""
    if not rows:
        detail = "the chain's extension has no row"
        return [Break(plan_id, record.seq, "row_missing", detail, "deadline_extension")]
    first, *extra = rows
    deadline_id = None if clock is None else clock.id
    breaks = [
        _mismatch(plan_id, "deadline_extension", first.id, d, record.seq)
        for d in extension_diffs(first, record, deadline_id)
    ]
    return breaks + [_unrecorded(plan_id, "deadline_extension", row.id) for row in extra]


def _calendar_breaks(session: Session, report: VerifyReport) -> list[Break]:
    changes = session.exec(select(CalendarChange).order_by(col(CalendarChange.id))).all()
    report.calendar_changes_checked = len(changes)
    rows = session.exec(select(HolidayOverlay).order_by(col(HolidayOverlay.day))).all()
    differing, unrecorded, missing = overlay_diffs(rows, changes)
    breaks = [
        _mismatch(None, "holiday_overlay", row.id, d) for row, diffs in differing for d in diffs
    ]
    breaks += [_unrecorded(None, "holiday_overlay", row.id) for row in unrecorded]
    for day in missing:
        detail = f"the calendar changes hold an entry for {day.isoformat()} that is not stored"
        breaks.append(Break(None, None, "row_missing", detail, "holiday_overlay", None, "day"))
    return breaks


def _orphans(session: Session) -> list[Break]:
    orphans = session.exec(
        select(TransitionRecord.plan_id).where(
            col(TransitionRecord.plan_id).not_in(select(Plan.id))
        )
    ).all()
    return [
        Break(plan_id, None, "orphan_records", "records of a missing plan")
        for plan_id in sorted(set(orphans))
    ]


def _mismatch(
    plan_id: int | None, table: str, row_id: int | None, diff: FieldDiff, seq: int | None = None
) -> Break:
    return Break(plan_id, seq, "field_mismatch", diff.detail, table, row_id, diff.field)


def _unrecorded(plan_id: int | None, table: str, row_id: int | None) -> Break:
    detail = "a row the history does not hold (written outside the commands)"
    return Break(plan_id, None, "row_unrecorded", detail, table, row_id)
