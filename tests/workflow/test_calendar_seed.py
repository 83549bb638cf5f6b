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
    done = subprocess.run(
        [sys.executable, "-c", COMPARE],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = json.loads(done.stdout)
    assert found["alone"]
    for year in YEARS:
        assert found["seeds"][str(year)] == _package(year), year


def test_in_process_seed_matches_the_package() -> None:
    for year in YEARS:
        assert {d.isoformat(): n for d, n in _seed_year(year).items()} == _package(year)
