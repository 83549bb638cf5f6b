"""The package seed: `holidays.countries.thailand` loaded alone gives the same days as
`holidays.country_holidays("TH", …)`, and the other countries are not imported for it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import holidays
import pytest

from workflow.calendar import NOT_GOVERNMENT_DAYS_OFF, _seed_year

YEARS = range(2016, 2031)
COMPARE = """
import json, sys
from workflow.calendar import _seed_year
seeds = {y: {d.isoformat(): n for d, n in _seed_year(y).items()} for y in range(2016, 2031)}
alone = "holidays.countries" not in sys.modules
print(json.dumps({"alone": alone, "seeds": seeds}, ensure_ascii=False))
"""


def _fresh_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def _package(year: int) -> dict[str, str]:
    found = holidays.country_holidays(
        "TH", years=year, categories=("public", "government"), language="th"
    )
    seed: dict[str, str] = {}
    for day, names in found.items():
        kept = [n for n in names.split("; ") if n not in NOT_GOVERNMENT_DAYS_OFF]
        if kept:
            seed[day.isoformat()] = "; ".join(kept)
    return seed


@pytest.mark.slow
def test_thailand_alone_gives_the_package_days() -> None:
    found = json.loads(_fresh_python(COMPARE).stdout)
    assert found["alone"]
    for year in YEARS:
        assert found["seeds"][str(year)] == _package(year), year


def test_in_process_seed_matches_the_package() -> None:
    for year in YEARS:
        assert {d.isoformat(): n for d, n in _seed_year(year).items()} == _package(year)


CONCURRENT = """
import threading
from workflow.calendar import _seed_year
errors, start = [], threading.Barrier(16)
def first_look(year):
    start.wait()
    try:
        _seed_year(year)
    except Exception as error:
        errors.append(repr(error))
threads = [threading.Thread(target=first_look, args=(2018 + n % 4,)) for n in range(16)]
for t in threads: t.start()
for t in threads: t.join()
print(errors)
"""


@pytest.mark.slow
def test_request_threads_may_load_the_seed_at_the_same_moment() -> None:
    """Found by two servers under load: the first holiday look-ups of several request threads
    at once met a half-loaded `thailand` module ("cannot import name 'Thailand'")."""
    for _ in range(3):  # a fresh process each time: the first load is the race
        done = _fresh_python(CONCURRENT)
        assert done.stdout.strip() == "[]", done.stdout + done.stderr
