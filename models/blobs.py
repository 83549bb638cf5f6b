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
is left as it is. Every process of a deployment points at the same directory. Nothing here
deletes a file: evidence is kept as long as its entry, which is append-only.
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
            return digest
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


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
