"""`audit verify` of monitoring reports (docs/integrity.md "Monitoring reports"): each report's
records are a chain (seq 1, 2, …; each `prev_hash` the hash before it, each `hash` what its
columns hash to), the report's head (version, head hash) and state are the chain's last, its
dates are those its records set, and its clocks are what the last record that moved each of
them says (kind, start, due date, status, closing day); a clock no record names is
unrecorded. The papers its announcement stored (`report_document`, workflow/report_papers.py)
are re-hashed, never re-rendered: each row's file exists and hashes to the row's SHA-256 and
has its size, and each file the announce record names is stored for that report and kind."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from models.document import DocumentFile
from models.report_store import REPORT, REPORT_RECORD
from models.store import DEADLINE, table_of
from workflow.audit import Break, VerifyReport
from workflow.report_audit import GENESIS, report_record_hash
from workflow.report_papers import REPORT_DOCUMENT
from workflow.table_reports import REPORT_RULES

DATES = {r.action.value: r.sets_date for r in REPORT_RULES if r.sets_date is not None}
CLOCK_FIELDS = ("start_on", "due_on", "status", "closed_on")
FILE = table_of(DocumentFile)


def run(session: Session, report: VerifyReport, *, plan_ids: list[int] | None) -> list[Break]:
    """Every finding about reports (an unscoped check only: a scope of plans holds none)."""
    conn = session.connection()
    if plan_ids is not None or not sa.inspect(conn).has_table("report_record"):
        return []
    records = itertools.groupby(
        conn.execute(sa.select(REPORT_RECORD).order_by(REPORT_RECORD.c.report_id,
                                                       REPORT_RECORD.c.seq)),
        key=lambda r: r.report_id,
    )
    chains = {rid: list(rows) for rid, rows in records}
    clocks: dict[int, list[Any]] = {}
    query = sa.select(DEADLINE).where(DEADLINE.c.report_id.is_not(None))
    for row in conn.execute(query.order_by(DEADLINE.c.id)):
        clocks.setdefault(row.report_id, []).append(row)
    breaks: list[Break] = []
    for row in conn.execute(sa.select(REPORT).order_by(REPORT.c.id)):
        chain = chains.pop(row.id, [])
        report.reports_checked += 1
        report.records_checked += len(chain)
        own = clocks.get(row.id, [])
        report.deadlines_checked += len(own)
        breaks += _chain(row, chain) + _row(row, chain) + _clocks(row, chain, own)
    breaks += [_at(None, "orphan_records", f"records of missing report {rid}", None)
               for rid in sorted(chains)]
    return breaks + _documents(conn, report)


def _documents(conn: sa.Connection, report: VerifyReport) -> list[Break]:
    """The stored papers re-hashed (one file at a time), then those the records name."""
    if not sa.inspect(conn).has_table("report_document"):
        return []
    breaks: list[Break] = []
    stored: set[tuple[int, str, str]] = set()
    for row in conn.execute(sa.select(REPORT_DOCUMENT).order_by(REPORT_DOCUMENT.c.id)):
        report.documents_checked += 1
        stored.add((row.report_id, str(row.kind), row.sha256))
        found = conn.execute(sa.select(FILE.c.data).where(FILE.c.sha256 == row.sha256)).first()
        if found is None:
            breaks.append(_at(row.report_id, "report_document_missing", "the stored file is gone",
                              None, "report_document", row.id))
        elif (hashlib.sha256(bytes(found[0])).hexdigest() != row.sha256
              or len(bytes(found[0])) != row.size):
            breaks.append(_at(row.report_id, "report_document_hash_mismatch",
                              f"the stored file does not hash to {row.sha256[:16]}…", None,
                              "report_document", row.id, "sha256"))
    query = (sa.select(REPORT_RECORD.c.report_id, REPORT_RECORD.c.seq, REPORT_RECORD.c.id,
                       REPORT_RECORD.c.details)
             .where(REPORT_RECORD.c.action == "announce").order_by(REPORT_RECORD.c.id))
    for report_id, seq, record_id, details in conn.execute(query):
        for kind, named in ((details or {}).get("documents") or {}).items():
            if (report_id, kind, named.get("sha256")) not in stored:
                breaks.append(_at(report_id, "report_document_unstored",
                                  f"the announcement names a {kind} that is not stored", seq,
                                  row_id=record_id))
    return breaks


def _at(report_id: int | None, problem: str, detail: str, seq: int | None,
        table: str = "report_record", row_id: int | None = None,
        field: str | None = None) -> Break:
    return Break(None, seq, problem, f"report {report_id}: {detail}", table, row_id, field)


def _chain(row: Any, chain: Sequence[Any]) -> list[Break]:
    found, prev = [], GENESIS
    for expected, rec in enumerate(chain, start=1):
        if rec.seq != expected:
            found.append(_at(row.id, "sequence_gap", f"record {rec.seq} where {expected} was due",
                             rec.seq, row_id=rec.id, field="seq"))
        if rec.prev_hash != prev:
            found.append(_at(row.id, "chain_broken", "the record does not name the hash before it",
                             rec.seq, row_id=rec.id, field="prev_hash"))
        if report_record_hash(dict(rec._mapping)) != rec.hash:
            found.append(_at(row.id, "hash_mismatch", "the record does not hash to its hash",
                             rec.seq, row_id=rec.id, field="hash"))
        prev = rec.hash
    return found


def _row(row: Any, chain: Sequence[Any]) -> list[Break]:
    """The report's head, state and dates against its chain."""
    last = chain[-1] if chain else None
    expected: dict[str, Any] = {
        "version": len(chain),
        "head_hash": last.hash if last else GENESIS,
        "state": last.to_state if last else None,
    }
    for rec in chain:
        column = DATES.get(rec.action)
        if column is not None:
            expected[column] = rec.effective_on
        if rec.action == "approve":
            expected["findings"] = rec.details.get("findings")
            expected["recommendations"] = rec.details.get("recommendations")
    found = []
    for name, value in expected.items():
        if str(getattr(row, name)) != str(value):
            found.append(_at(row.id, "field_mismatch", f"{name} is not what the chain says",
                             None, "monitoring_report", row.id, name))
    return found


def _clocks(row: Any, chain: Sequence[Any], clocks: Sequence[Any]) -> list[Break]:
    said: dict[str, dict[str, Any]] = {}
    for rec in chain:
        for snap in rec.details.get("deadlines", []):
            said[snap["kind"]] = snap
    found = []
    for clock in clocks:
        snap = said.get(str(clock.kind))
        if snap is None:
            found.append(_at(row.id, "row_unrecorded", "a clock no record names", None,
                             "deadline", clock.id))
            continue
        for name in CLOCK_FIELDS:
            value = getattr(clock, name)
            shown = value.isoformat() if hasattr(value, "isoformat") else (
                None if value is None else str(value))
            if shown != snap.get(name):
                found.append(_at(row.id, "field_mismatch", f"the clock's {name} is not the "
                                 "chain's", None, "deadline", clock.id, name))
    return found
