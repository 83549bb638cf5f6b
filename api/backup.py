"""Backup and restore of a deployment (docs/operations.md "Backup and restore"): the database,
the evidence store and the signing key, together, in one tar file.

    manifest.json         what was taken, when, from which engine, each member's SHA-256
    database.sqlite3      SQLite: a consistent copy by SQLite's online backup API
    database.sql          PostgreSQL: `pg_dump` (one snapshot; plain SQL for `psql`)
    evidence/<sha256>     every file of the evidence store
    signing.key           the signing key file, when the deployment has one

The database is copied first, then the store: a file is written before the entry naming it
commits (models/blobs.py), so every file the copied database names is already in the store.
Both copies run while the server serves: SQLite's backup API copies pages under a read
transaction (restarting if a writer changes a page, so the copy is one state); pg_dump reads
in one repeatable-read snapshot.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from models.blobs import SHA256, BlobStore

FORMAT = "localplan-backup/1"


class BackupError(Exception):
    """A backup or restore that cannot be done (one line for the operator)."""


@dataclass(frozen=True)
class Taken:
    path: Path
    engine: str
    files: int
    size: int


def pg_tool(name: str) -> str:
    """`pg_dump` or `psql`: on the PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_version)
    if not candidates:
        raise BackupError(f"{name} not found (install postgresql-client)")
    return str(candidates[-1])


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in path.parts[-3].split(".") if p.isdigit())


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    args = ["-h", url.host or "localhost", "-p", str(url.port or 5432)]
    if url.username:
        args += ["-U", url.username]
    env = {**os.environ, "PGDATABASE": url.database or ""}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _dump(database_url: str, into: Path) -> tuple[str, Path]:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        target = into / "database.sqlite3"
        source = sqlite3.connect(f"file:{_sqlite_path(url)}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return "sqlite", target
    target = into / "database.sql"
    args, env = _libpq(url)
    command = [pg_tool("pg_dump"), *args, "--no-owner", "--no-privileges", "-f", str(target)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return "postgresql", target


def backup(
    *, database_url: str, store: BlobStore, key_file: Path | None, output: Path, now: datetime
) -> Taken:
    """Write the backup of the deployment to `output` (a tar file)."""
    with tempfile.TemporaryDirectory(prefix="localplan-backup-") as tmp:
        engine, dumped = _dump(database_url, Path(tmp))
        members: dict[str, str] = {dumped.name: _file_sha256(dumped)}
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w") as tar:
            tar.add(dumped, arcname=dumped.name)
            names = list(store.names())
            for name in names:
                tar.add(store.path_of(name), arcname=f"evidence/{name}")
                members[f"evidence/{name}"] = name  # the name is the hash
            if key_file is not None:
                tar.add(key_file, arcname="signing.key")
                members["signing.key"] = _file_sha256(key_file)
            manifest = {
                "format": FORMAT,
                "engine": engine,
                "made_at": now.isoformat(),
                "members": members,
            }
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
        partial.replace(output)
    return Taken(output, engine, len(names), output.stat().st_size)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Restored:
    engine: str
    files: int
    key: bool


def restore(
    *, backup_file: Path, database_url: str, store: BlobStore, key_file: Path | None
) -> Restored:
    """Restore a backup into an empty database, the store and the key file's place; every
    member is checked against the manifest first. The caller verifies the result."""
    try:
        tar = tarfile.open(backup_file, "r")  # noqa: SIM115  (closed by the `with` below)
    except (OSError, tarfile.TarError) as err:
        raise BackupError(f"not a readable backup: {err}") from err
    with tar, tempfile.TemporaryDirectory(prefix="localplan-restore-") as tmp:
        manifest = _manifest(tar)
        members: dict[str, str] = dict(manifest["members"])
        dumped = next(n for n in members if n.startswith("database."))
        target = Path(tmp) / "database"
        target.write_bytes(_member(tar, dumped, members[dumped]))
        _load(database_url, manifest["engine"], target)
        files = 0
        for name, digest in members.items():
            if name.startswith("evidence/"):
                if not SHA256.match(digest) or name != f"evidence/{digest}":
                    raise BackupError(f"unexpected member {name}")
                store.put(_member(tar, name, digest))
                files += 1
        key = "signing.key" in members and key_file is not None
        if key:
            assert key_file is not None
            _restore_key(key_file, _member(tar, "signing.key", members["signing.key"]))
    return Restored(str(manifest["engine"]), files, key)


def _manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        data = json.loads(_read(tar, "manifest.json"))
    except (KeyError, ValueError) as err:
        raise BackupError("the backup has no readable manifest.json") from err
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"not a {FORMAT} backup")
    return data


def _read(tar: tarfile.TarFile, name: str) -> bytes:
    member = tar.getmember(name)
    if not member.isfile():
        raise BackupError(f"{name} is not a file")
    extracted = tar.extractfile(member)
    assert extracted is not None
    return extracted.read()


def _member(tar: tarfile.TarFile, name: str, digest: str) -> bytes:
    try:
        data = _read(tar, name)
    except KeyError as err:
        raise BackupError(f"the backup lacks {name}") from err
    if hashlib.sha256(data).hexdigest() != digest:
        raise BackupError(f"{name} does not match the manifest's hash: the backup is damaged")
    return data


def _load(database_url: str, engine: object, dumped: Path) -> None:
    url = make_url(database_url)
    if url.get_backend_name() != engine:
        raise BackupError(f"a {engine} backup cannot be restored into {url.get_backend_name()}")
    if engine == "sqlite":
        path = _sqlite_path(url)
        if path.exists() and path.stat().st_size > 0:
            raise BackupError(f"{path} exists: restore into a new database file")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dumped, path)
        return
    args, env = _libpq(url)
    psql = [pg_tool("psql"), *args, "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    count = subprocess.run([*psql, "-tAc", tables], env=env, capture_output=True, text=True)
    if count.returncode != 0:
        raise BackupError(f"psql failed: {count.stderr.strip()}")
    if count.stdout.strip() != "0":
        raise BackupError(f"database {url.database} is not empty: restore into a new database")
    done = subprocess.run(
        [*psql, "--single-transaction", "-f", str(dumped)], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"psql failed: {done.stderr.strip()}")


def _restore_key(key_file: Path, data: bytes) -> None:
    if key_file.exists():
        if key_file.read_bytes() != data:
            raise BackupError(f"{key_file} exists and holds another key")
        return
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
