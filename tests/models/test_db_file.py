"""A SQLite database the service creates is private to its owner (0600), WAL files too."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app as cli_app
from models.db import make_engine


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_wal_files_are_0600(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask, which alone would give 0644
    try:
        engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
        with engine.begin() as conn:  # a write: the -wal and -shm files appear
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
            files = sorted(tmp_path.iterdir())
            assert [f.name for f in files] == ["new.db", "new.db-shm", "new.db-wal"]
            assert {f.name: _mode(f) for f in files} == dict.fromkeys(
                ("new.db", "new.db-shm", "new.db-wal"), 0o600
            )
        engine.dispose()
    finally:
        os.umask(previous)


def test_an_existing_database_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    path.touch(mode=0o640)
    path.chmod(0o640)
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    engine.dispose()
    assert _mode(path) == 0o640


def test_the_cli_creates_a_private_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "localplan.db"
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", f"sqlite:///{path}")
    result = CliRunner().invoke(cli_app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert _mode(path) == 0o600
