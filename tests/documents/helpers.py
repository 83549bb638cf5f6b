"""Workbooks built with openpyxl as offices lay them out, for the reader's tests."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

MONTHS = ("ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.",
          "ก.ย.")  # fmt: skip


def book_bytes(fill: Callable[[Any], None], title: str = "ผด.02") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    fill(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rows(sheet: Any, values: list[list[Any]], start: int = 1) -> None:
    for r, row in enumerate(values, start=start):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(r, c, value)
