"""The transparency assessment's items per ITA year, read from data files (docs/domain.md "The
transparency checklist"): `workflow/data/ita/<year>.toml`, one file per assessment year (BE).

The item codes and titles change by year, so they are data, not code. Each file names its
year, how sure its mapping is (`basis`: "official" or "assumption", with a note), the
evidence window (ISO dates, Common Era) and its items: code, Thai title, the rule that
satisfies it (`satisfied_by`, a key of `workflow.ita_rules.RULES`), the fiscal year (BE) it
looks at, an optional round (a date range) and what satisfies it in words. A file is
validated when it is loaded; a mistake is an `ItaDataError` naming the file and the field.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data") / "ita"
BASES = ("official", "assumption")
_CODE = re.compile(r"^[A-Z][0-9]{1,3}$")


class ItaDataError(ValueError):
    """A data file that cannot be used: which file, which field, what is wrong."""


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class ItaItem:
    code: str  # O11 …
    title: str  # the Thai title as the assessment prints it
    title_en: str
    satisfied_by: str  # a key of workflow.ita_rules.RULES
    fiscal_year: int  # BE: the fiscal year whose plan, progress or result it looks at
    satisfied_with: str  # in words: the public page or document that satisfies it
    satisfied_with_th: str  # the same in Thai (what the office's staff read)
    round: DateRange | None = None  # the period progress must be as of (O12)


@dataclass(frozen=True)
class ItaYear:
    year: int  # the assessment year, BE
    basis: str  # "official" | "assumption"
    basis_note: str
    window: DateRange  # the assessment's evidence window
    items: tuple[ItaItem, ...]

    def item(self, code: str) -> ItaItem | None:
        return next((i for i in self.items if i.code == code), None)


def available_years(directory: Path = DATA_DIR) -> list[int]:
    """The assessment years with a data file, oldest first."""
    return sorted(int(p.stem) for p in directory.glob("*.toml") if p.stem.isdigit())


@cache
def load_year(year: int, directory: Path = DATA_DIR) -> ItaYear:
    """The data file of one assessment year, validated; `ItaDataError` if there is none or
    it is wrong."""
    path = directory / f"{year}.toml"
    if not path.is_file():
        raise ItaDataError(f"no ITA data for year {year} (expected {path})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ItaDataError(f"{path.name}: not valid TOML: {error}") from error
    parsed = parse_year(data, where=path.name)
    if parsed.year != year:
        raise ItaDataError(f"{path.name}: year is {parsed.year}, the file name says {year}")
    return parsed


def parse_year(data: Mapping[str, Any], *, where: str) -> ItaYear:
    """Validate one file's data (`where` names it in errors)."""
    year = _year(data, "year", where)
    basis = _text(data, "basis", where)
    if basis not in BASES:
        raise ItaDataError(f"{where}: basis must be one of {', '.join(BASES)}, not {basis!r}")
    items_data = data.get("items")
    if not isinstance(items_data, list) or not items_data:
        raise ItaDataError(f"{where}: items: at least one [[items]] table is needed")
    items = tuple(_item(d, f"{where}: items[{n}]") for n, d in enumerate(items_data))
    codes = [i.code for i in items]
    if len(set(codes)) != len(codes):
        raise ItaDataError(f"{where}: items: a code appears twice ({', '.join(codes)})")
    return ItaYear(
        year=year,
        basis=basis,
        basis_note=_text(data, "basis_note", where, required=basis == "assumption"),
        window=_range(data.get("window"), f"{where}: window"),
        items=items,
    )


def _item(data: object, where: str) -> ItaItem:
    if not isinstance(data, Mapping):
        raise ItaDataError(f"{where}: must be a table")
    code = _text(data, "code", where)
    if not _CODE.match(code):
        raise ItaDataError(f"{where}: code must look like O11, not {code!r}")
    round_data = data.get("round")
    return ItaItem(
        code=code,
        title=_text(data, "title", where),
        title_en=_text(data, "title_en", where, required=False),
        satisfied_by=_text(data, "satisfied_by", where),
        fiscal_year=_year(data, "fiscal_year", where),
        satisfied_with=_text(data, "satisfied_with", where),
        satisfied_with_th=_text(data, "satisfied_with_th", where),
        round=None if round_data is None else _range(round_data, f"{where}: round"),
    )


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ItaDataError(f"{where}: {key} must be a non-empty text")
    return value.strip()


def _year(data: Mapping[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 2500 <= value <= 2700:
        raise ItaDataError(f"{where}: {key} must be a Buddhist-Era year (e.g. 2567), not {value!r}")
    return value


def _range(data: object, where: str) -> DateRange:
    if not isinstance(data, Mapping):
        raise ItaDataError(f"{where}: must be a table with start and end dates")
    ends = []
    for key in ("start", "end"):
        value = data.get(key)
        if type(value) is not date:
            raise ItaDataError(f"{where}: {key} must be a date (YYYY-MM-DD), not {value!r}")
        if value.year > 2400:
            raise ItaDataError(f"{where}: {key} {value}: write dates in the Common Era (ค.ศ.)")
        ends.append(value)
    if ends[0] > ends[1]:
        raise ItaDataError(f"{where}: start {ends[0]} is after end {ends[1]}")
    return DateRange(ends[0], ends[1])
