"""Export then import gives the same content hash (docs/domain.md "Spreadsheets")."""

from __future__ import annotations

import dataclasses
import io

from bench.content_data import demo_content
from documents.workbook_import import import_workbook
from documents.workbook_safety import Limits
from documents.workbook_write import Heading, write_workbook
from workflow import content_model as cm

HEADING = Heading(2569, "องค์การบริหารส่วนตำบลตัวอย่าง")


def test_export_then_import_is_the_same_content() -> None:
    content = demo_content(64)
    data = write_workbook(content, HEADING)
    back = import_workbook(data, current=cm.EMPTY, limits=Limits())
    assert cm.to_data(back) == cm.to_data(content)
    assert cm.content_hash(back) == cm.content_hash(content)


def test_text_that_looks_like_a_formula_stays_text() -> None:
    content = demo_content(3)
    odd = dataclasses.replace(content.projects[0], name="=HYPERLINK(\"x\")", activity="=1+1")
    content = dataclasses.replace(content, projects=(odd, *content.projects[1:]))
    back = import_workbook(write_workbook(content, HEADING), current=cm.EMPTY, limits=Limits())
    assert cm.content_hash(back) == cm.content_hash(content)


def test_the_export_is_a4_landscape_with_print_titles_and_values_only() -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(write_workbook(demo_content(10), HEADING)))
    assert book.sheetnames[:3] == ["ผด.01", "ผด.02", "ผด.02-1"]
    sheet = book["ผด.02"]
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.print_title_rows == "$5:$6"
    assert sheet["G5"].value == "พ.ศ. 2568" and sheet["J5"].value == "พ.ศ. 2569"
    first = next(r for r in range(7, 40) if isinstance(sheet.cell(r, 1).value, int))
    assert sheet.cell(first, 2).font.name == "TH SarabunPSK"
    assert sheet.cell(first, 7).fill.fill_type in ("solid", None)
    for name in book.sheetnames:
        for row in book[name].iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_the_content_helpers_content_round_trips_too() -> None:
    from tests.content_factories import content_of

    content = content_of(61)
    back = import_workbook(write_workbook(content, HEADING), current=cm.EMPTY, limits=Limits())
    assert cm.content_hash(back) == cm.content_hash(content)
