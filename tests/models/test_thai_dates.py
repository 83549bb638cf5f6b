"""Buddhist-Era dates: the one formatting every text, page and CLI line uses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from models.thai_dates import (
    format_english_date,
    format_english_date_with_weekday,
    format_thai_date,
    format_thai_date_long,
    to_be,
)


def test_the_buddhist_era_is_543_years_ahead() -> None:
    assert to_be(2018) == 2561
    assert to_be(2019) == 2562


@pytest.mark.parametrize(
    ("day", "short", "long"),
    [
        (date(2018, 11, 9), "9 พ.ย. 2561", "วันศุกร์ที่ 9 พฤศจิกายน 2561"),
        (date(2019, 1, 1), "1 ม.ค. 2562", "วันอังคารที่ 1 มกราคม 2562"),
        (date(2019, 2, 28), "28 ก.พ. 2562", "วันพฤหัสบดีที่ 28 กุมภาพันธ์ 2562"),
        (date(2019, 3, 6), "6 มี.ค. 2562", "วันพุธที่ 6 มีนาคม 2562"),
        (date(2019, 4, 13), "13 เม.ย. 2562", "วันเสาร์ที่ 13 เมษายน 2562"),
        (date(2019, 5, 5), "5 พ.ค. 2562", "วันอาทิตย์ที่ 5 พฤษภาคม 2562"),
        (date(2019, 6, 3), "3 มิ.ย. 2562", "วันจันทร์ที่ 3 มิถุนายน 2562"),
        (date(2019, 7, 16), "16 ก.ค. 2562", "วันอังคารที่ 16 กรกฎาคม 2562"),
        (date(2019, 8, 12), "12 ส.ค. 2562", "วันจันทร์ที่ 12 สิงหาคม 2562"),
        (date(2019, 9, 30), "30 ก.ย. 2562", "วันจันทร์ที่ 30 กันยายน 2562"),
        (date(2019, 10, 1), "1 ต.ค. 2562", "วันอังคารที่ 1 ตุลาคม 2562"),
        (date(2019, 12, 31), "31 ธ.ค. 2562", "วันอังคารที่ 31 ธันวาคม 2562"),
    ],
)
def test_thai_dates_short_and_long(day: date, short: str, long: str) -> None:
    assert format_thai_date(day) == short
    assert format_thai_date_long(day) == long


def test_english_dates_with_and_without_the_weekday() -> None:
    assert format_english_date(date(2018, 11, 9)) == "9 Nov 2018 (BE 2561)"
    assert format_english_date_with_weekday(date(2019, 1, 4)) == "Fri 4 Jan 2019 (BE 2562)"
    assert format_english_date_with_weekday(date(2019, 6, 2)) == "Sun 2 Jun 2019 (BE 2562)"


def test_english_months_and_weekdays_are_the_c_locales() -> None:
    """The pages once used `strftime('%b')`; the written-out names give the same bytes."""
    day = date(2019, 1, 1)
    for _ in range(366):
        assert format_english_date(day) == f"{day.day} {day:%b} {day.year} (BE {day.year + 543})"
        assert format_english_date_with_weekday(day).startswith(f"{day:%a} ")
        day += timedelta(days=1)
