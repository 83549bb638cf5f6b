"""The content-addressed file store of evidence (docs/operations.md "The evidence store"): the
only code that touches those files.

A file is named by the SHA-256 of its bytes, so the same photo uploaded twice is stored once
and a file that no longer hashes to its name has been changed. Layout under the store's
directory (`LOCALPLAN_EVIDENCE_DIR`; by default `<the SQLite file's stem>-evidence` beside the
database file):

    sha256/ab/cd/abcd…(64 hex)     the files, fanned out by the first two bytes of the name
    tmp/                           files being written (renamed into place when complete)

A write goes to a temporary file in `tmp/`, is fsync'ed, renamed onto its name (atomic on
POSIX: a reader sees the whole file or none) and the directory fsync'ed; a file already there
is left as it is, its time refreshed. Every process of a deployment points at the same
directory. Evidence is kept as long as its entry, which is append-only; the only deletion is
`remove`, which `localplan evidence gc` (workflow/evidence_gc.py) calls for a file no entry
names and older than the grace period, and for leftovers in `tmp/`: a file is written before
its entry commits, so its time (refreshed when an upload reuses it) is what protects an
upload in flight.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SHA256 = re.compile(r"\A[0-9a-f]{64}\Z")
_CHUNK = 1 << 20


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def default_dir(database_url: str) -> Path:
    """The store's directory when no setting names one: beside the SQLite file, or
    `./localplan-evidence` for a server database (set the setting there)."""
    prefix = "sqlite:///"
    if database_url.startswith(prefix) and database_url[len(prefix) :] not in ("", ":memory:"):
        path = Path(database_url[len(prefix) :].split("?", 1)[0])
        return path.with_name(f"{path.stem}-evidence")
    return Path("localplan-evidence")


@dataclass(frozen=True)
class BlobStore:
    root: Path

    def path_of(self, sha256: str) -> Path:
        if not SHA256.match(sha256):
            raise ValueError("not a SHA-256 in lower-case hex")
        return self.root / "sha256" / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Store `data` (once) and return its SHA-256."""
        digest = sha256_of(data)
        target = self.path_of(digest)
        if target.exists():
            try:  # an upload in flight reuses it: the cleanup's grace period starts again
                os.utime(target)
                return digest
            except FileNotFoundError:
                pass  # removed meanwhile as unreferenced: written again below
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix=digest[:8], suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            Path(name).replace(target)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return digest

    def get(self, sha256: str) -> bytes | None:
        """The file's bytes, or None when it is not stored."""
        try:
            return self.path_of(sha256).read_bytes()
        except FileNotFoundError:
            return None

    def check(self, sha256: str) -> str | None:
        """None when the file is there and hashes to its name; else `missing` or `replaced`."""
        digest = hashlib.sha256()
        try:
            with self.path_of(sha256).open("rb") as f:
                for chunk in iter(lambda: f.read(_CHUNK), b""):
                    digest.update(chunk)
        except FileNotFoundError:
            return "missing"
        return None if digest.hexdigest() == sha256 else "replaced"

    def names(self) -> Iterator[str]:
        """Every stored file's name (for the backup)."""
        base = self.root / "sha256"
        if base.is_dir():
            for path in sorted(base.glob("*/*/*")):
                if SHA256.match(path.name):
                    yield path.name


    def stored(self) -> Iterator[Stored]:
        """Every stored file with its time and size (for the cleanup)."""
        for name in self.names():
            found = _stat(self.path_of(name), name)
            if found is not None:
                yield found

    def leftovers(self) -> Iterator[Stored]:
        """The files of `tmp/` (writes in progress, or left by a crash), named as there."""
        tmp = self.root / "tmp"
        if tmp.is_dir():
            for path in sorted(tmp.iterdir()):
                found = _stat(path, path.name) if path.is_file() else None
                if found is not None:
                    yield found

    def remove(self, name: str, *, older_than: float, leftover: bool = False) -> int | None:
        """Delete a stored file (or a `tmp/` leftover) if it is still older than `older_than`
        (a POSIX time): its size, or None when it was young again or gone."""
        if leftover:
            if "/" in name or name.startswith("."):
                raise ValueError("not a leftover's name")
            path = self.root / "tmp" / name
        else:
            path = self.path_of(name)
        found = _stat(path, name)  # looked at again: an upload may have reused it since
        if found is None or found.mtime >= older_than:
            return None
        path.unlink(missing_ok=True)
        return found.size


@dataclass(frozen=True)
class Stored:
    name: str
    mtime: float
    size: int


def _stat(path: Path, name: str) -> Stored | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return Stored(name, info.st_mtime, info.st_size)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
