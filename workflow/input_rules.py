"""The input rules every surface applies: one place, so the API, the web pages and the CLI
refuse the same input with the same code and the same Thai and English reason.

Each rule takes a raw value and returns it cleaned (normalized, trimmed) or raises
`InvalidInput`, naming the field. The API's schemas state the same bounds for the OpenAPI
document (they import the constants below); the rules here are what decides.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from models.provinces import PROVINCES
from workflow.errors import Reason, ValidationFailed, reason

LEGAL_DATE_MIN = date(2000, 1, 1)
LEGAL_DATE_MAX = date(2199, 12, 31)
FISCAL_YEAR_MIN_BE = LEGAL_DATE_MIN.year + 543
FISCAL_YEAR_MAX_BE = LEGAL_DATE_MAX.year + 543
MONEY_MAX_BAHT = Decimal(10) ** 12
USERNAME_MIN, USERNAME_MAX = 3, 64
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
# The scheduler acts as `system`; a person named so would mix their records with its own.
RESERVED_USERNAMES = frozenset({"system"})
# Characters that show nothing: a title of only these looks blank on every page.
INVISIBLE = frozenset("\u00ad\u034f\u115f\u1160\u180e\u200b\u200c\u200d\u2060\u2063\ufeff")
_USERNAME = re.compile(USERNAME_PATTERN)


@dataclass
class InvalidInput(ValidationFailed):
    """A value no surface may accept; `field` names the input."""

    field: str = ""


def _refuse(field: str, code: str, th: str, en: str) -> InvalidInput:
    return InvalidInput([reason(code, th, en)], field=field)


def username(raw: str, *, field: str = "username") -> str:
    """NFKC, lower-case ASCII letters, digits, `.`, `_`, `-`; 3–64 long; not reserved."""
    value = unicodedata.normalize("NFKC", raw).strip().lower()
    if not USERNAME_MIN <= len(value) <= USERNAME_MAX:
        raise _refuse(
            field,
            "username_length",
            f"ชื่อผู้ใช้ต้องยาว {USERNAME_MIN}–{USERNAME_MAX} ตัวอักษร",
            f"a username is {USERNAME_MIN} to {USERNAME_MAX} characters long",
        )
    if not value.isascii() or not _USERNAME.match(value):
        raise _refuse(
            field,
            "username_characters",
            "ชื่อผู้ใช้ใช้ได้เฉพาะ a–z 0–9 . _ - และขึ้นต้นด้วยตัวอักษรหรือตัวเลข",
            "a username has only a-z, 0-9, '.', '_' and '-', and starts with a letter or digit",
        )
    if value in RESERVED_USERNAMES:
        raise _refuse(
            field,
            "username_reserved",
            f"ชื่อผู้ใช้ {value} สงวนไว้สำหรับระบบ",
            f"the username {value} is reserved for the system",
        )
    return value


def free_text(
    raw: str,
    *,
    field: str,
    max_length: int,
    multiline: bool = False,
    required: bool = True,
) -> str | None:
    """Text a person typed: no NUL or control characters (newlines only where `multiline`),
    not blank once invisible characters are removed, at most `max_length` long. Returns it
    trimmed, or None for an optional empty value."""
    value = raw.replace("\r\n", "\n").strip()
    for char in value:
        category = unicodedata.category(char)
        if char == "\n" and multiline:
            continue
        if category in ("Cc", "Cs", "Co", "Cn"):
            raise _refuse(
                field,
                "text_control_character",
                "ข้อความมีอักขระควบคุมที่ใช้ไม่ได้",
                f"the text holds a control character (U+{ord(char):04X})",
            )
    if not "".join(c for c in value if c not in INVISIBLE).strip():
        if required:
            raise _refuse(field, "text_blank", "กรุณากรอกข้อความ", "the text is blank")
        return None
    if len(value) > max_length:
        raise _refuse(
            field,
            "text_too_long",
            f"ข้อความยาวเกิน {max_length} ตัวอักษร",
            f"the text is longer than {max_length} characters",
        )
    return value


def legal_date(value: date, *, field: str) -> date:
    """A legal date between 1 Jan 2000 and 31 Dec 2199 (B.E. 2543–2742)."""
    if not LEGAL_DATE_MIN <= value <= LEGAL_DATE_MAX:
        raise _refuse(
            field,
            "date_out_of_range",
            "วันที่ต้องอยู่ระหว่าง 1 ม.ค. 2543 ถึง 31 ธ.ค. 2742",
            "a date must lie between 2000-01-01 and 2199-12-31",
        )
    return value


def effective_date(
    value: date, *, today: date, trigger_on: date | None, previous_on: date | None
) -> date:
    """The legal date of an action: in range, never after today, never before the trigger
    event nor the previous action."""
    legal_date(value, field="effective_on")
    checks: list[tuple[bool, Reason]] = [
        (
            value > today,
            reason("effective_in_future", "วันที่มีผลต้องไม่เกินวันนี้", "the date is after today"),
        ),
        (
            trigger_on is not None and value < trigger_on,
            reason(
                "effective_before_trigger",
                "วันที่มีผลต้องไม่ก่อนวันที่ของเหตุตั้งต้น",
                "the date is before the trigger event's date",
            ),
        ),
        (
            previous_on is not None and value < previous_on,
            reason(
                "effective_before_previous",
                "วันที่มีผลต้องไม่ก่อนวันที่ของขั้นตอนก่อนหน้า",
                "the date is before the previous action's date",
            ),
        ),
    ]
    problems = [r for failed, r in checks if failed]
    if problems:
        raise InvalidInput(problems, field="effective_on")
    return value


def money(raw: Decimal | str | float | int, *, field: str) -> Decimal:
    """Baht: finite, at least 0, at most two decimals, at most 10^12."""
    try:
        value = Decimal(str(raw)) if not isinstance(raw, Decimal) else raw
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value > MONEY_MAX_BAHT:
        raise _refuse(
            field,
            "money_out_of_range",
            "จำนวนเงินต้องเป็นตัวเลขตั้งแต่ 0 ถึง 1,000,000,000,000 บาท",
            "an amount is a number from 0 to 1,000,000,000,000 baht",
        )
    if value != value.quantize(Decimal("0.01")):
        raise _refuse(
            field,
            "money_fraction",
            "จำนวนเงินมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง",
            "an amount has at most two decimals (satang)",
        )
    return value.quantize(Decimal("0.01"))


def fiscal_year(value: int, *, field: str = "fiscal_year_be") -> int:
    """A Buddhist-Era fiscal year within the legal dates' range."""
    if not FISCAL_YEAR_MIN_BE <= value <= FISCAL_YEAR_MAX_BE:
        raise _refuse(
            field,
            "fiscal_year_out_of_range",
            f"ปีงบประมาณต้องอยู่ระหว่าง {FISCAL_YEAR_MIN_BE} ถึง {FISCAL_YEAR_MAX_BE}",
            f"a fiscal year (B.E.) lies between {FISCAL_YEAR_MIN_BE} and {FISCAL_YEAR_MAX_BE}",
        )
    return value


def province(raw: str, *, field: str = "scope_province") -> str:
    """One of Thailand's 77 provinces, as spelled in models/data/provinces.txt."""
    value = unicodedata.normalize("NFC", raw).strip()
    if value not in PROVINCES:
        raise _refuse(
            field,
            "province_unknown",
            f"ไม่พบจังหวัด {value[:50]}",
            f"{value[:50]!r} is not one of Thailand's 77 provinces",
        )
    return value


def distinct(values: list[str]) -> list[str]:
    """A list without repeats, in first-seen order (a repeated entry is folded, not refused)."""
    return list(dict.fromkeys(values))
