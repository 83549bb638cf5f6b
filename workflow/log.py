"""The history log as auditors use it: leaves, signed checkpoints, proofs and verification.

Every row of an append-only table is an entry of the log (models/log.py; the database appends
it). An entry's leaf is the RFC 6962 leaf hash of the row's canonical JSON, so changing any
column of a logged row changes its leaf. A checkpoint freezes the leaves it covers
(`log_leaf`) and signs the tree head; from then on

- an edited, deleted or inserted history row is found by comparing its leaf with the frozen
  one, naming table and id;
- an edited `log_leaf` row is found because the tree head no longer matches the signature;
- a rewritten log is found by anyone holding an older checkpoint: the log of today must
  prove consistent with it (`consistency_proof`), which a fork cannot.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

import models.tables  # noqa: F401  (every history table in the metadata)
from models.clock import Clock
from models.log import LogCheckpoint, LogEntry, LogHead, LogLeaf
from workflow import merkle
from workflow.checkpoints import BadCheckpoint, Checkpoint, key_hash, public_key_of, sign, verify


@dataclass(frozen=True)
class SigningKey:
    """The installation's key: the name in its notes and its raw Ed25519 private key."""

    name: str
    private_key: bytes


@dataclass(frozen=True)
class LogFinding:
    """One thing in the log that is not as it was logged."""

    problem: str
    detail: str
    table: str | None = None
    row_id: int | None = None
    seq: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _table(name: str) -> sa.Table:
    return SQLModel.metadata.tables[name]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# Columns added to a logged table after rows were logged in it: left out of a leaf while NULL,
# so the leaves of the rows before (and every checkpoint over them) stay as they were.
LATER_COLUMNS = {"refused_attempt": frozenset({"report_id"})}  # migration 0020


def leaf_of(table: str, row: Mapping[str, Any]) -> bytes:
    """The leaf hash of one history row: its table and every column, canonical JSON (a
    later column of LATER_COLUMNS only when it holds a value)."""
    later = LATER_COLUMNS.get(table, frozenset())
    content = {"table": table, "row": {k: _plain(v) for k, v in row.items()
                                       if not (k in later and v is None)}}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return merkle.leaf_hash(text.encode("utf-8"))


def log_size(session: Session) -> int:
    head = session.get(LogHead, 1)
    return head.size if head else 0


Leaf = tuple[int, str, int, bytes | None]


def current_leaves(session: Session, start: int, stop: int) -> Iterator[Leaf]:
    """(seq, table, row id, leaf of the row as it is now, or None if it is gone) for the
    entries start ≤ seq < stop, in order."""
    entries = session.exec(
        select(LogEntry)
        .where(col(LogEntry.seq) >= start, col(LogEntry.seq) < stop)
        .order_by(col(LogEntry.seq))
    ).all()
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        wanted.setdefault(entry.table_name, set()).add(entry.row_id)
    rows: dict[tuple[str, int], bytes] = {}
    for name, ids in wanted.items():
        table = _table(name)
        for chunk in _chunks(sorted(ids)):
            for row in session.connection().execute(sa.select(table).where(table.c.id.in_(chunk))):
                rows[(name, row.id)] = leaf_of(name, dict(row._mapping))
    for entry in entries:
        yield entry.seq, entry.table_name, entry.row_id, rows.get((entry.table_name, entry.row_id))


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def frozen_leaves(session: Session, size: int) -> list[bytes]:
    rows = session.exec(
        select(LogLeaf.leaf).where(col(LogLeaf.seq) < size).order_by(col(LogLeaf.seq))
    ).all()
    return [bytes.fromhex(leaf) for leaf in rows]


def latest_checkpoint(session: Session) -> LogCheckpoint | None:
    return session.exec(select(LogCheckpoint).order_by(col(LogCheckpoint.id).desc())).first()


def sign_checkpoint(session: Session, *, key: SigningKey, clock: Clock) -> LogCheckpoint | None:
    """Freeze the leaves added since the last checkpoint and sign the tree head; None when
    the log has not grown. Flushes; the caller commits."""
    size = log_size(session)
    last = latest_checkpoint(session)
    covered = last.size if last else 0
    if size == covered:
        return None
    for seq, table, row_id, leaf in current_leaves(session, covered, size):
        if leaf is None:
            raise RuntimeError(f"log entry {seq}: {table} {row_id} is missing; run audit verify")
        session.add(LogLeaf(seq=seq, leaf=leaf.hex()))
    session.flush()
    root = merkle.tree_head(frozen_leaves(session, size))
    body = Checkpoint(origin=key.name, size=size, root=root, signed_at=clock.now())
    note = sign(body, name=key.name, private_key=key.private_key)
    stored = LogCheckpoint(
        size=size,
        root=root.hex(),
        signed_at=body.signed_at,
        key_name=key.name,
        key_id=key_hash(key.name, public_key_of(key.private_key)).hex(),
        note=note,
    )
    session.add(stored)
    session.flush()
    return stored


def sign_if_due(
    session: Session, *, key: SigningKey, clock: Clock, since: datetime
) -> LogCheckpoint | None:
    """The scheduler's daily checkpoint: signed when none was signed at or after `since` (the
    day's set hour) and the log grew; None otherwise. Processes racing for the same day both
    reach `sign_checkpoint`, but the frozen leaves' primary key lets one commit only: the
    other's insert fails (IntegrityError) and its transaction rolls back whole."""
    last = latest_checkpoint(session)
    if last is not None and last.signed_at >= since:
        return None
    return sign_checkpoint(session, key=key, clock=clock)


def checkpoints(session: Session) -> list[LogCheckpoint]:
    """Every stored checkpoint, oldest first."""
    return list(session.exec(select(LogCheckpoint).order_by(col(LogCheckpoint.id))).all())


def checkpoint_of_size(session: Session, size: int) -> LogCheckpoint | None:
    return session.exec(
        select(LogCheckpoint).where(LogCheckpoint.size == size).order_by(col(LogCheckpoint.id))
    ).first()


def inclusion(
    session: Session, *, table: str, row_id: int, size: int | None = None
) -> dict[str, Any]:
    """The proof that a row is in the log of the checkpoint of `size` (default: the latest),
    RFC 9162 2.1.3; LookupError when no such checkpoint covers the row."""
    entry = session.exec(
        select(LogEntry).where(LogEntry.table_name == table, LogEntry.row_id == row_id)
    ).first()
    last = latest_checkpoint(session) if size is None else checkpoint_of_size(session, size)
    if last is None:
        raise LookupError(f"no checkpoint of size {size}" if size else "no checkpoint yet")
    if entry is None or entry.seq >= last.size:
        raise LookupError(f"{table} {row_id} is not in the checkpoint of size {last.size}")
    leaves = frozen_leaves(session, last.size)
    return {
        "table": table,
        "row_id": row_id,
        "index": entry.seq,
        "leaf": leaves[entry.seq].hex(),
        "tree_size": last.size,
        "root": last.root,
        "proof": [p.hex() for p in merkle.inclusion_proof(entry.seq, leaves)],
        "checkpoint": last.note,
    }


def consistency(session: Session, *, first: int, second: int) -> list[str]:
    """The proof that the log of size `second` extends the one of size `first`."""
    leaves = frozen_leaves(session, second)
    if len(leaves) != second:
        raise LookupError(f"no checkpoint covers {second} entries")
    return [p.hex() for p in merkle.consistency_proof(first, leaves)]


def verify_log(session: Session, *, public_keys: Mapping[str, bytes]) -> list[LogFinding]:
    """Everything about the log that is not as it was written (empty: intact), in one streamed
    pass (`workflow.verify_log`)."""
    from workflow.verify_log import verify_log_stream

    return verify_log_stream(session, public_keys=public_keys)


def verify_saved(
    session: Session, note: str, *, name: str, public_key: bytes
) -> list[LogFinding]:
    """Does today's log extend a checkpoint someone kept (a signed note)?"""
    try:
        kept = verify(note, name=name, public_key=public_key)
    except BadCheckpoint as err:
        return [LogFinding("checkpoint_signature", str(err))]
    leaves = frozen_leaves(session, kept.size)
    if len(leaves) < kept.size:
        return [LogFinding("log_shrunk", f"the log holds {len(leaves)} of {kept.size} entries")]
    if merkle.tree_head(leaves) != kept.root:
        return [LogFinding("log_forked", f"the first {kept.size} entries are not those signed")]
    return []


__all__ = [
    "LogFinding",
    "SigningKey",
    "checkpoint_of_size",
    "checkpoints",
    "consistency",
    "inclusion",
    "sign_checkpoint",
    "sign_if_due",
    "verify_log",
    "verify_saved",
]
