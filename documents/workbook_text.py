"""How the ผด. sheets write things, as the reader recognizes them (docs/domain.md
"Spreadsheets"): header texts, month names, Thai digits, group rows, amounts as text.
Pure: no openpyxl."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
ID_HEADER = "รหัส localplan"  # the hidden id column of localplan's own export
META_SHEET = "ข้อมูลอื่น (localplan)"
MONTHS: dict[str, int] = {
    "ตค": 10, "พย": 11, "ธค": 12, "มค": 1, "กพ": 2, "มีค": 3,
    "เมย": 4, "พค": 5, "มิย": 6, "กค": 7, "สค": 8, "กย": 9,
    "ตุลาคม": 10, "พฤศจิกายน": 11, "ธันวาคม": 12, "มกราคม": 1, "กุมภาพันธ์": 2, "มีนาคม": 3,
    "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6, "กรกฎาคม": 7, "สิงหาคม": 8, "กันยายน": 9,
}  # fmt: skip
START_ARROWS = frozenset("◄←<⟵◀")
END_ARROWS = frozenset("►→>⟶▶")
_STRATEGY = re.compile(r"^ยุทธศาสตร์(?:การพัฒนา)?(?:ที่)?\s*([0-9]+)?\s*[.:]?\s*(.*)$", re.DOTALL)
PROCUREMENT = ("แผนการจัดหาพัสดุ", "แบบ ผด.2 ", "วิธีจัดหา")
STOP_WORDS = ("หมายเหตุ", "ลงชื่อ", "(ลงชื่อ)", "ผู้จัดทำ", "ผู้ตรวจสอบ", "ผู้อนุมัติ")


def squash(value: Any) -> str:
    """A header cell's text without spaces, newlines or dots: what matching compares."""
    if value is None:
        return ""
    return re.sub(r"[\s.]", "", str(value).translate(THAI_DIGITS))


def text(value: Any) -> str:
    """A cell as text, Thai digits kept (names are written as the office wrote them)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def header_field(value: Any, *, equipment: bool) -> str | None:
    """The content field a header cell names, if any."""
    s = squash(value)
    if not s:
        return None
    if s in ("ที่", "ลำดับ", "ลำดับที่"):
        return "number"
    if s == squash(ID_HEADER):
        return "id"
    rules: tuple[tuple[str, str], ...] = (
        ("รายละเอียด", "activity"), ("เป้าหมาย", "target"), ("งบประมาณ", "budget_baht"),
        ("สถานที่", "location"), ("หน่วยงาน", "unit"), ("หมวด", "category"),
        ("ประเภท", "type"),
    )  # fmt: skip
    for needle, name in rules:
        if needle in s:
            return name
    if equipment and s.startswith("แผนงาน"):
        return "programme"
    if s.startswith("โครงการ") or s.startswith("ชื่อโครงการ"):
        return "name"
    return None


def month_of(value: Any) -> int | None:
    return MONTHS.get(re.sub(r"[0-9]", "", squash(value)).replace("พศ", ""))


def strategy_row(line: str) -> tuple[int | None, str] | None:
    """(number, name) when the line names a ยุทธศาสตร์."""
    match = _STRATEGY.match(line.translate(THAI_DIGITS))
    if match is None:
        return None
    number = int(match.group(1)) if match.group(1) else None
    return number, line[match.start(2) :].strip() if match.group(2) else ""


def whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    s = str(value).translate(THAI_DIGITS).strip().rstrip(".")
    return int(s) if s.isdigit() else None


def amount(value: Any) -> Decimal | str | None:
    """Baht from a number cell or text with commas, Thai digits or "บาท"; the raw text when it
    is no number (the money rule then says why); None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    s = str(value).translate(THAI_DIGITS).replace(",", "").replace("บาท", "").strip()
    try:
        return Decimal(s)
    except InvalidOperation:
        return str(value)


def is_mark(value: Any) -> bool:
    return value is not None and str(value).strip() != ""
