"""`localplan content summary` against a real database on both engines: the JSON is exactly
workflow.summary.summary_data, the table is Thai with Buddhist-Era dates, errors are one line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app
from tests.content_factories import seed
from tests.factories import Office, create, new_annual
from workflow.commands import Context
from workflow.summary import summarize, summary_data

runner = CliRunner()


@pytest.fixture(autouse=True)
def _database(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)


def test_summary_json_and_table(engine: Engine, ctx: Context, office: Office) -> None:
    plan = create(engine, ctx, new_annual(office), office.staff)
    draft = seed(engine, ctx, plan_id=plan.id, actor=office.staff, projects=7)
    result = runner.invoke(app, ["content", "summary", "--plan", str(plan.id), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == summary_data(summarize(draft.content))
    assert data["total_projects"] == 7 and isinstance(data["total_projects"], int)
    assert data["total_budget_baht"] == f"{sum(p.budget_baht for p in draft.content.projects):.2f}"
    assert [s["projects"] for s in data["by_strategy"]] == [2, 1, 1, 1, 1, 1]
    assert all(isinstance(s["strategy"], str) for s in data["by_strategy"])
    table = runner.invoke(app, ["content", "summary", "--plan", str(plan.id)])
    assert table.exit_code == 0, table.output
    assert "ผด.01" in table.stdout and "พ.ศ. 2562" in table.stdout
    assert "2561" in table.stdout  # the last action's date, Buddhist Era (Sep 2018)
    assert "การพัฒนาด้านโครงสร้างพื้นฐาน" in table.stdout


@pytest.mark.parametrize("args", [["--plan", "999"], ["--plan", "0"], ["--plan", "x"], []])
def test_summary_errors_are_one_line(engine: Engine, args: list[str]) -> None:
    result = runner.invoke(app, ["content", "summary", *args])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
