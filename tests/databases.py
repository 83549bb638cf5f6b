"""Real databases for tests, on both engines: a migrated template, copied per test.

SQLite: a template file migrated once, copied per test. PostgreSQL: a template database
migrated once per run, and `CREATE DATABASE … TEMPLATE` per test, dropped afterwards. PostgreSQL
runs when LOCALPLAN_TEST_POSTGRES_URL is set (`.ci/run` starts a throwaway server); in CI its
absence is an error, elsewhere those tests are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from models.db import make_engine, upgrade

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
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
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
        if self.kind == "sqlite":
            if self._template is None:
                self._template = self._sqlite_template()
            path = self._dir / f"{uuid.uuid4().hex}.db"
            shutil.copyfile(self._template, path)

            def drop_file() -> None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)

            return f"sqlite:///{path}", drop_file
        if self._template is None:
            self._template = self._pg_template()
        name = f"lp_{uuid.uuid4().hex[:16]}"
        run = self._admin()
        run(f"CREATE DATABASE {name} TEMPLATE {self._template}")
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
