"""`localplan report create|list|show|act` on the real database file (both engines): the
commands of the API, a refusal one line on stderr and exit 2."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app as cli
from models.clock import FixedClock
from tests.factories import Office
from tests.report_factories import monitoring_member


def test_the_cli_drafts_shows_acts_and_refuses(
    monkeypatch: pytest.MonkeyPatch, db_url: str, engine: Engine, clock: FixedClock,
    office: Office,
) -> None:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    monitor = monitoring_member(engine, clock, office)
    runner = CliRunner()
    staff = office.staff.username
    made = runner.invoke(cli, ["report", "create", "--fiscal-year", "2569", "--round", "annual",
                               "--username", staff])
    assert made.exit_code == 0, made.output
    assert "draft" in made.stdout and "yearly_report ข้อ 30 (5): due 2026-12-31" in made.stdout
    (rid,) = json.loads(runner.invoke(cli, ["report", "list", "--username", staff,
                                            "--json"]).stdout)
    done = runner.invoke(cli, ["report", "act", str(rid), "submit", "--username", staff,
                               "--expected-version", "1"])
    assert done.exit_code == 0 and "monitoring_review" in done.stdout, done.output
    bad = runner.invoke(cli, ["report", "act", str(rid), "approve", "--username",
                              monitor.username, "--expected-version", "2"])
    assert bad.exit_code == 2 and "findings_required" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    shown = runner.invoke(cli, ["report", "show", str(rid), "--username", staff, "--json"])
    assert json.loads(shown.stdout)["state"] == "monitoring_review"
    assert runner.invoke(cli, ["report", "act", str(rid), "nonsense", "--username", staff,
                               "--expected-version", "2"]).exit_code == 2
