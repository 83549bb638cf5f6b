"""The input rules every surface applies: one place, so the API, the web pages and the CLI
refuse the same input with the same code and the same Thai and English reason.

Each rule takes a raw value and returns it cleaned (normalized, trimmed) or raises
`InvalidInput`, naming the field. The API's schemas state the same bounds for the OpenAPI
document (they import the constants below); the rules here are what decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from models.provinces import PROVINCES
from models.thai_dates import BE_OFFSET, to_be
from workflow.errors import Reason, ValidationFailed, reason
from workflow.guards import ActionInput, not_before_previous, not_before_trigger, not_in_future

LEGAL_DATE_MIN = date(2000, 1, 1)
LEGAL_DATE_MAX = date(2199, 12, 31)
FISCAL_YEAR_MIN_BE = LEGAL_DATE_MIN.year + 543
FISCAL_YEAR_MAX_BE = LEGAL_DATE_MAX.year + 543
MONEY_MAX_BAHT = Decimal(10) ** 12
USERNAME_MIN, USERNAME_MAX = 3, 64
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
# What the API states: the pattern above with its length, surrounding spaces allowed (trimmed).
USERNAME_SCHEMA_PATTERN = r"^ *[a-z0-9][a-z0-9._-]{2,63} *$"
# The scheduler acts as `system`; a person named so would mix their records with its own.
RESERVED_USERNAMES = frozenset({"system"})
# Characters that show nothing: a title of only these looks blank on every page.
INVISIBLE = frozenset("\u00ad\u034f\u115f\u1160\u180e\u200b\u200c\u200d\u2060\u2063\ufeff")
# C0 and C1 controls (NUL among them) and lone surrogates: PostgreSQL cannot store NUL, UTF-8
# cannot encode a surrogate, and a control character shows nothing or breaks a line or a cell.
REFUSED_CATEGORIES = frozenset({"Cc", "Cs"})
# The same as a regex class for the OpenAPI document, less the surrogates: a JSON Schema
# pattern cannot name a lone surrogate (validators refuse the range), and no valid UTF-8
# text holds one; the rule still refuses one sent as a JSON escape.
CONTROL_CLASS = "\\x00-\\x1f\\x7f-\\x9f"
# Where newlines are allowed: the same less CR and LF.
MULTILINE_CONTROL_CLASS = "\\x00-\\x09\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"
_USERNAME = re.compile(USERNAME_PATTERN)
# The lengths the API has always had (characters), one per kind of text.
TITLE_MAX, NOTE_MAX, COMMENT_MAX, PLACE_MAX, PLACES_MAX = 300, 500, 2000, 300, 20
HOLIDAY_NAME_MAX, SOURCE_MAX, FULL_NAME_MAX, CODE_MAX, FILTER_MAX = 200, 300, 200, 16, 100


@dataclass
class InvalidInput(ValidationFailed):
    """A value no surface may accept; `field` names the input."""

    field: str = ""


def _refuse(field: str, code: str, th: str, en: str) -> InvalidInput:
    return InvalidInput([reason(code, th, en)], field=field)


def username(raw: str, *, field: str = "username") -> str:
    """Lower-case ASCII letters, digits, `.`, `_`, `-`; 3–64 long; not reserved. Surrounding
    spaces are trimmed; nothing else is folded: a capital, a full-width letter (whose NFKC
    form is ASCII) or a look-alike from another script is refused, so the name a person types
    is the name they sign in with."""
    value = raw.strip(" ")
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
            "ชื่อผู้ใช้ใช้ได้เฉพาะ a–z (ตัวพิมพ์เล็ก) 0–9 . _ - และขึ้นต้นด้วยตัวอักษรหรือตัวเลข",
            "a username has only a-z (lower case), 0-9, '.', '_' and '-', and starts with a "
            "letter or digit",
        )
    if value in RESERVED_USERNAMES:
        raise _refuse(
            field,
            "username_reserved",
            f"ชื่อผู้ใช้ {value} สงวนไว้สำหรับระบบ",
            f"the username {value} is reserved for the system",
        )
    return value


def _control_character(value: str, *, multiline: bool) -> str | None:
    """The first character no text may hold (C0/C1 controls, lone surrogates), if any."""
    for char in value:
        if char == "\n" and multiline:
            continue
        if unicodedata.category(char) in REFUSED_CATEGORIES:
            return char
    return None


def free_text(
    raw: str,
    *,
    field: str,
    max_length: int,
    multiline: bool = False,
    required: bool = True,
) -> str | None:
    """Text a person typed: no NUL or other control characters (newlines only where
    `multiline`; CR LF and CR become LF), not blank once invisible characters are removed,
    at most `max_length` long. Returns it trimmed, or None for an optional empty value."""
    value = raw.replace("\r\n", "\n").replace("\r", "\n") if multiline else raw
    value = value.strip()
    char = _control_character(value, multiline=multiline)
    if char is not None:
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
    if len(raw) > max_length:  # the raw length, as the OpenAPI document's maxLength counts
        raise _refuse(
            field,
            "text_too_long",
            f"ข้อความยาวเกิน {max_length} ตัวอักษร",
            f"the text is longer than {max_length} characters",
        )
    return value


def optional_text(raw: str | None, *, field: str, max_length: int, multiline: bool = False) -> (
    str | None
):
    """An optional free text: None or blank is None, anything else as `free_text`."""
    if raw is None:
        return None
    return free_text(raw, field=field, max_length=max_length, multiline=multiline, required=False)


def text_pattern(*, multiline: bool = False, required: bool = True) -> str:
    """The regular expression (for the OpenAPI document) that `free_text` accepts, length
    aside: no refused character (CR and LF allowed where `multiline`) and, when required, one
    character that is neither space nor invisible."""
    refused = MULTILINE_CONTROL_CLASS if multiline else CONTROL_CLASS
    if not required:
        return f"^[^{refused}]*$"
    invisible = "".join(f"\\u{ord(c):04x}" for c in sorted(INVISIBLE))
    return f"^[^{refused}]*[^{refused}\\s{invisible}][^{refused}]*$"


def legal_date(value: date, *, field: str) -> date:
    """A legal date between 1 Jan 2000 and 31 Dec 2199 (B.E. 2543–2742)."""
    if not LEGAL_DATE_MIN <= value <= LEGAL_DATE_MAX:
        raise _refuse(
            field,
            "date_out_of_range",
            f"วันที่ต้องอยู่ระหว่าง 1 ม.ค. 2543 ถึง 31 ธ.ค. 2742 (ที่ระบุเป็นปี พ.ศ. {to_be(value.year)})",
            f"a date must lie between 2000-01-01 and 2199-12-31 (BE 2543–2742); "
            f"this one is in {value.year} (BE {to_be(value.year)})",
        )
    return value


_TYPED_BE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
BE_YEAR_FLOOR = 2400  # a four-digit year typed below this is a Common-Era year, not a BE one


def typed_date(raw: str, *, field: str) -> date:
    """A date as a person types it (docs/domain.md, "Dates on the web"): วว/ดด/ปปปป with the
    year in the Buddhist Era ("20/11/2569"); the machine form ปปปป-ดด-วว (ISO, Common Era, as
    the API takes) is accepted too. A day/month/year whose year is below 2400 is refused, never
    read as a Common-Era year; then the legal range (named in BE)."""
    text = unicodedata.normalize("NFKC", raw)
    if any(c.isdigit() and not c.isascii() for c in text):  # Thai digits ๐-๙
        text = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)
    iso, typed = _ISO.match(text), _TYPED_BE.match(text)
    if iso is not None:
        year_ce, month, day = int(iso[1]), int(iso[2]), int(iso[3])
    elif typed is not None:
        day, month, year_be = int(typed[1]), int(typed[2]), int(typed[3])
        if year_be < BE_YEAR_FLOOR:
            raise _refuse(
                field,
                "date_year_not_be",
                f"ปี {year_be} ไม่ใช่ปีพุทธศักราช โปรดพิมพ์ปี พ.ศ. เช่น {to_be(year_be)}",
                f"{year_be} is not a Buddhist-Era year: type the BE year, e.g. {to_be(year_be)}",
            )
        year_ce = year_be - BE_OFFSET
    else:
        raise _refuse(
            field,
            "date_format",
            "พิมพ์วันที่เป็น วว/ดด/ปปปป (ปี พ.ศ.) เช่น 20/11/2569",
            "type the date as DD/MM/YYYY with the Buddhist-Era year, e.g. 20/11/2569",
        )
    try:
        value = date(year_ce, month, day)
    except ValueError:
        raise _refuse(
            field,
            "date_invalid",
            f"ไม่มีวันที่ {day}/{month} ในปี พ.ศ. {to_be(year_ce)}",
            f"there is no day {day}/{month} in {year_ce} (BE {to_be(year_ce)})",
        ) from None
    return legal_date(value, field=field)


def effective_date(
    value: date, *, today: date, trigger_on: date | None, previous_on: date | None
) -> date:
    """The legal date of an action: in range, never after today, never before the trigger
    event nor the previous action (the guards of docs/domain.md "States and actions", whose
    reasons these are; the commands apply them as guards, so a refusal is recorded)."""
    legal_date(value, field="effective_on")
    problems = effective_problems(
        value, today=today, trigger_on=trigger_on, previous_on=previous_on
    )
    if problems:
        raise InvalidInput(problems, field="effective_on")
    return value


def effective_problems(
    value: date, *, today: date, trigger_on: date | None, previous_on: date | None
) -> list[Reason]:
    """Every reason an effective date is refused against today, the trigger and the
    previous action (empty: none)."""
    inp = ActionInput(value, today, previous_on, trigger_on=trigger_on)
    found = [not_in_future(inp), not_before_trigger(inp), not_before_previous(inp)]
    return [r for r in found if r is not None]


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


def fiscal_year(value: int | str, *, field: str = "fiscal_year_be") -> int:
    """A Buddhist-Era fiscal year within the legal dates' range; typed text must be ASCII
    digits (`²²²²` and other digit-like characters are refused, not a server error)."""
    if isinstance(value, str):
        text = value.strip()
        digits = text.isascii() and text.isdigit() and len(text) <= 4
        value = int(text) if digits else -1
    if not FISCAL_YEAR_MIN_BE <= value <= FISCAL_YEAR_MAX_BE:
        raise _refuse(
            field,
            "fiscal_year_out_of_range",
            f"ปีงบประมาณต้องเป็นปี พ.ศ. {FISCAL_YEAR_MIN_BE} ถึง {FISCAL_YEAR_MAX_BE}",
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


PROVINCE_PREFIXES = ("จังหวัด", "จ.")


def province_search(raw: str) -> str:
    """A province as an auditor types it in a search: "จ.พิจิตร" or "จังหวัดพิจิตร" is
    "พิจิตร" (docs/domain.md, "What auditors need")."""
    value = " ".join(unicodedata.normalize("NFC", raw).split())
    for prefix in PROVINCE_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix):].strip()
    return value


def optional_date(value: date | None, *, field: str) -> date | None:
    """A legal date if given."""
    return None if value is None else legal_date(value, field=field)


def places(raw: Iterable[str], *, field: str = "places") -> tuple[str, ...]:
    """Posting places: each a line of free text (blank ones dropped), repeats folded, at
    most PLACES_MAX of them."""
    given = list(raw)
    if len(given) > PLACES_MAX:
        raise _refuse(
            field,
            "too_many_items",
            f"ระบุได้ไม่เกิน {PLACES_MAX} รายการ",
            f"at most {PLACES_MAX} entries",
        )
    kept = [optional_text(p, field=field, max_length=PLACE_MAX) for p in given]
    return tuple(distinct(p for p in kept if p is not None))


def code(raw: str, *, field: str) -> str:
    """An organization's code as typed: free text of at most CODE_MAX characters."""
    value = free_text(raw, field=field, max_length=CODE_MAX)
    assert value is not None
    return value


def distinct(values: Iterable[str]) -> list[str]:
    """A list without repeats, in first-seen order (a repeated entry is folded, not refused)."""
    return list(dict.fromkeys(values))


CORRECTED_FIELDS = ("effective_on", "trigger_on", "places", "comment")
CORRECTED_DATES = ("effective_on", "trigger_on")


def corrected_value(field: str, value: object) -> object:
    """The new value of a correction (docs/domain.md "Corrections"), in its JSON form: a
    date (a `date`, or typed as `typed_date` reads it: วว/ดด/ปปปป in พ.ศ. or ISO) as ISO
    text; places (a list, or lines of text) as a list; a comment as text or None."""
    if field not in CORRECTED_FIELDS:
        raise _refuse(
            "field",
            "unknown_field",
            "แก้ไขได้เฉพาะวันที่มีผล วันที่เกิดเหตุ สถานที่ปิดประกาศ หรือความเห็น",
            f"the field must be one of {', '.join(CORRECTED_FIELDS)}",
        )
    if field in CORRECTED_DATES:
        if isinstance(value, date):
            return legal_date(value, field="value").isoformat()
        if not isinstance(value, str):
            raise _refuse("value", "date_required", "กรุณาระบุวันที่", "a date is required")
        return typed_date(value, field="value").isoformat()
    if field == "places":
        lines = value.splitlines() if isinstance(value, str) else value
        if not isinstance(lines, list | tuple) or not all(isinstance(p, str) for p in lines):
            raise _refuse("value", "places_required", "กรุณาระบุสถานที่", "a list of places")
        return list(places(lines, field="value"))
    if value is not None and not isinstance(value, str):
        raise _refuse("value", "text_required", "กรุณาระบุข้อความ", "a text is required")
    return optional_text(value, field="value", max_length=COMMENT_MAX, multiline=True)
