"""The as-of date of progress and of the monitoring report's figures (docs/domain.md
"Progress", "The report's figures"): within the plan's fiscal year (1 October of the year
before to 30 September, a Thai fiscal year) and not after today (Bangkok, from the clock
module). Pure: the caller passes today."""

from __future__ import annotations

from datetime import date

from models.thai_dates import to_be
from workflow.errors import Reason, reason

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[date, date]:
    """The first and last day of Thai fiscal year `fiscal_year_be` (พ.ศ.): FY 2562 runs from
    1 October 2561 to 30 September 2562."""
    year = fiscal_year_be - 543
    return date(year - 1, 10, 1), date(year, 9, 30)


def be_day(day: date) -> str:
    """A date as Thai readers write it: 30 กันยายน 2562."""
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {to_be(day.year)}"


# One rule, one code on every surface (a progress entry, its sheet, the figures, a report's):
# the code progress entries gave first, on the most surfaces.
IN_FUTURE = "progress_as_of_future"


def after_today(as_of: date, today: date) -> Reason | None:
    """`as_of` after today (`progress_as_of_future`), or None."""
    if as_of <= today:
        return None
    return reason(IN_FUTURE, "วันที่ข้อมูลต้องไม่เลยวันนี้", "the as-of date is not after today")


def as_of_problem(as_of: date, fiscal_year_be: int, today: date | None) -> Reason | None:
    """Why `as_of` is refused, or None: outside the fiscal year (`as_of_outside_fiscal_year`)
    or after today (`progress_as_of_future`; not checked when `today` is None)."""
    first, last = fiscal_year_bounds(fiscal_year_be)
    if not first <= as_of <= last:
        return reason(
            "as_of_outside_fiscal_year",
            f"วันที่ข้อมูลต้องอยู่ในปีงบประมาณ {fiscal_year_be} "
            f"({be_day(first)} ถึง {be_day(last)})",
            f"the as-of date is within fiscal year {fiscal_year_be} ({first} to {last})",
        )
    return None if today is None else after_today(as_of, today)
