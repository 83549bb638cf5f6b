"""`localplan content import | export | duplicates` against a real database (docs/api.md
"Spreadsheets and duplicates"): recorded like any edit, exit 2 and one line for a bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app
from tests.factories import Office, create, new_annual
from workflow.command_base import Context

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "pd02-sample.xlsx"
runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["content", *args])


@pytest.fixture(autouse=True)
def _database(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)


def test_import_export_duplicates(engine: Engine, ctx: Context, office: Office,
                                  tmp_path: Path) -> None:  # fmt: skip
    plan = create(engine, ctx, new_annual(office), office.staff).id
    staff = office.staff.username
    done = invoke(*["import", str(SAMPLE), "--plan", str(plan), "--username", staff])
    assert done.exit_code == 0, done.output
    assert "revision 1, 4 projects, 2 equipment" in done.stdout
    out = tmp_path / "plan.xlsx"
    exported = invoke(*["export", "--plan", str(plan), "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert out.stat().st_size > 5000
    again = invoke(*["import", str(out), "--plan", str(plan), "--username", staff,
                                  "--expected-revision", "1"])  # fmt: skip
    assert again.exit_code == 0, again.output
    assert done.stdout.split("sha256 ")[1] == again.stdout.split("sha256 ")[1]
    found = invoke(*["duplicates", "--plan", str(plan), "--json"])
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout) == []


def test_a_bad_file_is_exit_2_with_one_line(engine: Engine, ctx: Context, office: Office,
                                             tmp_path: Path) -> None:  # fmt: skip
    plan = create(engine, ctx, new_annual(office), office.staff).id
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    result = invoke(*["import", str(bad), "--plan", str(plan), "--username",
                                   office.staff.username])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert "workbook_not_xlsx" in result.stderr
