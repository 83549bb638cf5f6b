"""A database built by the previous release (tests/data/previous_release.sql, made by
tests/data/build_previous_release.py with the code before migrations 0005 and 0006) upgrades
in place, verifies, and is still protected: a hand edit after the upgrade is found.

The dump is SQLite's text (`sqlite3 .dump`), so this test runs on SQLite only."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from api.cli import app
from models.db import make_engine
from models.migrations.append_only import drop_guards
from workflow import log
from workflow.audit import verify
from workflow.verify_rows import CREATION_FIELDS

DUMP = Path(__file__).resolve().parents[1] / "data" / "previous_release.sql"
runner = CliRunner()


@pytest.fixture
def old_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Engine]]:
    """The previous release's database in a fresh file, upgraded by `localplan db upgrade`."""
    path = tmp_path / "previous.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(DUMP.read_text(encoding="utf-8"))
    url = f"sqlite:///{path}"
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", url)
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


def test_the_dump_is_of_the_previous_release() -> None:
    text = DUMP.read_text(encoding="utf-8")
    assert "INSERT INTO alembic_version VALUES('0004');" in text
    assert "log_entry" not in text  # before the log


def test_an_upgraded_database_of_the_previous_release_verifies(
    old_db: tuple[str, Engine],
) -> None:
    _, engine = old_db
    with Session(engine) as s:
        report = verify(s)
        assert report.breaks == []
        assert (report.plans_checked, report.records_checked) == (3, 7)
        assert (report.deadlines_checked, report.extensions_checked) == (4, 1)
        assert report.calendar_changes_checked == 1
        # Its creation records predate the fields they now hold: said, not reported as broken.
        assert report.unchecked == {f"plan.{name}": 3 for name in CREATION_FIELDS}
        assert log.verify_log(s, public_keys={}) == []
    cli = runner.invoke(app, ["audit", "verify"])
    assert cli.exit_code == 0, cli.output
    assert "not checkable: plan.title of 3 row(s)" in cli.stdout
    assert cli.stdout.rstrip().endswith("intact")


def test_an_upgraded_database_still_catches_hand_edits(old_db: tuple[str, Engine]) -> None:
    _, engine = old_db
    with engine.begin() as conn:
        drop_guards(conn, ("deadline_extension", "refused_attempt"))
        conn.exec_driver_sql("UPDATE deadline SET due_on = '2027-02-01' WHERE id = 4")
        conn.exec_driver_sql("UPDATE plan SET posted_on = '2018-11-01' WHERE id = 1")
        conn.exec_driver_sql("UPDATE deadline_extension SET reason = 'ไม่มี' WHERE id = 1")
        conn.exec_driver_sql("DELETE FROM refused_attempt WHERE id = 1")
    answer = json.loads(runner.invoke(app, ["audit", "verify", "--json"]).stdout)
    assert answer["intact"] is False
    assert {(b["table"], b["row_id"], b["field"]) for b in answer["breaks"]} == {
        ("deadline", 4, "due_on"),
        ("plan", 1, "posted_on"),
        ("deadline_extension", 1, "reason"),
    }
    with Session(engine) as s:
        found = {(f.problem, f.table, f.row_id) for f in log.verify_log(s, public_keys={})}
    assert found == {("row_deleted", "refused_attempt", 1)}
