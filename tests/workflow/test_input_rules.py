"""The input rules every surface shares (workflow/input_rules.py), case by case."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from models.provinces import PROVINCES
from workflow import input_rules as rules
from workflow.input_rules import InvalidInput


def code_of(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    assert len(caught.value.reasons) >= 1 and caught.value.reasons[0].th
    return caught.value.reasons[0].code


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("laemrang.staff", "laemrang.staff"), ("  somchai_01 ", "somchai_01"), ("a-b", "a-b")],
)
def test_usernames_are_trimmed_and_nothing_else(raw: str, clean: str) -> None:
    assert rules.username(raw) == clean
    assert re.fullmatch(rules.USERNAME_SCHEMA_PATTERN, raw)  # what the API states accepts it


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("ab", "username_length"),
        ("a" * 65, "username_length"),
        ("аdmin", "username_characters"),  # Cyrillic а
        ("ad\u200bmin", "username_characters"),  # zero-width space
        ("two words", "username_characters"),
        ("line\nbreak", "username_characters"),
        ("<b>x</b>", "username_characters"),
        ("สมชาย", "username_characters"),
        (".dot", "username_characters"),
        ("system", "username_reserved"),
        ("system", "username_reserved"),
        (" system ", "username_reserved"),
        ("SYSTEM", "username_characters"),  # capitals are refused, not folded
        ("Somchai", "username_characters"),
        ("ａｂｃ", "username_characters"),  # full-width: its NFKC form is ASCII, still refused
    ],
)
def test_usernames_refused(raw: str, code: str) -> None:
    assert code_of(rules.username, raw) == code
    if code != "username_reserved":
        assert not re.fullmatch(rules.USERNAME_SCHEMA_PATTERN, raw)


def test_free_text_keeps_thai_and_trims() -> None:
    assert rules.free_text("  แผนการดำเนินงาน ๒๕๖๒ ", field="title", max_length=300) == (
        "แผนการดำเนินงาน ๒๕๖๒"
    )
    assert rules.free_text("บรรทัด 1\r\nบรรทัด 2", field="c", max_length=50, multiline=True) == (
        "บรรทัด 1\nบรรทัด 2"
    )
    assert rules.free_text(" \u200b ", field="c", max_length=5, required=False) is None


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("a\x00b", "text_control_character"),
        ("a\nb", "text_control_character"),  # not multiline
        ("a\tb", "text_control_character"),
        ("a\x1bb", "text_control_character"),
        ("\ud800", "text_control_character"),  # a lone surrogate cannot be stored
        ("", "text_blank"),
        ("   ", "text_blank"),
        ("\u200b\u200c\ufeff", "text_blank"),
        ("ก" * 11, "text_too_long"),
    ],
)
def test_free_text_refused(raw: str, code: str) -> None:
    assert code_of(rules.free_text, raw, field="title", max_length=10) == code
    if code != "text_too_long" and raw != "\ud800":  # the pattern states the same, length
        # and lone surrogates aside (no JSON Schema pattern can name one)
        assert not re.fullmatch(rules.text_pattern(), raw)


@pytest.mark.parametrize(
    "raw", ["แผน", " a ", "a\u200bb", "\u00a0x", "ชื่อ {x}", "\U0001f600", "\ue000"]
)
def test_free_text_and_its_pattern_agree_on_good_text(raw: str) -> None:
    assert rules.free_text(raw, field="t", max_length=50)
    assert re.fullmatch(rules.text_pattern(), raw)


def test_multiline_text_keeps_newlines_only_where_allowed() -> None:
    assert rules.free_text("a\rb", field="c", max_length=9, multiline=True) == "a\nb"
    assert re.fullmatch(rules.text_pattern(multiline=True), "a\r\nb")
    assert not re.fullmatch(rules.text_pattern(multiline=True), "a\tb")
    assert code_of(rules.free_text, "a\tb", field="c", max_length=9, multiline=True) == (
        "text_control_character"
    )


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2018, 10, 25), date(2199, 12, 31)])
def test_legal_dates_in_range(day: date) -> None:
    assert rules.legal_date(day, field="d") == day


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1999, 12, 31), date(2200, 1, 1), date.max])
def test_legal_dates_out_of_range(day: date) -> None:
    assert code_of(rules.legal_date, day, field="d") == "date_out_of_range"


def test_effective_dates() -> None:
    kw = {"today": date(2018, 10, 25), "trigger_on": date(2018, 9, 20)}
    assert rules.effective_date(date(2018, 10, 25), previous_on=date(2018, 10, 1), **kw)
    assert rules.effective_date(date(2018, 9, 20), previous_on=None, **kw)
    assert code_of(rules.effective_date, date(2018, 10, 26), previous_on=None, **kw) == (
        "effective_in_future"
    )
    assert code_of(rules.effective_date, date(2018, 9, 19), previous_on=None, **kw) == (
        "effective_before_trigger"
    )
    assert code_of(
        rules.effective_date, date(2018, 10, 1), previous_on=date(2018, 10, 2), **kw
    ) == ("effective_before_previous")
    assert code_of(rules.effective_date, date(1, 1, 1), previous_on=None, **kw) == (
        "date_out_of_range"
    )


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("0", Decimal("0.00")), ("1234567.8", Decimal("1234567.80")), (10**12, Decimal(10**12))],
)
def test_money_accepted(raw: object, clean: Decimal) -> None:
    assert rules.money(raw, field="budget_baht") == clean  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("NaN", "money_out_of_range"),
        ("Infinity", "money_out_of_range"),
        (float("inf"), "money_out_of_range"),
        ("1e999999", "money_out_of_range"),
        ("-5", "money_out_of_range"),
        (10**12 + 1, "money_out_of_range"),
        ("abc", "money_out_of_range"),
        ("10.005", "money_fraction"),
    ],
)
def test_money_refused(raw: object, code: str) -> None:
    assert code_of(rules.money, raw, field="budget_baht") == code


def test_fiscal_years() -> None:
    assert rules.fiscal_year(2562) == 2562
    assert rules.fiscal_year(2543) == 2543 and rules.fiscal_year(2742) == 2742
    assert code_of(rules.fiscal_year, 2542) == "fiscal_year_out_of_range"
    assert code_of(rules.fiscal_year, 2222 * 1000) == "fiscal_year_out_of_range"
    assert rules.fiscal_year(" 2562 ") == 2562
    for typed in ("²²²²", "๒๕๖๒", "2562.0", "", "25620"):
        assert code_of(rules.fiscal_year, typed) == "fiscal_year_out_of_range"


def test_provinces() -> None:
    assert len(PROVINCES) == 77
    assert {"กรุงเทพมหานคร", "พิจิตร", "บึงกาฬ", "พระนครศรีอยุธยา"} <= PROVINCES
    assert rules.province(" พิจิตร ") == "พิจิตร"
    assert code_of(rules.province, "พิจิตร จังหวัด") == "province_unknown"
    assert code_of(rules.province, "Phichit") == "province_unknown"


def test_duplicates_are_folded_in_first_seen_order() -> None:
    assert rules.distinct(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]
    assert rules.places([" บอร์ด ", "", "บอร์ด", "เว็บไซต์"]) == ("บอร์ด", "เว็บไซต์")
    assert code_of(rules.places, ["x"] * 21) == "too_many_items"


def test_the_stated_date_pattern_is_exactly_the_legal_dates() -> None:
    """api/schemas/rules.LEGAL_DATE_PATTERN: every legal date, and only real days of
    2000–2199 (30-day months, February, leap years; 2100 is not one)."""
    from datetime import timedelta

    from api.schemas.rules import LEGAL_DATE_PATTERN

    pattern = re.compile(LEGAL_DATE_PATTERN)
    day, matched = rules.LEGAL_DATE_MIN, 0
    while day <= rules.LEGAL_DATE_MAX:
        assert pattern.fullmatch(day.isoformat()), day
        day, matched = day + timedelta(days=1), matched + 1
    candidates = (f"{y}-{m:02d}-{d:02d}" for y in (1999, 2100, 2104, 2200) for m in range(1, 14)
                  for d in range(32))
    for text in candidates:
        if pattern.fullmatch(text):
            assert rules.LEGAL_DATE_MIN <= date.fromisoformat(text) <= rules.LEGAL_DATE_MAX
    assert matched == 73049
