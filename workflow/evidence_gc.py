"""The evidence store's cleanup (docs/operations.md "The evidence store", "Cleanup"): files no
evidence entry names, and leftovers of interrupted writes in `tmp/`, older than the grace
period, are removed; everything an entry names (original or public copy) is kept, so `audit
verify` finds every file it re-hashes.

A file is written before the entry naming it commits (workflow/evidence.py), so a rolled-back
upload leaves one behind, and an upload in flight has a file no committed entry names yet.
The grace period (default 24 h) protects the second: the store refreshes a file's time when
an upload reuses it, the files are listed before the entries are read, and each file's time is
looked at again just before it is removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models.blobs import BlobStore, Stored
from models.evidence import Evidence

DEFAULT_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class Swept:
    """What the cleanup removed (or, on a dry run, would remove)."""

    removed: tuple[Stored, ...]
    leftovers: tuple[Stored, ...]
    kept: int  # files an entry names
    young: int  # unreferenced files and leftovers within the grace period
    dry_run: bool

    @property
    def freed(self) -> int:
        return sum(f.size for f in (*self.removed, *self.leftovers))


def referenced(session: Session) -> set[str]:
    """Every SHA-256 an evidence entry or a progress entry names: originals and public
    copies."""
    from models.progress import ProgressEntry

    rows = session.exec(select(col(Evidence.sha256), col(Evidence.public_sha256))).all()
    named = {digest for row in rows for digest in row if digest is not None}
    for files in session.exec(select(col(ProgressEntry.files))).all():
        for f in files or []:
            named.update(str(f[k]) for k in ("sha256", "public_sha256") if f.get(k))
    return named


def sweep(
    session: Session,
    *,
    store: BlobStore,
    now: datetime,
    grace: timedelta = DEFAULT_GRACE,
    dry_run: bool = False,
) -> Swept:
    """Remove the unreferenced files and the `tmp/` leftovers older than `grace`."""
    if grace < timedelta(0):
        raise ValueError("the grace period cannot be negative")
    cutoff = (now - grace).timestamp()
    files = list(store.stored())  # listed before the entries are read (the module says why)
    left = list(store.leftovers())
    names = referenced(session)
    unreferenced = [f for f in files if f.name not in names]
    old = [f for f in unreferenced if f.mtime < cutoff]
    old_left = [f for f in left if f.mtime < cutoff]
    young = len(unreferenced) - len(old) + len(left) - len(old_left)
    if dry_run:
        return Swept(tuple(old), tuple(old_left), len(files) - len(unreferenced), young, True)
    removed = [f for f in old if store.remove(f.name, older_than=cutoff) is not None]
    gone = [
        f for f in old_left if store.remove(f.name, older_than=cutoff, leftover=True) is not None
    ]
    young += len(old) - len(removed) + len(old_left) - len(gone)
    return Swept(tuple(removed), tuple(gone), len(files) - len(unreferenced), young, False)
