"""The operator CLI against a real SQLite file: demo, people, holidays, integrity."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from api.cli import app
from models.calendar import CalendarChange, HolidayOverlay
from models.clock import SystemClock, today_bangkok
from models.enums import PlanState
from models.organization import User
from models.plan import Plan
from workflow.calendar import fiscal_year_be

runner = CliRunner()


@contextmanager
def session_for(db_url: str) -> Iterator[Session]:
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def _database(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)


def ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    return result.stderr


def test_demo_seeds_once_and_walks_a_plan_to_posting_complete(db_url: str) -> None:
    first = ok("demo")
    assert "demo data created" in first and "laemrang.executive" in first
    again = ok("demo")
    assert "already present" in again
    trigger_on = today_bangkok(SystemClock()) - timedelta(days=25)
    with session_for(db_url) as s:
        plans = s.exec(select(Plan).order_by(Plan.id)).all()  # type: ignore[arg-type]
        assert [
            (p.state, p.fiscal_year_be, p.announced_on.isoformat() if p.announced_on else None)
            for p in plans
        ] == [
            (PlanState.POSTING_COMPLETE, 2562, "2018-10-18"),
            # the plan of today: its trigger 25 days back, in committee review
            (PlanState.COMMITTEE_REVIEW, fiscal_year_be(trigger_on), None),
        ]
        assert len(s.exec(select(User)).all()) == 7  # a person per role, the clerk of two
    assert "intact" in ok("audit", "verify")


def test_people_are_added_with_clear_errors(db_url: str) -> None:
    ok(
        "orgs",
        "add",
        "--code",
        "6660604",
        "--name",
        "เทศบาลตำบลทดสอบ",
        "--type",
        "municipality",
        "--district",
        "บึงนาราง",
        "--province",
        "พิจิตร",
    )
    assert "6660604" in ok("orgs", "list")
    ok("users", "add", "--username", "somjai", "--role", "staff", "--organization", "6660604")
    ok("users", "add", "--username", "audit1", "--role", "auditor", "--scope", "6660604")
    assert "username_taken" in refused(
        "users", "add", "--username", "somjai", "--role", "staff", "--organization", "6660604"
    )
    no_org = refused("users", "add", "--username", "xx1", "--role", "staff")
    assert "organization_required" in no_org
    assert "scope_required" in refused("users", "add", "--username", "yy1", "--role", "auditor")
    assert "organization_not_found" in refused(
        "users", "add", "--username", "zz1", "--role", "committee", "--organization", "9999999"
    )
    assert "--role must be one of" in refused("users", "add", "--username", "w", "--role", "mayor")
    assert "--type must be one of" in refused(
        "orgs",
        "add",
        "--code",
        "1",
        "--name",
        "n",
        "--type",
        "city",
        "--district",
        "d",
        "--province",
        "p",
    )
    with session_for(db_url) as s:
        assert sorted(u.username for u in s.exec(select(User))) == ["audit1", "somjai"]


def test_holiday_import_is_all_or_nothing(tmp_path: Path, db_url: str) -> None:
    good = tmp_path / "overlay.csv"
    good.write_text(
        "day,kind,name,source\n2019-04-12,add,วันหยุดพิเศษ,มติ ครม.\n"
        "2019-05-01,remove,ราชการไม่หยุด,หนังสือสั่งการ\n",
        encoding="utf-8",
    )
    assert "2 open deadline" not in ok("holidays", "import", str(good))
    listing = ok("holidays", "list", "--year", "2019")
    assert "2019-04-12\t12 เม.ย. 2562\toverlay\tวันหยุดพิเศษ" in listing
    assert "overlay: working day" in listing
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "day,kind,name,source\n2019-06-03,add,ok,src\n2019-13-01,add,x,y\n", encoding="utf-8"
    )
    assert "bad.csv:3" in refused("holidays", "import", str(bad))
    missing_source = tmp_path / "nosource.csv"
    missing_source.write_text(
        "day,kind,name,source\n2019-06-03,add,ok,src\n2019-06-04,add,x,\n", encoding="utf-8"
    )
    assert "text_blank" in refused("holidays", "import", str(missing_source))
    assert "cannot read" in refused("holidays", "import", str(tmp_path / "absent.csv"))
    with session_for(db_url) as s:
        assert len(s.exec(select(HolidayOverlay)).all()) == 2  # nothing of the bad files
        assert [c.change for c in s.exec(select(CalendarChange))] == ["add", "remove"]
    ok("holidays", "clear", "2019-04-12")
    assert "2019-04-12" not in ok("holidays", "list", "--year", "2019")


def test_workflow_diagram_per_kind() -> None:
    annual = ok("workflow", "diagram")
    amendment = ok("workflow", "diagram", "--kind", "amendment")
    assert "committee_review" in annual and "committee_review" not in amendment
    assert "draft --> awaiting_announcement: submit [staff]" in amendment
    refused("workflow", "diagram", "--kind", "budget")


def test_unreachable_database_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", f"sqlite:///{tmp_path}/missing/dir/x.db")
    assert "database unavailable" in refused("audit", "verify")


@pytest.mark.slow
def test_the_installed_command_uses_a_file_in_the_working_directory(tmp_path: Path) -> None:
    """The README's first quick-start command, minus the install: `localplan demo`."""
    command = shutil.which("localplan", path=str(Path(sys.executable).parent))
    assert command is not None, "the console script is installed with the package"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCALPLAN_")}
    demo = subprocess.run(
        [command, "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr
    assert (tmp_path / "localplan.db").exists()
    verify = subprocess.run(
        [command, "audit", "verify"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (verify.returncode, verify.stdout.strip().splitlines()[-1]) == (0, "intact")
