"""`audit verify` of the evidence (docs/integrity.md "Evidence"): every entry names a record
of its own plan whose action its kind proves, and every file it names (the original and the
public copy) is in the store and still hashes to its name, so a file replaced or removed on
disk is found. Entries are read as a stream; each file is read once however many entries
name it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from models.audit import TransitionRecord
from models.blobs import BlobStore
from models.evidence import Evidence, EvidenceKind
from models.store import table_of
from workflow.audit import Break, VerifyReport
from workflow.evidence_rules import PROVES

EVIDENCE = table_of(Evidence)
RECORD = table_of(TransitionRecord)
CHUNK = 1000


def run(
    session: Session,
    report: VerifyReport,
    *,
    plan_ids: list[int] | None,
    store: BlobStore | None,
) -> list[Break]:
    """Every finding about evidence (the plans given, or all); files only with a store."""
    query: sa.Select[Any] = (
        sa.select(EVIDENCE, RECORD.c.plan_id.label("record_plan"), RECORD.c.action)
        .select_from(EVIDENCE.outerjoin(RECORD, RECORD.c.id == EVIDENCE.c.record_id))
        .order_by(EVIDENCE.c.id)
    )
    if plan_ids is not None:
        query = query.where(EVIDENCE.c.plan_id.in_(plan_ids))
    rows = session.connection().execute(query.execution_options(yield_per=CHUNK))
    breaks: list[Break] = []
    seen: dict[str, str | None] = {}
    for row in rows:
        report.evidence_checked += 1
        breaks += _entry_breaks(row)
        for field in ("sha256", "public_sha256"):
            digest = getattr(row, field)
            if digest is None or store is None:
                continue
            if digest not in seen:
                seen[digest] = store.check(digest)
                report.evidence_files_checked += 1
            problem = seen[digest]
            if problem is not None:
                detail = f"the stored file {digest[:12]}… is {problem}"
                breaks.append(
                    Break(row.plan_id, None, f"file_{problem}", detail, "evidence", row.id, field)
                )
    return breaks


def _entry_breaks(row: Any) -> list[Break]:
    if row.record_plan != row.plan_id:
        detail = f"the entry names record {row.record_id}, which is not of plan {row.plan_id}"
        return [Break(row.plan_id, None, "field_mismatch", detail, "evidence", row.id, "record_id")]
    proves = PROVES.get(EvidenceKind(row.kind))
    if proves is not None and row.action not in {a.value for a in proves}:
        detail = f"a {row.kind} does not prove a {row.action} record"
        return [Break(row.plan_id, None, "field_mismatch", detail, "evidence", row.id, "kind")]
    return []
