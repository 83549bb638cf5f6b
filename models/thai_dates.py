"""Buddhist-Era dates as people read them: the one formatting for texts, pages and the CLI.

Below both workflow and notifications, so each shows a date the same way ("9 พ.ย. 2561",
"Fri 9 Nov 2018 (BE 2561)"). Pure: no database, no locale (English month names are written
out rather than taken from `strftime`, which follows the process locale).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from models.clock import BANGKOK

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
THAI_MONTHS_LONG = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def to_be(year_ce: int) -> int:
    """The Buddhist-Era year of a Common-Era year (2018 → 2561)."""
    return year_ce + BE_OFFSET


def format_thai_date(day: date) -> str:
    """'9 พ.ย. 2561'."""
    return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {to_be(day.year)}"


def format_thai_date_long(day: date) -> str:
    """'วันศุกร์ที่ 9 พฤศจิกายน 2561'."""
    weekday = THAI_WEEKDAYS[day.weekday()]
    return f"วัน{weekday}ที่ {day.day} {THAI_MONTHS_LONG[day.month - 1]} {to_be(day.year)}"


def format_english_date(day: date) -> str:
    """'9 Nov 2018 (BE 2561)'."""
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year} (BE {to_be(day.year)})"


def format_english_date_with_weekday(day: date) -> str:
    """'Fri 9 Nov 2018 (BE 2561)'."""
    return f"{EN_WEEKDAYS[day.weekday()]} {format_english_date(day)}"


def format_thai_date_official(day: date) -> str:
    """'วันที่ 25 ตุลาคม พ.ศ. 2561': the official form (no weekday, พ.ศ.), as a ประกาศ is dated."""
    return f"วันที่ {day.day} {THAI_MONTHS_LONG[day.month - 1]} พ.ศ. {to_be(day.year)}"


def format_be_numeric(day: date) -> str:
    """'20/11/2569': what a date input shows and takes (วว/ดด/ปปปป, พ.ศ.)."""
    return f"{day.day:02d}/{day.month:02d}/{to_be(day.year)}"


def _bangkok(instant: datetime) -> datetime:
    """The instant in Thai local time; a naive instant is UTC (as the database keeps it)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(BANGKOK)


def format_thai_instant(instant: datetime) -> str:
    """'1 ธ.ค. 2569 เวลา 14:06 น.': a recorded instant in Thai local time."""
    local = _bangkok(instant)
    return f"{format_thai_date(local.date())} เวลา {local:%H:%M} น."


def format_english_instant(instant: datetime) -> str:
    """'1 Dec 2026 (BE 2569) 14:06 Bangkok time'."""
    local = _bangkok(instant)
    return f"{format_english_date(local.date())} {local:%H:%M} Bangkok time"


def thai_local_iso(instant: datetime) -> str:
    """'2026-12-01T14:06:00+07:00': the instant in Thai local time, machine-readable."""
    return _bangkok(instant).isoformat(timespec="seconds")
