"""Real databases for tests, on both engines: a migrated template, copied per test.

SQLite: a template file migrated once, copied per test. PostgreSQL: a template database
migrated once per run, and `CREATE DATABASE … TEMPLATE` per test, dropped afterwards. PostgreSQL
runs when LOCALPLAN_TEST_POSTGRES_URL is set (`.ci/run` starts a throwaway server); in CI its
absence is an error, elsewhere those tests are skipped with the reason.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Engine, MetaData, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from models.db import make_engine, upgrade

T = TypeVar("T")
ENGINES = ("sqlite", "postgresql")
POSTGRES_ENV = "LOCALPLAN_TEST_POSTGRES_URL"
# one template per pytest-xdist worker, so parallel workers never drop each other's
PG_TEMPLATE = f"localplan_test_template_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_ENV} is not set: CI must run every test on PostgreSQL too")
    pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (see .ci/postgres.sh)")


class Databases:
    """Hands out fresh, migrated databases of one engine; `cleanup` drops them."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._template: Path | str | None = None
        self._dir = Path(tempfile.mkdtemp(prefix="localplan-test-"))
        self._admin_engine: Engine | None = None

    def _sqlite_template(self) -> Path:
        path = self._dir / "template.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        close(engine)
        return path

    def _admin(self) -> Callable[[str], None]:
        if self._admin_engine is None:
            self._admin_engine = create_engine(
                postgres_url(), isolation_level="AUTOCOMMIT", poolclass=NullPool
            )
        admin = self._admin_engine

        def run(sql: str) -> None:
            with admin.connect() as conn:
                conn.exec_driver_sql(sql)

        return run

    def _pg_template(self) -> str:
        run = self._admin()
        run(f"DROP DATABASE IF EXISTS {PG_TEMPLATE} WITH (FORCE)")
        run(f"CREATE DATABASE {PG_TEMPLATE}")
        url = make_url(postgres_url()).set(database=PG_TEMPLATE).render_as_string(False)
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        return PG_TEMPLATE

    def new(self) -> tuple[str, Callable[[], None]]:
        """A fresh migrated database: its URL and how to drop it."""
        if self._template is None:
            self._template = (
                self._sqlite_template() if self.kind == "sqlite" else self._pg_template()
            )
        return self._copy(self._template)

    def copy(self, url: str) -> tuple[str, Callable[[], None]]:
        """A copy of the database at `url` (one of ours, which nobody is connected to: a
        PostgreSQL template must be idle, a SQLite file must be checkpointed and closed)."""
        database = make_url(url).database
        assert database is not None
        return self._copy(Path(database) if self.kind == "sqlite" else database)

    def _copy(self, source: Path | str) -> tuple[str, Callable[[], None]]:
        if self.kind == "sqlite":
            path = self._dir / f"{uuid.uuid4().hex}.db"
            shutil.copyfile(source, path)

            def drop_file() -> None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)

            return f"sqlite:///{path}", drop_file
        name = f"lp_{uuid.uuid4().hex[:16]}"
        run = self._admin()
        run(f"CREATE DATABASE {name} TEMPLATE {source}")
        url = make_url(postgres_url()).set(database=name).render_as_string(False)
        return url, lambda: run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def cleanup(self) -> None:
        if self._admin_engine is not None:
            self._admin_engine.dispose()
        shutil.rmtree(self._dir, ignore_errors=True)


_POOLS: dict[str, Databases] = {}


def databases(kind: str) -> Databases:
    if kind not in _POOLS:
        _POOLS[kind] = Databases(kind)
    return _POOLS[kind]


def close(engine: Engine) -> None:
    """Dispose of `engine`, leaving a SQLite file whole (WAL checkpointed) so it can be copied."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


@dataclass(frozen=True)
class Frozen:
    """A database seeded once and never connected to again: each use works on a copy."""

    kind: str
    url: str

    def copy(self) -> tuple[str, Callable[[], None]]:
        """A copy of the seeded database: its URL and how to drop it."""
        return databases(self.kind).copy(self.url)


def freeze(kind: str, seed: Callable[[Engine], T]) -> tuple[Frozen, T, Callable[[], None]]:
    """A fresh database of engine `kind`, seeded by `seed` and frozen; what `seed` returned;
    how to drop the frozen database. For worlds that cost too much to build per test."""
    url, drop = databases(kind).new()
    engine = make_engine(url)
    try:
        made = seed(engine)
    finally:
        close(engine)
    return Frozen(kind, url), made, drop


def fingerprint(engine: Engine) -> str:
    """A digest of every row of every table: equal digests mean nothing was written between."""
    tables = MetaData()
    tables.reflect(engine)
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in tables.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in conn.execute(select(table)))
            digest.update(repr((table.name, rows)).encode())
    return digest.hexdigest()
