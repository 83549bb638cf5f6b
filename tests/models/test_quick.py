"""`models.quick.read_current` answers only for a current SQLite file; else the normal path."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from models.db import make_engine, upgrade
from models.quick import read_current, sqlite_file
from models.revisions import script_heads

SQL = "SELECT version_num FROM alembic_version"


@pytest.fixture
def current(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'current.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def test_a_current_file_is_read(current: str) -> None:
    rows = read_current(current, SQL)
    assert rows is not None and {r[0] for r in rows} == script_heads()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://u@localhost/db",
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///x.db?mode=ro",
        "sqlite:///file%20name.db",
    ],
)
def test_other_urls_take_the_normal_path(url: str) -> None:
    assert sqlite_file(url) is None
    assert read_current(url, SQL) is None


def test_a_missing_file_is_left_to_the_normal_path(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    assert read_current(f"sqlite:///{path}", SQL) is None
    assert not path.exists()


def test_a_file_behind_or_not_a_database_is_left_to_the_normal_path(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    assert read_current(f"sqlite:///{empty}", SQL) is None
    behind = tmp_path / "behind.db"
    with sqlite3.connect(behind) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('0001')")
    conn.close()
    assert read_current(f"sqlite:///{behind}", SQL) is None
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert read_current(f"sqlite:///{junk}", SQL) is None
