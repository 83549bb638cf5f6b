"""`audit verify` of the stored papers (docs/integrity.md "Documents"): the files are
re-hashed, never re-rendered.

- Each `document` row's file exists in `document_file`, its bytes hash to the row's SHA-256
  and have its size; each file's bytes hash to its name.
- Each announce record that names documents (`details.documents`) has a `document` row of
  that plan, kind and SHA-256: what the board serves is what the chain recorded.
Files are read one at a time (a plan PDF is tens to hundreds of kilobytes).
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from models.audit import TransitionRecord
from models.document import Document, DocumentFile
from models.store import table_of
from workflow.audit import Break, VerifyReport

DOCUMENT, FILE, RECORD = table_of(Document), table_of(DocumentFile), table_of(TransitionRecord)


def _scoped(query: sa.Select[Any], column: Any, plan_ids: list[int] | None) -> sa.Select[Any]:
    return query if plan_ids is None else query.where(column.in_(plan_ids))


def run(session: Session, report: VerifyReport, *, plan_ids: list[int] | None) -> list[Break]:
    """The breaks of the documents of the plans in scope (all: None)."""
    conn = session.connection()
    breaks: list[Break] = []
    rows = conn.execute(
        _scoped(sa.select(DOCUMENT).order_by(DOCUMENT.c.id), DOCUMENT.c.plan_id, plan_ids)
    )
    stored: set[tuple[int, str, str]] = set()
    for row in rows.mappings():
        stored.add((row["plan_id"], str(row["kind"]), row["sha256"]))
        breaks += _file_breaks(conn, row)
        report.documents_checked += 1
    breaks += _named_breaks(conn, stored, plan_ids)
    return breaks


def _file_breaks(conn: sa.Connection, row: Any) -> list[Break]:
    found = conn.execute(sa.select(FILE.c.data).where(FILE.c.sha256 == row["sha256"])).first()
    where = {"table": "document", "row_id": row["id"]}
    if found is None:
        return [Break(row["plan_id"], None, "document_missing", "the stored file is gone", **where)]
    data = bytes(found[0])
    if hashlib.sha256(data).hexdigest() != row["sha256"] or len(data) != row["size"]:
        detail = f"the stored file does not hash to {row['sha256'][:16]}…"
        return [
            Break(row["plan_id"], None, "document_hash_mismatch", detail, **where, field="sha256")
        ]
    return []


def _named_breaks(
    conn: sa.Connection, stored: set[tuple[int, str, str]], plan_ids: list[int] | None
) -> list[Break]:
    query = _scoped(
        sa.select(RECORD.c.plan_id, RECORD.c.seq, RECORD.c.id, RECORD.c.details)
        .where(RECORD.c.action == "announce")
        .order_by(RECORD.c.id),
        RECORD.c.plan_id,
        plan_ids,
    )
    breaks: list[Break] = []
    for plan_id, seq, record_id, details in conn.execute(query):
        for kind, named in ((details or {}).get("documents") or {}).items():
            if (plan_id, kind, named.get("sha256")) not in stored:
                detail = f"the announcement names a {kind} that is not stored"
                breaks.append(Break(plan_id, seq, "document_unstored", detail, row_id=record_id))
    return breaks
