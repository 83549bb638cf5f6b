"""The log's verification in one streamed pass (`workflow.log.verify_log`): the entries
against the history rows, the frozen leaves against the rows as they are now, and each stored
checkpoint against the tree head of the leaves it covers, computed as the leaves stream by
(`Frontier`), so memory stays flat whatever the log's size (docs/integrity.md "What
verification finds")."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.log import LogCheckpoint, LogEntry, LogLeaf
from models.migrations.append_only import APPEND_ONLY_TABLES
from workflow import merkle
from workflow.checkpoints import BadCheckpoint, verify
from workflow.log import LogFinding, current_leaves, log_size

CHUNK = 2000


class Frontier:
    """The RFC 6962 tree head (MTH) of a growing prefix of leaves, kept as the perfect
    subtrees the prefix splits into (at most log2 n hashes)."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, hash), left to right

    def add(self, leaf: bytes) -> None:
        height, node = 0, leaf
        while self._stack and self._stack[-1][0] == height:
            node = merkle.node_hash(self._stack.pop()[1], node)
            height += 1
        self._stack.append((height, node))
        self.size += 1

    def head(self) -> bytes:
        """MTH of the leaves added so far: the subtrees folded from the right."""
        if not self._stack:
            return hashlib.sha256(b"").digest()
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = merkle.node_hash(left, node)
        return node


def verify_log_stream(session: Session, *, public_keys: Mapping[str, bytes]) -> list[LogFinding]:
    """Everything about the log that is not as it was written (empty: intact)."""
    findings = _entries(session) + _rows(session)
    points = session.exec(select(LogCheckpoint).order_by(col(LogCheckpoint.id))).all()
    wanted = {point.size for point in points}
    frontier = Frontier()
    heads = {0: frontier.head()}
    for chunk in _leaf_chunks(session):
        start = frontier.size
        now = {row[0]: row for row in current_leaves(session, start, start + len(chunk))}
        for seq, stored in enumerate(chunk, start):
            found = now.get(seq)
            if found is not None and found[3] is not None and found[3] != stored:
                detail = "the row differs from what the log holds"
                findings.append(LogFinding("row_changed", detail, found[1], found[2], seq))
            frontier.add(stored)
            if frontier.size in wanted:
                heads[frontier.size] = frontier.head()
    previous = 0
    for point in points:
        findings += _check_point(point, heads, frontier.size, public_keys, previous)
        previous = max(previous, point.size)
    return findings


def _leaf_chunks(session: Session) -> Iterator[list[bytes]]:
    """The frozen leaves below the log's size, in order, a chunk at a time."""
    size = log_size(session)
    query = select(LogLeaf.leaf).where(col(LogLeaf.seq) < size).order_by(col(LogLeaf.seq))
    chunk: list[bytes] = []
    for leaf in session.exec(query.execution_options(yield_per=CHUNK)):
        chunk.append(bytes.fromhex(leaf))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _entries(session: Session) -> list[LogFinding]:
    """The entries are numbered 0 … size − 1 without a gap (the head's count)."""
    size, count, missing = log_size(session), 0, list[int]()
    query = select(LogEntry.seq).order_by(col(LogEntry.seq))
    expected = 0
    for seq in session.exec(query.execution_options(yield_per=CHUNK * 10)):
        count += 1
        while expected < min(seq, size) and len(missing) < 10:
            missing.append(expected)
            expected += 1
        expected = max(expected, seq + 1)
    while expected < size and len(missing) < 10:
        missing.append(expected)
        expected += 1
    if count != size or missing:
        detail = f"{count} entries for size {size}; missing {missing}"
        return [LogFinding("log_entries", detail)]
    return []


def _rows(session: Session) -> list[LogFinding]:
    """Each history row is an entry, and each entry's row is there."""
    findings: list[LogFinding] = []
    entry = sa.table("log_entry", sa.column("seq"), sa.column("table_name"), sa.column("row_id"))
    for name in APPEND_ONLY_TABLES:
        table = sa.table(name, sa.column("id"))
        joined = table.outerjoin(
            entry, sa.and_(entry.c.table_name == name, entry.c.row_id == table.c.id)
        )
        unlogged = session.connection().execute(
            sa.select(table.c.id).select_from(joined).where(entry.c.seq.is_(None))
        )
        findings += [
            LogFinding("row_not_logged", "a row the log never held", name, row_id)
            for (row_id,) in unlogged
        ]
        gone = session.connection().execute(
            sa.select(entry.c.seq, entry.c.row_id)
            .select_from(entry.outerjoin(table, table.c.id == entry.c.row_id))
            .where(entry.c.table_name == name, table.c.id.is_(None))
        )
        findings += [
            LogFinding("row_deleted", "a logged row is gone", name, row_id, seq)
            for seq, row_id in gone
        ]
    return findings


def _check_point(
    point: LogCheckpoint,
    heads: Mapping[int, bytes],
    frozen: int,
    public_keys: Mapping[str, bytes],
    previous: int,
) -> list[LogFinding]:
    where = f"checkpoint {point.id} (size {point.size})"
    public = public_keys.get(point.key_name)
    if public is None:
        return [LogFinding("checkpoint_key", f"{where}: no public key named {point.key_name!r}")]
    try:
        signed = verify(point.note, name=point.key_name, public_key=public)
    except BadCheckpoint as err:
        return [LogFinding("checkpoint_signature", f"{where}: {err}")]
    if (signed.size, signed.root.hex()) != (point.size, point.root):
        return [LogFinding("checkpoint_row", f"{where}: the row differs from its signed note")]
    if point.size < previous:
        return [LogFinding("checkpoint_order", f"{where}: smaller than an earlier checkpoint")]
    if point.size > frozen or heads.get(point.size) != signed.root:
        return [LogFinding("log_forked", f"{where}: the frozen leaves do not give its root")]
    return []
