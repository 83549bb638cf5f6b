"""Buddhist-Era dates for texts. A copy of the formatting in workflow.calendar, which
notifications may not import (a test keeps the two equal)."""

from __future__ import annotations

from datetime import date

BE_OFFSET = 543
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
THAI_WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def thai_date(day: date) -> str:
    """'9 พ.ย. 2561'."""
    return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {day.year + BE_OFFSET}"


def thai_date_with_weekday(day: date) -> str:
    """'วันศุกร์ที่ 9 พ.ย. 2561'."""
    return f"วัน{THAI_WEEKDAYS[day.weekday()]}ที่ {thai_date(day)}"


def english_date(day: date) -> str:
    """'Fri 9 Nov 2018 (BE 2561)'."""
    return (
        f"{EN_WEEKDAYS[day.weekday()]} {day.day} {EN_MONTHS[day.month - 1]} {day.year} "
        f"(BE {day.year + BE_OFFSET})"
    )
