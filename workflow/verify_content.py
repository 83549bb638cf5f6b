"""`audit verify` of the plans' content (docs/integrity.md "Plan content"): the frozen
versions against their hashes and the records that name them, and each draft against its
last saved edit.

- Each frozen version's bytes hash to its `sha256`; versions are numbered 1, 2, … per plan;
  the record it names is a submit of that plan whose details name this version and hash,
  and each submit that names a version has that row.
- Each approve and announce that names a version names one that exists, with the same hash
  (what was announced is what the committee approved is what was submitted).
- Each draft's content hashes to its last edit's hash, at the same revision, read both ways:
  from the items' columns and from their stored canonical JSON (what the reads use); edits
  are numbered 1, 2, … per plan.

Versions and records are read as streams in plan order; drafts one plan at a time.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from models.audit import TransitionRecord
from models.store import table_of
from workflow import content_store
from workflow.audit import Break, VerifyReport
from workflow.content_columns import load_columns
from workflow.content_model import content_hash
from workflow.table import RULES

RECORD = table_of(TransitionRecord)
NAMING = tuple(sorted({r.action.value for r in RULES if r.content is not None}))
FREEZING = frozenset(r.action.value for r in RULES if r.content == "freeze")
CHUNK = 500


def _scoped(query: sa.Select[Any], column: Any, plan_ids: list[int] | None) -> sa.Select[Any]:
    return query if plan_ids is None else query.where(column.in_(plan_ids))


def _by_plan(session: Session, query: sa.Select[Any]) -> Iterator[tuple[int, list[Any]]]:
    rows = session.connection().execute(query.execution_options(yield_per=CHUNK))
    for plan_id, group in itertools.groupby(rows, key=lambda r: r.plan_id):
        yield plan_id, list(group)


def run(session: Session, report: VerifyReport, *, plan_ids: list[int] | None) -> list[Break]:
    """Every finding about content (the plans given, or all)."""
    versions = _scoped(
        sa.select(content_store.VERSION).order_by(
            content_store.VERSION.c.plan_id, content_store.VERSION.c.number
        ),
        content_store.VERSION.c.plan_id,
        plan_ids,
    )
    records = _scoped(
        sa.select(RECORD.c.id, RECORD.c.plan_id, RECORD.c.seq, RECORD.c.action, RECORD.c.details)
        .where(RECORD.c.action.in_(NAMING))
        .order_by(RECORD.c.plan_id, RECORD.c.seq),
        RECORD.c.plan_id,
        plan_ids,
    )
    breaks: list[Break] = []
    stream = _by_plan(session, records)
    pending = next(stream, None)
    for plan_id, rows in _by_plan(session, versions):
        report.content_versions_checked += len(rows)
        while pending is not None and pending[0] < plan_id:
            breaks += _record_breaks(pending[0], pending[1], {})
            pending = next(stream, None)
        named = pending[1] if pending is not None and pending[0] == plan_id else []
        if named:
            pending = next(stream, None)
        breaks += _version_breaks(plan_id, rows, named)
        breaks += _record_breaks(plan_id, named, {r.number: r for r in rows})
    while pending is not None:
        breaks += _record_breaks(pending[0], pending[1], {})
        pending = next(stream, None)
    return breaks + _draft_breaks(session, report, plan_ids)


def _named(record: Any) -> dict[str, Any] | None:
    found = (record.details or {}).get("content")
    return found if isinstance(found, dict) else None


def _version_breaks(plan_id: int, rows: list[Any], records: list[Any]) -> list[Break]:
    by_id = {r.id: r for r in records}
    breaks: list[Break] = []
    for expected, row in enumerate(rows, start=1):
        where = {"table": "content_version", "row_id": row.id}
        if row.number != expected:
            breaks.append(Break(plan_id, None, "sequence_gap", f"version {row.number} where "
                                f"{expected} was due", field="number", **where))  # fmt: skip
        if hashlib.sha256(row.body.encode("utf-8")).hexdigest() != row.sha256:
            breaks.append(Break(plan_id, None, "hash_mismatch", "the frozen content does not "
                                "hash to its sha256", field="body", **where))  # fmt: skip
        record = by_id.get(row.record_id)
        named = None if record is None else _named(record)
        if (
            record is None
            or record.action not in FREEZING
            or named != {"version": row.number, "sha256": row.sha256}
        ):
            seq = None if record is None else record.seq
            breaks.append(Break(plan_id, seq, "content_record_mismatch", "the submit record "
                                "does not name this version and hash", field="record_id",
                                **where))  # fmt: skip
    return breaks


def _record_breaks(plan_id: int, records: list[Any], versions: dict[int, Any]) -> list[Break]:
    breaks: list[Break] = []
    for record in records:
        named = _named(record)
        if named is None:
            continue  # an action from before content was kept
        row = versions.get(named.get("version"))  # type: ignore[arg-type]
        if row is None:
            detail = f"the record names content version {named.get('version')}, which is missing"
            breaks.append(Break(plan_id, record.seq, "row_missing", detail, "content_version"))
        elif row.sha256 != named.get("sha256"):
            detail = f"the record names version {row.number} with another hash than it has"
            breaks.append(
                Break(plan_id, record.seq, "content_hash_mismatch", detail, "content_version",
                      row.id, "sha256")
            )  # fmt: skip
        elif record.action in FREEZING and row.record_id != record.id:
            detail = f"version {row.number} names another record than the submit that froze it"
            breaks.append(Break(plan_id, record.seq, "content_record_mismatch", detail,
                                "content_version", row.id, "record_id"))  # fmt: skip
    return breaks


def _draft_breaks(
    session: Session, report: VerifyReport, plan_ids: list[int] | None
) -> list[Break]:
    """Each draft against its edits: the last edit's revision and hash."""
    edit, draft = content_store.EDIT, content_store.DRAFT
    edits = _scoped(
        sa.select(edit.c.plan_id, edit.c.revision, edit.c.sha256).order_by(
            edit.c.plan_id, edit.c.revision
        ),
        edit.c.plan_id,
        plan_ids,
    )
    last: dict[int, Any] = {}
    breaks: list[Break] = []
    for plan_id, rows in _by_plan(session, edits):
        for expected, row in enumerate(rows, start=1):
            if row.revision != expected:
                detail = f"edit revision {row.revision} where {expected} was due"
                breaks.append(Break(plan_id, None, "sequence_gap", detail, "content_edit"))
        last[plan_id] = rows[-1]
    heads = _scoped(sa.select(draft.c.plan_id, draft.c.revision), draft.c.plan_id, plan_ids)
    conn = session.connection()
    for plan_id, revision in conn.execute(heads.order_by(draft.c.plan_id)).all():
        report.drafts_checked += 1
        edit_row = last.pop(plan_id, None)
        if edit_row is None:
            breaks.append(_draft(plan_id, "row_unrecorded", "a draft no edit made", "revision"))
            continue
        if revision != edit_row.revision:
            detail = f"revision is {revision}, the last edit says {edit_row.revision}"
            breaks.append(_draft(plan_id, "field_mismatch", detail, "revision"))
        _, columns = load_columns(conn, plan_id)
        if content_hash(columns) != edit_row.sha256:
            detail = "the draft's rows, as their columns say, do not hash to its last edit's hash"
            breaks.append(_draft(plan_id, "hash_mismatch", detail, "content"))
        if content_store.stored_hash(conn, plan_id) != edit_row.sha256:
            detail = "the draft's stored JSON does not hash to its last edit's hash"
            breaks.append(_draft(plan_id, "hash_mismatch", detail, "data"))
    for plan_id in last:
        breaks.append(_draft(plan_id, "row_missing", "edits of a draft that is gone", None))
    return breaks


def _draft(plan_id: int, problem: str, detail: str, field: str | None) -> Break:
    return Break(plan_id, None, problem, detail, "content_draft", plan_id, field)
