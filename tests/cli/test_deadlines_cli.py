"""Each of docs/domain.md "Worked examples" through `localplan deadlines --json`, plus boundaries.

These run the real CLI against a real SQLite file, so the calendar is the `holidays` package
seed plus the overlay stored in that database.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _database(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)


def deadlines(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["deadlines", *args, "--json"])
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


DUE_KEYS = {"rule", "start_on", "days", "mode", "due_on", "due_is_working_day",
            "last_working_day_on", "civil_due_on"}  # fmt: skip
POSTING_KEYS = {"rule", "start_on", "days", "mode", "satisfied_end_of", "earliest_removal_on",
                "conservative_removal_on"}  # fmt: skip


def test_announced_thu_25_oct_2018_post_by_fri_9_nov() -> None:
    out = deadlines("--announced-on", "2018-10-25")
    assert set(out) == DUE_KEYS
    assert out == {"rule": "posting", "start_on": "2018-10-25", "days": 15, "mode": "strict",
                   "due_on": "2018-11-09", "due_is_working_day": True,
                   "last_working_day_on": "2018-11-09", "civil_due_on": "2018-11-09"}  # fmt: skip


def test_announced_mon_8_oct_2018_due_on_a_holiday() -> None:
    strict = deadlines("--announced-on", "2018-10-08")
    assert (strict["due_on"], strict["due_is_working_day"]) == ("2018-10-23", False)
    assert strict["last_working_day_on"] == "2018-10-22"
    assert strict["civil_due_on"] == "2018-10-24"
    civil = deadlines("--announced-on", "2018-10-08", "--mode", "civil")
    assert (civil["mode"], civil["due_on"], civil["due_is_working_day"]) == (
        "civil", "2018-10-24", True)  # fmt: skip


def test_posted_fri_26_oct_2018_may_come_down_mon_26_nov() -> None:
    out = deadlines("--posted-on", "2018-10-26")
    assert set(out) == POSTING_KEYS
    assert out["satisfied_end_of"] == "2018-11-25"
    assert out["earliest_removal_on"] == "2018-11-26"
    assert out["conservative_removal_on"] == "2018-11-27"  # Sun 25 → kept through Mon 26
    conservative = deadlines("--posted-on", "2018-10-26", "--conservative")
    assert conservative["earliest_removal_on"] == "2018-11-27"


def test_budget_thu_20_sep_2018_preparation_due_sat_20_oct() -> None:
    strict = deadlines("--trigger-on", "2018-09-20")
    assert (strict["rule"], strict["days"], strict["due_on"]) == ("preparation", 30, "2018-10-20")
    assert strict["last_working_day_on"] == "2018-10-19"
    assert strict["civil_due_on"] == "2018-10-22"
    assert deadlines("--trigger-on", "2018-09-20", "--mode", "civil")["due_on"] == "2018-10-22"


def test_announced_thu_20_dec_2018_crosses_the_be_year() -> None:
    out = deadlines("--announced-on", "2018-12-20")
    assert out["due_on"] == "2019-01-04"
    text = runner.invoke(app, ["deadlines", "--announced-on", "2018-12-20"]).stdout
    assert "4 มกราคม 2562" in text and "20 ธันวาคม 2561" in text


@pytest.mark.parametrize(
    ("flag", "start", "key", "value"),
    [
        ("--announced-on", "2019-01-17", "due_on", "2019-02-01"),  # month boundary
        ("--announced-on", "2019-12-20", "due_on", "2020-01-04"),  # year boundary (Sat)
        ("--announced-on", "2019-12-20", "last_working_day_on", "2020-01-03"),
        ("--posted-on", "2020-01-30", "satisfied_end_of", "2020-02-29"),  # leap day
        ("--posted-on", "2019-01-30", "satisfied_end_of", "2019-03-01"),  # not a leap year
        ("--trigger-on", "2020-01-30", "due_on", "2020-02-29"),  # leap day, a Saturday
        ("--trigger-on", "2020-01-30", "civil_due_on", "2020-03-02"),
        ("--announced-on", "2018-11-24", "due_on", "2018-12-09"),  # Sunday
        ("--announced-on", "2018-11-24", "civil_due_on", "2018-12-11"),  # Sun, then Mon 10 Dec
        ("--announced-on", "2018-11-24", "last_working_day_on", "2018-12-07"),
        ("--announced-on", "2018-09-30", "civil_due_on", "2018-10-16"),  # substitute Mon 15 Oct
    ],
)
def test_boundaries(flag: str, start: str, key: str, value: str) -> None:
    assert deadlines(flag, start)[key] == value


def test_overlay_days_move_the_advice_and_the_civil_due_date() -> None:
    # 12 April 2019 was a cabinet special holiday that the package lacks.
    before = deadlines("--announced-on", "2019-03-28")
    assert (before["due_on"], before["due_is_working_day"]) == ("2019-04-12", True)
    added = runner.invoke(app, ["holidays", "add", "2019-04-12", "--name", "วันหยุดพิเศษ",
                                "--source", "มติคณะรัฐมนตรี"])  # fmt: skip
    assert added.exit_code == 0, added.output
    after = deadlines("--announced-on", "2019-03-28")
    assert after["due_is_working_day"] is False
    assert after["last_working_day_on"] == "2019-04-11"
    assert after["civil_due_on"] == "2019-04-17"  # Songkran 13–16 April follows
    # The package lists Labour Day (1 May) though government offices work; the seed drops it.
    assert deadlines("--announced-on", "2019-04-16")["due_is_working_day"] is True


def test_removed_package_holiday_becomes_a_working_day() -> None:
    assert deadlines("--announced-on", "2018-10-08")["due_is_working_day"] is False
    removed = runner.invoke(app, ["holidays", "remove", "2018-10-23", "--name", "ทดสอบ",
                                  "--source", "คำสั่งจังหวัด"])  # fmt: skip
    assert removed.exit_code == 0, removed.output
    assert deadlines("--announced-on", "2018-10-08")["due_is_working_day"] is True


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--announced-on", "2018-10-25", "--posted-on", "2018-10-26"],
        ["--announced-on", "25/10/2561"],
        ["--announced-on", "2018-10-25", "--mode", "lenient"],
    ],
)
def test_bad_input_is_one_line_on_stderr(args: list[str]) -> None:
    result = runner.invoke(app, ["deadlines", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("localplan: ")
