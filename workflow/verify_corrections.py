"""`audit verify` of the corrections (docs/integrity.md "Corrections"): each correction record
of a chain has exactly one `record_correction` row saying the same; it corrects a field the
workflow table lets its role correct, of an earlier record of its own plan; and the clocks it
lists were counted from the corrected date (started on it, or closed on it and judged again).
The plan row and the deadlines themselves are replayed with the values in force by
workflow/verify_rows.py and workflow/verify_deadlines.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from models.audit import TransitionRecord
from models.correction import RecordCorrection
from models.enums import Action, DeadlineKind
from workflow.audit import Break, VerifyReport
from workflow.deadlines import closed_status
from workflow.table_corrections import correction_for

TABLE = "record_correction"


def run(session: Session, report: VerifyReport, *, plan_ids: list[int] | None) -> list[Break]:
    """Every finding about corrections (the plans given, or all)."""
    records = select(TransitionRecord).where(TransitionRecord.action == Action.CORRECT.value)
    rows_query = select(RecordCorrection).order_by(col(RecordCorrection.id))
    if plan_ids is not None:
        records = records.where(col(TransitionRecord.plan_id).in_(plan_ids))
        rows_query = rows_query.where(col(RecordCorrection.plan_id).in_(plan_ids))
    rows: dict[int, list[RecordCorrection]] = {}
    for row in session.exec(rows_query):
        rows.setdefault(row.record_id, []).append(row)
    breaks: list[Break] = []
    for record in session.exec(records.order_by(col(TransitionRecord.id))):
        report.corrections_checked += 1
        target = _target(session, record)
        breaks += _record_breaks(record, target)
        breaks += _row_breaks(record, rows.pop(record.id or 0, []))
    for left in rows.values():  # rows no correction record made
        for row in left:
            detail = "a row the history does not hold (written outside the commands)"
            breaks.append(Break(row.plan_id, None, "row_unrecorded", detail, TABLE, row.id))
    return breaks


def _target(session: Session, record: TransitionRecord) -> TransitionRecord | None:
    seq = (record.details.get("corrects") or {}).get("seq")
    query = select(TransitionRecord).where(
        TransitionRecord.plan_id == record.plan_id, TransitionRecord.seq == seq
    )
    return session.exec(query).first()


def _record_breaks(record: TransitionRecord, target: TransitionRecord | None) -> list[Break]:
    """The correction names an earlier record of its plan, a field the table lets its role
    correct, and moved its clocks from the corrected date."""
    field = str(record.details.get("field"))

    def broken(problem: str, detail: str) -> Break:
        return Break(record.plan_id, record.seq, problem, detail, row_id=record.id, field=field)

    if target is None or target.seq >= record.seq:
        return [broken("correction_target_missing", "the record it corrects is not before it")]
    row = correction_for(target.action, field)
    if row is None or str(record.actor_role) not in {r.value for r in row.roles}:
        detail = f"the table does not let {record.actor_role} correct {field} of {target.action}"
        return [broken("correction_not_allowed", detail)]
    after = _day(record.details.get("after"))
    if after is None or field not in ("effective_on", "trigger_on"):
        return []
    wrong = [c for c in record.details.get("deadlines") or [] if not _counted(c, row, after)]
    return [
        broken(
            "correction_deadline_mismatch",
            f"{c.get('kind')} is not counted from {after.isoformat()}",
        )
        for c in wrong
    ]


def _counted(clock: dict[str, Any], row: Any, after: date) -> bool:
    """A clock a corrected date moved: started on it, or closed on it and judged on it."""
    kind = DeadlineKind(str(clock.get("kind")))
    if kind in row.restarts:
        return _day(clock.get("start_on")) == after
    due = _day(clock.get("due_on"))
    judged = due is not None and str(clock.get("status")) == closed_status(kind, due, after).value
    return kind in row.recloses and _day(clock.get("closed_on")) == after and judged


def _row_breaks(record: TransitionRecord, rows: list[RecordCorrection]) -> list[Break]:
    """A correction record has exactly one row, saying what the record says."""
    if not rows:
        detail = "the chain's correction has no row"
        return [Break(record.plan_id, record.seq, "row_missing", detail, TABLE)]
    first, *extra = rows
    corrects = record.details.get("corrects") or {}
    expected = {
        "plan_id": record.plan_id,
        "corrects_record_id": corrects.get("record_id"),
        "field": record.details.get("field"),
        "before": record.details.get("before"),
        "after": record.details.get("after"),
        "reason": record.comment,
        "recorded_at": record.recorded_at,
    }
    breaks = [
        Break(
            record.plan_id,
            record.seq,
            "field_mismatch",
            f"{name} is {getattr(first, name)!r}, the history says {value!r}",
            TABLE,
            first.id,
            name,
        )
        for name, value in expected.items()
        if getattr(first, name) != value
    ]
    detail = "a second row for one correction"
    return breaks + [
        Break(record.plan_id, None, "row_unrecorded", detail, TABLE, r.id) for r in extra
    ]


def _day(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None
