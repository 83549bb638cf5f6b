"""`audit verify` of progress (docs/integrity.md "Progress"): each plan's progress entries are
a chain, seq 1, 2, … with each entry's `prev_hash` the hash of the one before it and its own
`hash` what its columns hash to (`progress_rules.entry_hash`), so a hand edit of any column
(an amount, a status, a date, a file's hash) or a removed or reordered entry is found at once,
without waiting for a checkpoint; every file an entry names is in the evidence store and still
hashes to its name. The latest per item is a view over the entries, so it cannot disagree with
them. Entries are read as one stream in plan order."""

from __future__ import annotations

import itertools
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from models.blobs import BlobStore
from models.progress import ProgressEntry
from models.store import table_of
from workflow.audit import Break, VerifyReport
from workflow.progress_rules import GENESIS, entry_hash

ENTRY = table_of(ProgressEntry)
CHUNK = 1000
TABLE = "progress_entry"


def run(
    session: Session,
    report: VerifyReport,
    *,
    plan_ids: list[int] | None,
    store: BlobStore | None,
) -> list[Break]:
    """Every finding about progress entries (the plans given, or all); files with a store.
    None on a database from before progress was kept (a migration older than 0014)."""
    if not sa.inspect(session.connection()).has_table(TABLE):
        return []
    query = sa.select(ENTRY).order_by(ENTRY.c.plan_id, ENTRY.c.seq)
    if plan_ids is not None:
        query = query.where(ENTRY.c.plan_id.in_(plan_ids))
    rows = session.connection().execute(query.execution_options(yield_per=CHUNK))
    breaks: list[Break] = []
    seen: dict[str, str | None] = {}
    for plan_id, group in itertools.groupby(rows, key=lambda r: r.plan_id):
        prev, expected = GENESIS, 1
        for row in group:
            report.progress_checked += 1
            breaks += _link_breaks(plan_id, row, prev, expected)
            breaks += _file_breaks(plan_id, row, store, seen, report)
            prev, expected = row.hash, row.seq + 1
    return breaks


def _link_breaks(plan_id: int, row: Any, prev: str, expected: int) -> list[Break]:
    where = {"table": TABLE, "row_id": row.id}
    found: list[Break] = []
    if row.seq != expected:
        found.append(
            Break(
                plan_id,
                None,
                "sequence_gap",
                f"progress entry {row.seq} where {expected} was due",
                field="seq",
                **where,
            )
        )
    if row.prev_hash != prev:
        found.append(
            Break(
                plan_id,
                None,
                "chain_broken",
                "the entry does not name the hash of the entry before it",
                field="prev_hash",
                **where,
            )
        )
    if entry_hash(dict(row._mapping)) != row.hash:
        found.append(
            Break(
                plan_id,
                None,
                "hash_mismatch",
                "the progress entry does not hash to its hash: a column was changed",
                field="hash",
                **where,
            )
        )
    return found


def _file_breaks(
    plan_id: int,
    row: Any,
    store: BlobStore | None,
    seen: dict[str, str | None],
    report: VerifyReport,
) -> list[Break]:
    if store is None:
        return []
    found: list[Break] = []
    digests = [str(f.get(k)) for f in row.files or [] for k in ("sha256", "public_sha256")
               if k == "sha256" or f.get(k)]  # fmt: skip
    for digest in digests:
        if digest not in seen:
            seen[digest] = store.check(digest)
            report.evidence_files_checked += 1
        problem = seen[digest]
        if problem is not None:
            found.append(
                Break(
                    plan_id,
                    None,
                    f"file_{problem}",
                    f"the stored file {digest[:12]}… is {problem}",
                    TABLE,
                    row.id,
                    "files",
                )
            )
    return found
