"""`localplan audit ita` against a real database (docs/api.md "Transparency checklist"): the
lines per organization, the CSV with Thai headers and BOM, one line on stderr and exit 2 for
a year without data."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app
from tests.factories import Office, make_office
from tests.ita_factories import posted_2567
from workflow.command_base import Context

runner = CliRunner()


@pytest.fixture(autouse=True)
def _database(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)


def test_lines_csv_and_refusals(
    engine: Engine, ctx: Context, office: Office, tmp_path: Path
) -> None:
    posted_2567(engine, ctx, office)
    make_office(engine, ctx.clock, "6660604")  # type: ignore[arg-type]
    out = tmp_path / "ita.csv"
    done = runner.invoke(app, ["audit", "ita", "--year", "2567", "--csv", str(out)])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()  # the window of 2567 is past: what is absent is missing
    assert lines[0].startswith("6660603\t") and "O11=ok O12=ok O13=missing" in lines[0]
    assert lines[1].endswith("O11=missing O12=missing O13=missing\tmissing: O11, O12, O13")
    assert "assumption" in done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith('\ufeff"รหัสองค์กร","ชื่อองค์กร"') and text.count("\n") == 3
    one = runner.invoke(app, ["audit", "ita", "--year", "2567", "--organization", "6660604"])
    assert one.exit_code == 0 and len(one.stdout.splitlines()) == 1
    refusals = [
        (["--year", "2501"], "ita_year_not_found"),
        (["--year", "2567", "--organization", "ไม่มี"], "no organization"),
    ]
    for args, says in refusals:
        refused = runner.invoke(app, ["audit", "ita", *args])
        assert refused.exit_code == 2 and says in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
