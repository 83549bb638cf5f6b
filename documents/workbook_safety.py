"""What a spreadsheet file must be before openpyxl opens it (docs/domain.md "Spreadsheets"):
an .xlsx (a zip with the spreadsheet content type), not macro-enabled, not encrypted, within
the size setting, not a zip bomb. Only `zipfile` here: nothing is parsed as a workbook yet.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from workflow.content_model import Problem
from workflow.errors import Reason, ValidationFailed

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # CFB: an encrypted .xlsx or an old .xls
ZIP_MAGIC = b"PK\x03\x04"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
# A real workbook compresses text about 5-20 times; beyond this, it is built to explode.
MAX_RATIO = 100
MAX_UNPACKED = 20  # and whatever the ratio, at most 20 times the size setting unpacked
# A cell with a formula (<f>), its reference and its body; a cached value is a non-empty <v>.
_FORMULA_CELL = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>((?:(?!</c>).)*?<f[ >/](?:(?!</c>).)*?)</c>', re.DOTALL
)
_CACHED = re.compile(rb"<v>[^<]+</v>")


@dataclass(frozen=True)
class Limits:
    """The size settings (api/settings.py `workbook_max_bytes`, `workbook_max_rows`)."""

    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 20_000


@dataclass(frozen=True)
class FileReason(Reason):
    """A reason with where in the file it is (the API's problem lists these)."""

    sheet: str = ""
    row: int | None = None
    column: str | None = None


class WorkbookRefused(ValidationFailed):
    """The file is not one the reader opens, or what it holds cannot be imported (422
    `workbook_invalid`); `reason_code` is the specific reason, `problems` every one of them
    (sheet, row, column, Thai and English)."""

    code: ClassVar[str] = "workbook_invalid"

    def __init__(self, reason_code: str, problems: list[Problem]) -> None:
        super().__init__(
            [FileReason(p.code, p.th, p.en, p.sheet, p.row, p.column) for p in problems]
        )
        self.reason_code = reason_code
        self.problems = problems


def refuse(code: str, th: str, en: str, *, sheet: str = "", row: int | None = None) -> (
    WorkbookRefused
):
    return WorkbookRefused(code, [Problem(sheet, row, None, code, th, en)])


def check_archive(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """The opened archive when `data` is a plain .xlsx within the limits; else refused."""
    if len(data) > limits.max_bytes:
        mb = limits.max_bytes / 1024 / 1024
        raise refuse(
            "workbook_too_large", f"ไฟล์ใหญ่เกิน {mb:g} MB",
            f"the file is larger than {mb:g} MB",
        )  # fmt: skip
    if data.startswith(OLE2_MAGIC):
        raise refuse(
            "workbook_encrypted",
            "ไฟล์มีรหัสผ่านหรือเป็นไฟล์ .xls รุ่นเก่า: กรุณาเอารหัสผ่านออกแล้วบันทึกเป็น .xlsx",
            "the file is password-protected or an old .xls: remove the password, save as .xlsx",
        )
    if not data.startswith(ZIP_MAGIC):
        raise _not_xlsx()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        raise _not_xlsx() from None
    _check_members(archive, names, data, limits)
    return archive


def _not_xlsx() -> WorkbookRefused:
    return refuse(
        "workbook_not_xlsx", "ไฟล์ไม่ใช่ไฟล์ Excel (.xlsx)", "the file is not an Excel .xlsx file"
    )


def _check_members(archive: zipfile.ZipFile, names: set[str], data: bytes, limits: Limits) -> (
    None
):
    total = sum(info.file_size for info in archive.infolist())
    if total > min(MAX_RATIO * len(data), MAX_UNPACKED * limits.max_bytes):
        raise refuse(
            "workbook_zip_bomb",
            "ไฟล์ขยายตัวเมื่อแตกออกมากผิดปกติ (อาจเป็นไฟล์อันตราย)",
            f"the file unpacks to {total} bytes, far beyond its own size",
        )  # fmt: skip
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _not_xlsx()
    types = archive.read("[Content_Types].xml")
    if "xl/vbaProject.bin" in names or MACRO_MAIN.encode() in types:
        raise refuse(
            "workbook_macro",
            "ไฟล์มีมาโคร (.xlsm): กรุณาบันทึกเป็น .xlsx ที่ไม่มีมาโคร",
            "the file is macro-enabled (.xlsm): save it as a plain .xlsx",
        )
    if XLSX_MAIN.encode() not in types:
        raise _not_xlsx()
    _check_doctype(archive, names)
    for name in names:
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            rows = archive.read(name).count(b"<row ")
            if rows > limits.max_rows:
                raise refuse(
                    "workbook_too_many_rows",
                    f"ไฟล์มีแถวเกิน {limits.max_rows:,} แถว",
                    f"a sheet has {rows:,} rows, more than the {limits.max_rows:,} allowed",
                )  # fmt: skip


def _check_doctype(archive: zipfile.ZipFile, names: set[str]) -> None:
    """No part declares a DTD: a workbook never needs one, and entities defined in one are
    how an XML bomb (billion laughs) or an external-entity read is built. The declaration
    precedes the root element, so the head of each part is enough."""
    for name in names:
        if name.endswith((".xml", ".rels")):
            with archive.open(name) as part:
                head = part.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise refuse(
                    "workbook_unsafe_xml",
                    "ไฟล์มีการประกาศ DTD ในเนื้อ XML ซึ่งไฟล์ Excel ปกติไม่มี (อาจเป็นไฟล์อันตราย)",
                    f"the part {name} declares a DTD, which no spreadsheet needs",
                )  # fmt: skip


def formulas_without_values(archive: zipfile.ZipFile) -> Iterator[tuple[str, str]]:
    """(part name, cell) of each formula cell holding no cached value: it would read as
    empty, so the import refuses it rather than guess."""
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        xml = archive.read(name)
        if b"<f" not in xml:
            continue
        for match in _FORMULA_CELL.finditer(xml):
            if _CACHED.search(match.group(2)) is None:
                yield name, match.group(1).decode()
