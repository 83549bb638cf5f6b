"""Pure legal-date arithmetic: counting rules, working days, fiscal years and Buddhist Era.

Counting follows the Civil and Commercial Code §193/3 and the Administrative Procedure Act
B.E. 2539 §64: the start day is never counted, so "within N days from X" ends at the end of
day X+N. Holidays inside a period count like any other day; only the last day can matter.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from models.enums import CountingMode, OverlayKind
from models.thai_dates import BE_OFFSET
from models.thai_dates import format_thai_date as format_thai_date
from models.thai_dates import format_thai_date_long as format_thai_date_long
from models.thai_dates import to_be as to_be

# The Buddhist-Era formatting lives in models.thai_dates (notifications shows dates the same
# way); the three names above are re-exported for the callers that take their dates from here.

# Days the package lists that are not days off for government offices.
NOT_GOVERNMENT_DAYS_OFF = ("วันแรงงานแห่งชาติ", "วันเด็กแห่งชาติ")


# --- Buddhist Era and the fiscal year -------------------------------------------------------


def fiscal_year_be(day: date) -> int:
    """The fiscal year (1 Oct – 30 Sep) containing `day`, named by the BE year it ends in."""
    return to_be(day.year + 1 if day.month >= 10 else day.year)


def fiscal_year_bounds(year_be: int) -> tuple[date, date]:
    end_ce = year_be - BE_OFFSET
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)


# --- Working days ---------------------------------------------------------------------------


_THAILAND = "holidays.countries.thailand"
# Request threads may ask for their first holiday at the same moment: the module is loaded by
# hand below, outside Python's import lock, so one thread at a time (else a second thread
# finds it half-executed in sys.modules: "cannot import name 'Thailand'").
_LOADING = threading.Lock()


@lru_cache(maxsize=1)
def _thailand() -> Any:
    with _LOADING:
        return _load_thailand()


def _load_thailand() -> Any:
    """The package's `Thailand` class, imported on first use (importing `holidays` costs a
    tenth of a second that most commands never need).

    `holidays.countries/__init__.py` imports all of its 200-odd countries (another tenth of a
    second), so while nothing else has imported them, `thailand.py` is loaded on its own under
    its usual module name; the package import finds it there later. Anything unexpected falls
    back to the ordinary import. `tests/workflow/test_calendar_seed.py` checks both give the
    same days as `holidays.country_holidays("TH", …)`."""
    import holidays  # the package itself: base classes and the Thai lunar calendar

    if _THAILAND not in sys.modules and "holidays.countries" not in sys.modules:
        path = Path(holidays.__file__).with_name("countries") / "thailand.py"
        spec = importlib.util.spec_from_file_location(_THAILAND, path)
        if spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            sys.modules[_THAILAND] = module
            try:
                spec.loader.exec_module(module)
            except Exception:
                del sys.modules[_THAILAND]
    from holidays.countries.thailand import Thailand

    return Thailand


@lru_cache(maxsize=64)
def _seed_year(year: int) -> Mapping[date, str]:
    """The package's public and government days off of one year, in Thai, less the days that
    are not days off for government offices. Computed per year, when a year is first asked."""
    found = _thailand()(years=year, categories=("public", "government"), language="th")
    seed: dict[date, str] = {}
    for day, names in found.items():
        kept = [n for n in names.split("; ") if n not in NOT_GOVERNMENT_DAYS_OFF]
        if kept:
            seed[day] = "; ".join(kept)
    return seed


@dataclass(frozen=True)
class Overlay:
    """Admin corrections to the package seed: days added as days off, days removed."""

    added: Mapping[date, str] = field(default_factory=dict)
    removed: frozenset[date] = frozenset()


def overlay_from(rows: Iterable[tuple[date, OverlayKind, str]]) -> Overlay:
    """The overlay from its stored entries (day, kind, name)."""
    entries = list(rows)
    return Overlay(
        added={day: name for day, kind, name in entries if kind is OverlayKind.ADD},
        removed=frozenset(day for day, kind, _ in entries if kind is OverlayKind.REMOVE),
    )


@dataclass(frozen=True)
class WorkingCalendar:
    """Monday to Friday minus holidays: the `holidays` seed (or an explicit set) plus overlay."""

    overlay: Overlay = field(default_factory=Overlay)
    explicit: Mapping[date, str] | None = None  # replaces the package seed (tests, imports)

    @classmethod
    def from_days(cls, days: Iterable[date]) -> WorkingCalendar:
        return cls(explicit=dict.fromkeys(days, "holiday"))

    def holiday_name(self, day: date) -> str | None:
        if day in self.overlay.added:
            return self.overlay.added[day]
        if day in self.overlay.removed:
            return None
        seed = self.explicit if self.explicit is not None else _seed_year(day.year)
        return seed.get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def last_working_on_or_before(self, day: date) -> date:
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def next_working_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def holidays_between(self, start: date, end: date) -> list[tuple[date, str]]:
        days = (start + timedelta(days=i) for i in range((end - start).days + 1))
        return [(d, n) for d in days if (n := self.holiday_name(d)) is not None]


# --- Counting -------------------------------------------------------------------------------


def period_end(start_on: date, days: int) -> date:
    """'Within `days` days from `start_on`': the start day is not counted (§193/3)."""
    return start_on + timedelta(days=days)


@dataclass(frozen=True)
class Due:
    """A duty's due date under a counting mode, with the working-day advice."""

    start_on: date
    days: int
    mode: CountingMode
    due_on: date
    due_is_working_day: bool
    last_working_day_on: date
    civil_due_on: date


def due_date(start_on: date, days: int, *, mode: CountingMode, calendar: WorkingCalendar) -> Due:
    """strict (APA §64 ¶2): the last day stays even if it is a holiday; civil (CCC §193/8):
    a last day that is not a working day moves to the next working day."""
    base = period_end(start_on, days)
    civil = calendar.next_working_on_or_after(base)
    due = base if mode is CountingMode.STRICT else civil
    return Due(
        start_on=start_on,
        days=days,
        mode=mode,
        due_on=due,
        due_is_working_day=calendar.is_working_day(due),
        last_working_day_on=calendar.last_working_on_or_before(due),
        civil_due_on=civil,
    )


@dataclass(frozen=True)
class MinimumPosting:
    posted_on: date
    days: int
    satisfied_end_of: date
    earliest_removal_on: date  # the day after the period is satisfied
    conservative_removal_on: date  # kept up through the next working day first

    def removal_on(self, conservative: bool) -> date:
        return self.conservative_removal_on if conservative else self.earliest_removal_on


def minimum_posting(posted_on: date, days: int, *, calendar: WorkingCalendar) -> MinimumPosting:
    satisfied = period_end(posted_on, days)
    return MinimumPosting(
        posted_on=posted_on,
        days=days,
        satisfied_end_of=satisfied,
        earliest_removal_on=satisfied + timedelta(days=1),
        conservative_removal_on=calendar.next_working_on_or_after(satisfied) + timedelta(days=1),
    )


def builtin_holidays(year: int, calendar: WorkingCalendar | None = None) -> list[tuple[date, str]]:
    """The days off of a calendar year before any overlay (docs/domain.md "Counting days"):
    the `holidays` package's seed, or the calendar's explicit set when it has one."""
    if calendar is not None and calendar.explicit is not None:
        days = calendar.explicit
    else:
        days = _seed_year(year)
    return sorted((d, n) for d, n in days.items() if d.year == year)
