"""Files the reader refuses before reading anything (docs/domain.md "Spreadsheets"): each a
clear reason code; nothing is written (the importer returns no content)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from documents.workbook_import import import_workbook
from documents.workbook_safety import OLE2_MAGIC, Limits, WorkbookRefused
from tests.documents.helpers import book_bytes, rows
from workflow import content_model as cm

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "pd02-sample.xlsx"


def _code(data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(WorkbookRefused) as caught:
        import_workbook(data, current=cm.EMPTY, limits=limits or Limits())
    problem = caught.value.problems[0]
    assert problem.th and problem.en
    return caught.value.reason_code


def _rezip(data: bytes, change: Any) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info.filename))
            if body is not None:
                dst.writestr(info.filename, body)
        extra = change("<extra>", b"")
        if extra:
            dst.writestr(*extra)
    return out.getvalue()


def test_not_a_spreadsheet() -> None:
    assert _code("ที่,โครงการ\n1,ถนน\n".encode()) == "workbook_not_xlsx"
    assert _code(_rezip(SAMPLE.read_bytes(), lambda n, b: None if n.startswith("[") else b)) == (
        "workbook_not_xlsx"
    )


def test_a_password_protected_file_is_ole2() -> None:
    assert _code(OLE2_MAGIC + b"\0" * 4096) == "workbook_encrypted"


def test_macro_enabled() -> None:
    def add_vba(name: str, body: bytes) -> Any:
        return ("xl/vbaProject.bin", b"vba") if name == "<extra>" else body

    assert _code(_rezip(SAMPLE.read_bytes(), add_vba)) == "workbook_macro"


def test_too_large_and_a_zip_bomb() -> None:
    data = SAMPLE.read_bytes()
    assert _code(data, Limits(max_bytes=len(data) - 1)) == "workbook_too_large"

    def bomb(name: str, body: bytes) -> Any:
        return ("xl/media/zeros.bin", b"\0" * 50_000_000) if name == "<extra>" else body

    bombed = _rezip(data, bomb)
    assert len(bombed) < 200_000
    assert _code(bombed) == "workbook_zip_bomb"


def test_more_rows_than_allowed() -> None:
    assert _code(SAMPLE.read_bytes(), Limits(max_rows=10)) == "workbook_too_many_rows"


def test_a_formula_without_a_cached_value() -> None:
    def fill(sheet: Any) -> None:
        rows(sheet, [["ที่", "โครงการ", "งบประมาณ"], [1, "ถนน", "=SUM(1,2)"]])

    with pytest.raises(WorkbookRefused) as caught:
        import_workbook(book_bytes(fill), current=cm.EMPTY, limits=Limits())
    assert caught.value.reason_code == "workbook_formula_without_value"
    assert caught.value.problems[0].column == "C2"


def test_the_wrong_sheet() -> None:
    def fill(sheet: Any) -> None:
        rows(sheet, [["ชื่อ", "นามสกุล"], ["สมชาย", "ใจดี"]])

    assert _code(book_bytes(fill, title="Sheet1")) == "workbook_wrong_layout"


def test_an_xml_part_declaring_entities() -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')  # fmt: skip

    def bomb(name: str, body: bytes) -> Any:
        if name == "xl/workbook.xml":
            return laughs + (body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body)
        return None if name == "<extra>" else body

    assert _code(_rezip(SAMPLE.read_bytes(), bomb)) == "workbook_unsafe_xml"
