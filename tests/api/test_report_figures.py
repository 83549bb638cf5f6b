"""The report's figures on every surface (docs/api.md "Progress"): the API's JSON, PDF and
.xlsx; `localplan report figures`; the staff web page; the as-of date refused the same way
on each (RFC 9457 `validation_error` with the rule's code; one line and exit 2; the Thai
message beside the field, what was typed kept)."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app as cli
from models.clock import FixedClock
from models.enums import Role
from tests.api.conftest import Team, problem
from tests.report_world import build_world
from workflow import uow
from workflow.account_admin import set_password
from workflow.commands import Context

URL = "/api/v1/plans/{}/progress/figures"
PASSWORD = "figures-password-2562"


@pytest.fixture
def world(engine: Engine, ctx: Context, clock: FixedClock, home: Team) -> int:
    plan_id, _ = build_world(engine, ctx, clock, home.office)
    return plan_id


def test_the_api_answers_json_pdf_and_xlsx(client: TestClient, home: Team, away: Team,
                                           world: int) -> None:  # fmt: skip
    url = URL.format(world)
    got = client.get(url, params={"as_of": "2019-03-31"}, headers=home.headers(Role.AUDITOR))
    assert got.status_code == 200, got.text
    body = got.json()
    assert (body["round"], body["fiscal_year_be"], body["as_of"]) == ("half", 2562, "2019-03-31")
    overall = body["overall"]
    assert (overall["items"], overall["approved"], overall["disbursed_baht"]) == (
        61, 40, "2247341.63")  # fmt: skip
    done = overall["statuses"][0]
    assert (done["status"], done["count"], done["percent_of_all"], done["percent_of_approved"]) == (
        "completed", 21, "34.43", "42.50")  # fmt: skip
    assert body["strategies"][3]["statuses"][0]["percent_of_all"] == "—"
    assert len(body["projects"]) == 61 and body["equipment"]["items"] == 3
    pdf = client.get(url, params={"as_of": "2019-05-31", "format": "pdf"},
                     headers=home.headers(Role.STAFF))  # fmt: skip
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(url, params={"as_of": "2019-03-31", "format": "xlsx"},
                      headers=home.headers(Role.EXECUTIVE))  # fmt: skip
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(xlsx.content))["สรุปผล"]["B9"].value == 61
    problem(client.get(url, params={"as_of": "2019-03-31"}, headers=away.headers(Role.STAFF)),
            404, "not_found")  # fmt: skip


@pytest.mark.parametrize(
    ("day", "code"),
    [("2018-09-30", "as_of_outside_fiscal_year"), ("2019-06-02", "progress_as_of_future")],
)
def test_the_api_refuses_a_date_outside_the_year_or_ahead(
    client: TestClient, home: Team, world: int, day: str, code: str
) -> None:
    got = client.get(URL.format(world), params={"as_of": day}, headers=home.headers(Role.STAFF))
    body = problem(got, 422, "validation_error")
    assert [r["code"] for r in body["reasons"]] == [code]


def test_the_cli_prints_writes_and_refuses(
    monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path, world: int
) -> None:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    runner = CliRunner()
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    args = ["report", "figures", "--plan", str(world), "--as-of", "2019-03-31"]
    done = runner.invoke(cli, [*args, "--json", "--pdf", str(pdf), "--xlsx", str(xlsx)])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["overall"]["committed_baht"] == "2873333.33"
    assert pdf.read_bytes().startswith(b"%PDF") and xlsx.stat().st_size > 5000
    text = runner.invoke(cli, args)
    assert "รวมทั้งแผน: 61 items, 40 approved; completed 21 (34.43%; 17 42.50%)" in text.stdout
    bad = runner.invoke(cli, ["report", "figures", "--plan", str(world), "--as-of", "2019-10-01"])
    assert bad.exit_code == 2 and "as_of_outside_fiscal_year" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_the_web_page_shows_the_figures_and_keeps_a_refused_date(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team, world: int
) -> None:
    staff = home.office.staff.username
    uow.run(engine, clock, lambda s: set_password(s, clock=clock, username=staff,
                                                  password=PASSWORD))  # fmt: skip
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text)
    assert token is not None
    form = {"csrf_token": token.group(1), "username": staff, "password": PASSWORD}
    signed = client.post("/signin", data=form, follow_redirects=False)
    assert signed.status_code == 303
    listing = client.get(f"/plans/{world}/progress")
    assert f'href="/plans/{world}/progress/figures"' in listing.text
    page = client.get(f"/plans/{world}/progress/figures", params={"as_of": "31/03/2562"})
    assert page.status_code == 200, page.text[:500]
    assert "รวมทั้งแผน" in page.text and "21 (34.43)" in page.text and "17 (42.50)" in page.text
    assert "2,247,341.63" in page.text and "format=pdf" in page.text
    default = client.get(f"/plans/{world}/progress/figures")
    assert 'value="01/06/2562"' in default.text  # today, inside the year
    refused = client.get(f"/plans/{world}/progress/figures", params={"as_of": "1/10/2562"})
    assert refused.status_code == 422
    assert 'value="1/10/2562"' in refused.text and "วันที่ข้อมูลต้องอยู่ในปีงบประมาณ 2562" in refused.text
    assert date(2019, 6, 1)  # the world's clock: 1 มิ.ย. 2562
