"""`localplan workflow correct` against a real database (docs/domain.md "Corrections"): the
same command and refusals as the API and the web, one line and exit 2 for a refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app
from models.clock import FixedClock
from tests.factories import Office
from tests.helpers import reload
from tests.workflow.test_corrections import posted
from workflow.command_base import Context

runner = CliRunner()


@pytest.fixture(autouse=True)
def _database(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)


def correct(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["workflow", "correct", *args])


def test_a_posting_date_is_corrected_and_a_ce_year_refused(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    plan = posted(engine, ctx, clock, office)
    common = [
        "--plan",
        str(plan.id),
        "--record",
        "5",
        "--field",
        "effective_on",
        "--reason",
        "ตามภาพถ่าย",
        "--username",
        office.staff.username,
    ]
    refused = correct(*common, "--value", "26/10/2018")
    assert refused.exit_code == 2, refused.output
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "validation_error (value)" in refused.stderr and "2018" in refused.stderr
    done = correct(*common, "--value", "26/10/2561")
    assert done.exit_code == 0, done.output
    assert reload(engine, plan.id or 0).posted_on.isoformat() == "2018-10-26"  # type: ignore[union-attr]
    again = correct(*common, "--value", "26/10/2561")
    assert again.exit_code == 2 and "correction_unchanged" in again.stderr
