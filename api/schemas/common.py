"""Shared pieces: bounded types, Thai renderings, the problem body, pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from api.schemas.rules import INSTANT_PATTERN, FiscalYearValue, LegalDateValue, Stated, text
from workflow import input_rules as rules
from workflow.calendar import format_thai_date

# SQLite and PostgreSQL integers are 64-bit; ids and versions stay far below this.
MAX_INT = 2**31 - 1
FIRST_DAY, LAST_DAY = rules.LEGAL_DATE_MIN, rules.LEGAL_DATE_MAX

Id = Annotated[int, Field(ge=1, le=MAX_INT)]
LegalDate = Annotated[
    LegalDateValue,
    Field(description="A legal date in Asia/Bangkok (YYYY-MM-DD, Gregorian), 2000–2199"),
]


# Any instant written with a legal date (2000–2199) in any offset (±24 h) lies in here.
FIRST_INSTANT = datetime(1999, 12, 31, tzinfo=UTC)
LAST_INSTANT = datetime(2200, 1, 2, tzinfo=UTC)


def _bounded_instant(value: datetime) -> datetime:
    if not FIRST_INSTANT <= value <= LAST_INSTANT:
        raise ValueError("the instant must be between 2000 and 2199")
    return value.astimezone(UTC)


Instant = Annotated[
    AwareDatetime, Stated({"pattern": INSTANT_PATTERN}), AfterValidator(_bounded_instant)
]
Text = text("comment", rules.COMMENT_MAX, multiline=True, required=False)
FiscalYear = FiscalYearValue
# Query filters: free text without control characters (NUL cannot reach PostgreSQL).
OrgCodeFilter = text("organization", rules.CODE_MAX, required=False)
UsernameFilter = text("actor", rules.USERNAME_MAX, required=False)
OrgSearchFilter = text("organization", rules.FILTER_MAX, required=False)  # a code or a name
ProvinceSearchFilter = text("province", rules.FILTER_MAX, required=False)  # as typed


def thai(day: date | None) -> str | None:
    """A Buddhist-Era rendering, '9 พ.ย. 2561'."""
    return None if day is None else format_thai_date(day)


class ReasonOut(BaseModel):
    code: str
    th: str
    en: str
    field: str | None = Field(default=None, description="validation errors: which input")


class Problem(BaseModel):
    """RFC 9457 problem details, with a stable `code` and reasons in Thai and English."""

    type: str = Field(examples=["urn:localplan:problem:stale_version"])
    title: str
    status: int
    detail: str
    code: str = Field(examples=["stale_version"])
    reasons: list[ReasonOut]
    request_id: str | None = None


# --- cursors --------------------------------------------------------------------------------


CURSOR_PATTERN = r"^[0-9]{1,10}$"  # the last id of the page before, stated in OpenAPI


def encode_cursor(after_id: int | None) -> str | None:
    """The next page starts after this id. A plain number, so the OpenAPI document can state
    exactly which cursors exist (an opaque token made schema-valid requests fail)."""
    return None if after_id is None else str(after_id)


def decode_cursor(cursor: str | None) -> int:
    """The id to continue after (the pattern has checked the text); past the largest id
    there is nothing more, so the number is capped there (never out of a column's range)."""
    return min(int(cursor), MAX_INT) if cursor else 0


Cursor = Annotated[
    str | None,
    Field(
        pattern=CURSOR_PATTERN,
        max_length=10,
        description="`next_cursor` of the previous page",
    ),
]
PageSize = Annotated[int, Field(ge=1, le=200, description="items per page")]
