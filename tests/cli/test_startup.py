"""Import-time rules of the CLI (docs/architecture.md, "Start-up"), checked in real processes.

`localplan deadlines --json` on a current SQLite file imports neither SQLAlchemy, pydantic
(settings or typer's coercion), FastAPI nor the `holidays` package's other countries, and
answers as the normal path does. Not a timing test: what a start imports is stable, its
duration on a shared machine is not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from api.cli import app
from models.db import make_engine, upgrade

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "pydantic",
    "pydantic_settings",
    "pydantic_core",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "apscheduler",
    "psycopg",
    "holidays.countries",  # the package of 200 countries; holidays.countries.thailand is fine
)
RUN_AND_LIST_MODULES = """
import json, sys
from api.cli import app
try:
    app(sys.argv[1:])
except SystemExit as done:
    assert not done.code, done.code
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""

pytestmark = pytest.mark.slow


def _env(**settings: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.upper().startswith("LOCALPLAN_")}
    return {**kept, **settings}


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if m in HEAVY or m.split(".")[0] in HEAVY[:-1]]


def _run(args: list[str], env: dict[str, str]) -> tuple[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return done.stdout, modules


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'startup.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def test_deadlines_json_imports_nothing_heavy(sqlite_url: str) -> None:
    args = ["deadlines", "--announced-on", "2018-10-08", "--mode", "civil", "--json"]
    out, modules = _run(args, _env(LOCALPLAN_DATABASE_URL=sqlite_url))
    assert _heavy(modules) == []
    assert json.loads(out)["due_on"] == "2018-10-24"  # Tue 23 Oct is a holiday
    # The normal path (another setting set: Settings() validates it) gives the same answer.
    slow_out, slow_modules = _run(
        args, _env(LOCALPLAN_DATABASE_URL=sqlite_url, LOCALPLAN_DB_POOL_SIZE="3")
    )
    assert slow_out == out
    assert "pydantic_settings" in slow_modules


def test_deadlines_on_a_new_file_creates_and_migrates_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    out, modules = _run(["deadlines", "--posted-on", "2018-10-26", "--json"], _env(
        LOCALPLAN_DATABASE_URL=url))  # fmt: skip
    assert json.loads(out)["earliest_removal_on"] == "2018-11-26"
    assert "alembic" in modules and (tmp_path / "new.db").is_file()


def test_importing_the_cli_imports_no_framework() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys, api.cli; print(json.dumps(sorted(sys.modules)))"],
        env=_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules = json.loads(done.stdout)
    assert _heavy(modules) == []
    assert not [m for m in modules if m.split(".")[0] == "holidays"]


def test_help_lists_every_command_in_order() -> None:
    group = typer.main.get_command(app)
    ctx = group.make_context("localplan", ["--help"], resilient_parsing=True)
    assert group.list_commands(ctx) == [  # type: ignore[attr-defined]
        "demo",
        "deadlines",
        "serve",
        "scheduler",
        "backup",
        "restore",
        "db",
        "users",
        "accounts",
        "orgs",
        "holidays",
        "audit",
        "keys",
        "workflow",
        "content",
        "progress",
        "report",
        "document",
        "evidence",
        "tokens",
        "outbox",
        "contacts",
    ]


def test_serve_imports_templates_scheduler_and_holidays_only_when_used() -> None:
    """Before /healthz answers, `serve --no-scheduler` needs no Jinja2 (first page), no
    APScheduler (a scheduler is built) and no `holidays` (first date computed)."""
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys, api.app; print(json.dumps(sorted(sys.modules)))"],
        env=_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules = json.loads(done.stdout)
    assert [m for m in modules if m.split(".")[0] in {"jinja2", "apscheduler", "holidays"}] == []
