"""Every input rule (workflow/input_rules.py) a command takes, through the CLI on both
engines: the same bad inputs as tests/api/test_input_rules_http.py, each one line on stderr
with the rule's code and field and exit 2, and good inputs that still pass. (Plans are made
and acted on through the API and the web only: the CLI has no plan commands.)"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()
ORG = ["orgs", "add", "--code", "6660603", "--name", "อบต.แหลมรัง", "--type", "sao",
       "--district", "บึงนาราง", "--province", "พิจิตร"]


@pytest.fixture(autouse=True)
def _database(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    assert runner.invoke(app, ORG).exit_code == 0


def user(name: str, *extra: str) -> list[str]:
    return ["users", "add", "--username", name, "--role", "auditor", "--province", "พิจิตร",
            *extra]


BAD = [
    *((user(name), "username_reserved" if name == "system" else code, "username")
      for name, code in [
          ("system", ""),
          ("аdmin", "username_characters"),
          ("ad\u200bmin", "username_characters"),
          ("two words", "username_characters"),
          ("line\nbreak", "username_characters"),
          ("<b>x</b>", "username_characters"),
          ("Somchai", "username_characters"),
          ("ab", "username_length"),
      ]),
    (["users", "add", "--username", "somchai.k", "--role", "auditor", "--province", "Phichit"],
     "province_unknown", "scope_province"),
    (user("somchai.k", "--full-name", "สม\x00ชาย"), "text_control_character", "full_name"),
    (["holidays", "add", "1999-12-31", "--name", "วันหยุด", "--source", "มติ ครม."],
     "date_out_of_range", "day"),
    (["holidays", "add", "2019-01-02", "--name", "วัน\x00หยุด", "--source", "มติ ครม."],
     "text_control_character", "name"),
    (["holidays", "add", "2019-01-02", "--name", "\u200b", "--source", "มติ ครม."],
     "text_blank", "name"),
    (["holidays", "remove", "2019-01-02", "--name", "วันหยุด", "--source", "a\tb"],
     "text_control_character", "source"),
    (["deadlines", "--announced-on", "9999-12-31"], "date_out_of_range", "--announced-on"),
    (["deadlines", "--trigger-on", "0001-01-01"], "date_out_of_range", "--trigger-on"),
]


@pytest.mark.parametrize(("args", "code", "field"), BAD, ids=lambda v: repr(v)[:40])
def test_bad_input_is_one_line_and_exit_2(args: list[str], code: str, field: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"validation_error ({field}): {code}:" in lines[0], lines


def test_good_inputs_pass_cleaned_and_scopes_fold() -> None:
    args = ["users", "add", "--username", " phichit.sao ", "--role", "auditor", "--province",
            "พิจิตร ", "--scope", "6660603", "--scope", "6660603"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["holidays", "add", "2019-01-02", "--name", " วันหยุดพิเศษ ",
                                 "--source", "มติ ครม."])
    assert listed.exit_code == 0, listed.output
    assert "2019-01-02\t" in runner.invoke(app, ["holidays", "list", "--year", "2019"]).stdout
    assert runner.invoke(app, ["holidays", "list", "--year", "9999"]).exit_code == 2
