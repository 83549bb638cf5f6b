"""What an audit pack holds (docs/domain.md "The audit pack"), gathered from the database and
the evidence store as named files; documents/pack.py bags and zips them.

    plans/<id>/records.json      the transition records, every column, with their hashes
    plans/<id>/history.csv       the same history with Thai headers, dates in B.E.
    plans/<id>/evidence.json     the evidence entries (original and public copy SHA-256)
    plans/<id>/documents.json    the rendered documents' rows; plan.pdf, notice.pdf the files
    plans/<id>/content.json      the latest frozen content version
    evidence/<sha256>.<ext>      every evidence file (originals and public copies), once
    compliance.json              the compliance summary of the plans (workflow.queries)
    checklist.json               the assessors' checklist of the plans (workflow.checklist)
    compliance.pdf               both in Thai (documents/pack_summary.py)
    log.json                     the log entries of those rows, leaf hashes, inclusion proofs
    checkpoint.txt               the latest signed checkpoint (when there is one)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from documents.pack_summary import jsonb, summary_files
from models.audit import TransitionRecord
from models.blobs import BlobStore
from models.clock import BANGKOK, Clock
from models.document import Document, DocumentKind
from models.evidence import Evidence
from models.log import LogEntry
from models.organization import Organization
from models.plan import Plan
from models.store import table_of
from models.thai_dates import format_thai_date
from workflow import content_store, merkle
from workflow.evidence_rules import Requirement
from workflow.log import _plain, frozen_leaves, latest_checkpoint, leaf_of
from workflow.papers import document_bytes

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
HISTORY_HEADERS = (
    "ลำดับ",
    "การดำเนินการ",
    "จากสถานะ",
    "เป็นสถานะ",
    "ผู้ดำเนินการ",
    "บทบาท",
    "วันที่มีผล",
    "เวลาที่บันทึก",
    "หมายเหตุ",
    "แฮช",
    "แฮชก่อนหน้า",
)
LOGGED = ("transition_record", "evidence", "document")


@dataclass
class Contents:
    files: dict[str, bytes] = field(default_factory=dict)
    info: dict[str, str | list[str]] = field(default_factory=dict)


def gather(
    session: Session,
    *,
    plans: Sequence[Plan],
    store: BlobStore,
    clock: Clock,
    requirement: Requirement = Requirement.RECOMMENDED,
) -> Contents:
    """The pack of `plans` (one organization's), its files and bag-info; `requirement`: the
    installation's evidence policy, as the checklist reads it."""
    out = Contents()
    logged: list[tuple[str, int]] = []
    heads: list[str] = []
    for plan in plans:
        assert plan.id is not None
        logged += _plan_files(session, plan.id, store, out.files)
        heads.append(f"plan {plan.id} version {plan.version} {plan.head_hash}")
    org = session.get(Organization, plans[0].organization_id) if plans else None
    years = sorted({p.fiscal_year_be for p in plans})
    out.files.update(summary_files(session, plans=plans, clock=clock, requirement=requirement))
    log, checkpoint = _log(session, logged)
    out.files["log.json"] = jsonb(log)
    if checkpoint is not None:
        out.files["checkpoint.txt"] = checkpoint.encode("utf-8")
    now = clock.now()
    out.info = {
        "Source-Organization": "" if org is None else org.name,
        "Organization-Code": "" if org is None else org.code,
        "Fiscal-Year-BE": " ".join(str(y) for y in years),
        "Bagging-Date": now.date().isoformat(),
        "Made-At": now.isoformat(),
        "Made-At-Thai": th_datetime(now),
        "Chain-Head": heads,
        "Log-Size": str(log["size"]),
        "External-Description": 'localplan audit pack (docs/domain.md "The audit pack")',
    }
    return out


def _rows(session: Session, model: Any, plan_id: int, order: str) -> list[dict[str, Any]]:
    table = table_of(model)
    query = sa.select(table).where(table.c.plan_id == plan_id).order_by(table.c[order])
    return [
        {k: _plain(v) for k, v in r._mapping.items()} for r in session.connection().execute(query)
    ]


def _plan_files(
    session: Session, plan_id: int, store: BlobStore, files: dict[str, bytes]
) -> list[tuple[str, int]]:
    base = f"plans/{plan_id}/"
    records = _rows(session, TransitionRecord, plan_id, "seq")
    files[base + "records.json"] = jsonb(records)
    files[base + "history.csv"] = _history_csv(records)
    entries = _rows(session, Evidence, plan_id, "id")
    for entry in entries:
        for key in ("sha256", "public_sha256"):
            digest = entry[key]
            data = None if digest is None else store.get(digest)
            if data is not None:
                files[f"evidence/{digest}.{EXTENSIONS[entry['media_type']]}"] = data
    files[base + "evidence.json"] = jsonb(entries)
    documents = _rows(session, Document, plan_id, "id")
    files[base + "documents.json"] = jsonb(documents)
    for kind, name in (
        (DocumentKind.PLAN_PDF, "plan.pdf"),
        (DocumentKind.NOTICE_PDF, "notice.pdf"),
    ):
        newest = session.exec(
            select(Document)
            .where(Document.plan_id == plan_id, Document.kind == kind)
            .order_by(col(Document.id).desc())
        ).first()
        if newest is not None:
            files[base + name] = document_bytes(session, newest)
    version = content_store.latest_version(session.connection(), plan_id)
    if version is not None:
        files[base + "content.json"] = jsonb({k: _plain(v) for k, v in version.items()})
    return (
        [("transition_record", r["id"]) for r in records]
        + [("evidence", e["id"]) for e in entries]
        + [("document", d["id"]) for d in documents]
    )


def _history_csv(records: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HISTORY_HEADERS)
    for r in records:
        writer.writerow(
            [
                r["seq"],
                r["action"],
                r["from_state"] or "",
                r["to_state"],
                r["actor_username"],
                r["actor_role"],
                format_thai_date(date.fromisoformat(r["effective_on"])),
                th_datetime(datetime.fromisoformat(r["recorded_at"])),
                _safe(r["comment"] or ""),
                r["hash"],
                r["prev_hash"],
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # a BOM: spreadsheets read it as UTF-8


def _safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula is quoted (as api/csv_export.py does)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _log(session: Session, logged: list[tuple[str, int]]) -> tuple[dict[str, Any], str | None]:
    """The log entries of the pack's rows: index, leaf and, when the latest checkpoint covers
    it, the inclusion proof (RFC 9162 2.1.3) against that checkpoint's root."""
    last = latest_checkpoint(session)
    leaves = frozen_leaves(session, last.size) if last is not None else []
    wanted = set(logged)
    entries = []
    for table in LOGGED:
        ids = sorted(i for t, i in wanted if t == table)
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            query = select(LogEntry).where(
                LogEntry.table_name == table, col(LogEntry.row_id).in_(chunk)
            )
            entries += list(session.exec(query))
    out = []
    for entry in sorted(entries, key=lambda e: e.seq):
        item: dict[str, Any] = {"seq": entry.seq, "table": entry.table_name, "row_id": entry.row_id}
        if entry.seq < len(leaves):
            item["leaf"] = leaves[entry.seq].hex()
            item["proof"] = [p.hex() for p in merkle.inclusion_proof(entry.seq, leaves)]
        out.append(item)
    size = last.size if last is not None else 0
    return {"size": size, "root": None if last is None else last.root, "entries": out}, (
        None if last is None else last.note
    )


def th_datetime(at: datetime) -> str:
    """An instant in Thai local time: "21 ก.ย. 2561 12:00"."""
    local = at.astimezone(BANGKOK)
    return f"{format_thai_date(local.date())} {local:%H:%M}"


def row_leaf(table: str, row: Mapping[str, Any]) -> bytes:
    return leaf_of(table, row)
