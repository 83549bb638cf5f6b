"""The input rules (workflow/input_rules.py) as pydantic types: each type runs the rule, so a
refusal carries the rule's code and its Thai and English reason (api/errors.py reads them
from the error's context), and states in the OpenAPI document exactly what the rule accepts
(lengths, patterns, date and number bounds, the 77 provinces), so a request the document
calls valid is never refused for its shape."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from models.provinces import PROVINCES
from workflow import input_rules as rules
from workflow.input_rules import InvalidInput

# 2000-01-01 … 2199-12-31 as text: JSON Schema has no date bounds, a pattern states them.
# Every real day (30-day months, February, leap years: 2100 is not one), nothing else.
_YEAR = r"2[01][0-9]{2}"
_LEAP = r"(20([02468][048]|[13579][26])|21([2468][048]|[02468][48]|[13579][26]))"
_DAY = (
    rf"({_YEAR}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
    rf"|{_YEAR}-(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    rf"|{_YEAR}-02-(0[1-9]|1[0-9]|2[0-8])"
    rf"|{_LEAP}-02-29)"
)
LEGAL_DATE_PATTERN = rf"^{_DAY}$"
# An instant written with a legal date, a time and an offset (RFC 3339, seconds required).
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
INSTANT_PATTERN = rf"^{_DAY}T{_TIME}(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
MONEY_TEXT_PATTERN = r"^((0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?|1000000000000(\.00?)?)$"


@dataclass(frozen=True, eq=False)  # hashed by identity: typing hashes Annotated metadata
class Stated:
    """What the OpenAPI document says of a value, merged into its generated schema."""

    extra: dict[str, Any] = field(default_factory=dict)
    replace: bool = False

    def __get_pydantic_json_schema__(
        self, core: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        if self.replace:
            return dict(self.extra)
        schema = handler(core)
        schema.update(self.extra)
        return schema


def ruled(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The rule as a validator: its refusal becomes a pydantic error with the rule's code,
    English text as the message and Thai text in the context."""

    def run(value: Any) -> Any:
        try:
            return check(value)
        except InvalidInput as refused:
            first = refused.reasons[0]
            message = first.en.replace("{", "(").replace("}", ")")
            raise PydanticCustomError(first.code, message, {"th": first.th}) from None

    return run


def text(
    name: str, max_length: int, *, multiline: bool = False, required: bool = True
) -> Any:
    """Free text of at most `max_length` characters (workflow/input_rules.free_text)."""
    pattern = rules.text_pattern(multiline=multiline, required=required)

    def check(value: str) -> str | None:
        return rules.free_text(
            value, field=name, max_length=max_length, multiline=multiline, required=required
        )

    return Annotated[
        str,
        Stated({"maxLength": max_length, "pattern": pattern}),
        AfterValidator(ruled(check)),
    ]


def _legal_date(value: date) -> date:
    return rules.legal_date(value, field="date")


LegalDateValue = Annotated[
    date,
    Stated({"pattern": LEGAL_DATE_PATTERN}),
    AfterValidator(ruled(_legal_date)),
]


def _money(value: Any) -> Decimal:
    if isinstance(value, bool):  # JSON true is not an amount
        value = "not an amount"
    elif isinstance(value, float) and math.isfinite(value) and abs(value) < 1e13:
        # a JSON number such as 0.57 arrives as the float 0.5700000000000001
        cents = round(value * 100)
        if abs(value * 100 - cents) < 1e-6:
            value = Decimal(cents) / 100
    return rules.money(value, field="budget_baht")


Money = Annotated[
    Decimal,
    Stated(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 10**12, "multipleOf": 0.01},
                {"type": "string", "pattern": MONEY_TEXT_PATTERN},
            ],
            "description": "baht: 0 to 10^12, at most two decimals",
        },
        replace=True,
    ),
    BeforeValidator(ruled(_money)),
]


def _fiscal_year(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON's 2562.0 is the integer 2562 (JSON Schema says so too)
    if isinstance(value, bool) or not isinstance(value, int | str):
        value = str(value)
    return rules.fiscal_year(value)


FiscalYearValue = Annotated[
    int,
    Stated(
        {
            "type": "integer",
            "minimum": rules.FISCAL_YEAR_MIN_BE,
            "maximum": rules.FISCAL_YEAR_MAX_BE,
            "description": "Buddhist-Era fiscal year",
        },
        replace=True,
    ),
    BeforeValidator(ruled(_fiscal_year)),
]


def _username(value: str) -> str:
    return rules.username(value)


NewUsername = Annotated[
    str,
    Stated({"pattern": rules.USERNAME_SCHEMA_PATTERN}),
    AfterValidator(ruled(_username)),
]


def _province(value: str) -> str:
    return rules.province(value)


Province = Annotated[
    str,
    Stated({"enum": sorted(PROVINCES), "description": "one of Thailand's 77 provinces"}),
    AfterValidator(ruled(_province)),
]


def _strict_bool(value: Any) -> Any:
    """Only JSON's true and false, or the query words `true` and `false`: 0, 1, "yes" and
    "on" are not booleans in the OpenAPI document, so they are refused."""
    if isinstance(value, bool) or value in ("true", "false"):
        return value == "true" if isinstance(value, str) else value
    th = "ต้องเป็น true หรือ false"
    raise PydanticCustomError("bool_type", "a boolean is true or false", {"th": th})


StrictFlag = Annotated[bool, BeforeValidator(_strict_bool)]


def _not_a_bool(value: Any) -> Any:
    """JSON's true and false are no integers in the OpenAPI document, though pydantic would
    read them as 1 and 0 (a stale `expected_version: true` could then match version 1)."""
    if isinstance(value, bool):
        th = "ต้องเป็นจำนวนเต็ม ไม่ใช่ true หรือ false"
        raise PydanticCustomError("int_type", "an integer, not true or false", {"th": th})
    return value


Version = Annotated[int, BeforeValidator(_not_a_bool)]
