"""`localplan progress show | record | import | export` against a real database (docs/api.md
"Progress"): one line on stderr and exit 2 for bad input, a real .xlsx out and back in."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app
from tests.evidence_files import png
from tests.factories import Office
from tests.progress_factories import plan_in_force
from workflow.command_base import Context

runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["progress", *args])


@pytest.fixture(autouse=True)
def _database(monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path) -> None:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    monkeypatch.setenv("LOCALPLAN_EVIDENCE_DIR", str(tmp_path / "evidence"))


def test_record_show_export_import(
    engine: Engine, ctx: Context, office: Office, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    plan_id, content = plan_in_force(engine, ctx, office, year=2562)  # the CLI's clock: today
    item, staff = content.projects[0].id, office.staff.username
    photo = tmp_path / "site.png"
    photo.write_bytes(png())  # a real picture: its public copy is decoded and written anew
    done = invoke(
        "record",
        "--plan",
        str(plan_id),
        "--item",
        item,
        "--status",
        "in_progress",
        "--committed",
        "90,000",
        "--started",
        "1/10/2561",
        "--as-of",
        "31/03/2562",
        "--username",
        staff,
        "--file",
        str(photo),
    )
    assert done.exit_code == 0, done.output
    assert f"entry 1: {item} in_progress" in done.stdout
    shown = invoke("show", "--plan", str(plan_id), "--json")
    assert shown.exit_code == 0, shown.output
    latest = json.loads(shown.stdout)["items"][0]["latest"]
    assert (
        latest["committed_baht"] == "90000.00" and latest["files"][0]["media_type"] == "image/png"
    )
    out = tmp_path / "progress.xlsx"
    assert invoke("export", "--plan", str(plan_id), "-o", str(out)).exit_code == 0
    book = load_workbook(out)
    book.active["F6"], book.active["L6"] = "ยกเลิก", "ไม่ได้รับจัดสรรงบประมาณ"
    book.active["K6"] = "31/03/2562"  # blank is today, after the plan's fiscal year
    book.save(out)
    imported = invoke("import", str(out), "--plan", str(plan_id), "--username", staff)
    assert imported.exit_code == 0, imported.output
    assert "1 entries recorded" in imported.stdout


def test_bad_input_is_exit_2_with_one_line(
    engine: Engine, ctx: Context, office: Office, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    plan_id, content = plan_in_force(engine, ctx, office)
    staff = office.staff.username
    bad = invoke(
        "record",
        "--plan",
        str(plan_id),
        "--item",
        content.projects[0].id,
        "--status",
        "เสร็จ",
        "--started",
        "1/10/2018",
        "--username",
        staff,
    )
    assert bad.exit_code == 2 and bad.stdout == ""
    assert len(bad.stderr.strip().splitlines()) == 1
    assert "started_on date_year_not_be" in bad.stderr
    assert "status progress_status" in bad.stderr
    out = tmp_path / "p.xlsx"
    assert invoke("export", "--plan", str(plan_id), "-o", str(out)).exit_code == 0
    book = load_workbook(out)
    book.active["F5"] = "เสร็จแล้ว"
    book.save(buffer := io.BytesIO())
    out.write_bytes(buffer.getvalue())
    refused = invoke("import", str(out), "--plan", str(plan_id), "--username", staff)
    assert refused.exit_code == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "ความก้าวหน้า!F row 5 progress_status" in refused.stderr
