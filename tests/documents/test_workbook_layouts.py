"""The layouts the reader meets (docs/domain.md "Spreadsheets"), each built as a real .xlsx."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from documents.workbook_import import import_workbook
from documents.workbook_safety import Limits, WorkbookRefused
from tests.documents.helpers import MONTHS, book_bytes, rows
from workflow import content_model as cm

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "pd02-sample.xlsx"


def _read(data: bytes, current: cm.Content = cm.EMPTY) -> cm.Content:
    return import_workbook(data, current=current, limits=Limits())


def test_the_sample_reads_with_its_bars_thai_digits_and_totals() -> None:
    content = _read(SAMPLE.read_bytes())
    assert [s.number for s in content.strategies] == [1, 2]
    first, second, lunch, festival = content.projects
    assert first.budget_baht == Decimal("495000.00") and first.months == (1, 2, 3)
    assert second.months == (11, 12) and festival.months == (11,)
    assert lunch.months == cm.FISCAL_MONTHS and lunch.location == "ศพด.เทศบาล"
    assert first.programme == "แผนงานเคหะและชุมชน"
    assert [e.type for e in content.equipment] == ["ครุภัณฑ์คอมพิวเตอร์", "ครุภัณฑ์สำนักงาน"]


def _other_layout(sheet: Any) -> None:
    """One header row with the months in it, columns in another order, groups under the
    header, a tactic, a project over two rows, marks of every kind, a merged bar."""
    from openpyxl.styles import PatternFill

    rows(sheet, [
        ["บัญชีโครงการ/กิจกรรม/งบประมาณ"],
        ["ลำดับที่", "ชื่อโครงการ", "รายละเอียดกิจกรรม", "หน่วยงานรับผิดชอบหลัก",
         "สถานที่ดำเนินการ", "งบประมาณ (บาท)", *MONTHS],
        ["ยุทธศาสตร์ที่ ๓ การพัฒนาด้านสังคม"],
        ["แนวทางที่ 2 ส่งเสริมสุขภาพ"],
        ["แผนงานสาธารณสุข"],
        ["๑", "รณรงค์ป้องกันโรคไข้เลือดออก", "พ่นหมอกควัน", "กองสาธารณสุข", "ทุกหมู่บ้าน",
         "๑๒,๕๐๐", "✓", None, "x", "X"],
        [None, "ในชุมชน", "และแจกทรายอะเบท"],
        ["2", "ฝึกอบรม อสม.", "อบรม 60 คน", "กองสาธารณสุข", "ห้องประชุม", 30000.5,
         None, None, None, None, "←"],
        [3, "ตรวจสุขภาพผู้สูงอายุ", "ตรวจคัดกรอง", "กองสาธารณสุข", "รพ.สต.", "1,000"],
        [None, "รวม", None, None, None, 43500.5],
    ], start=1)  # fmt: skip
    sheet.cell(8, 14, "→")  # the arrows' ends: ก.พ. to พ.ค. (cells between left empty)
    sheet.cell(9, 16, "——")  # ก.ค. and ส.ค. merged into one bar
    sheet.merge_cells("P9:Q9")
    sheet.cell(9, 9).fill = PatternFill(fill_type="solid", fgColor="FFFF0000")  # ธ.ค. filled


def test_another_layout_reads_by_header_text() -> None:
    content = _read(book_bytes(_other_layout))
    assert content.strategies[0].number == 3 and content.strategies[0].name == "การพัฒนาด้านสังคม"
    dengue, training, elderly = content.projects
    assert dengue.name == "รณรงค์ป้องกันโรคไข้เลือดออก ในชุมชน"
    assert dengue.activity == "พ่นหมอกควัน\nและแจกทรายอะเบท"
    assert dengue.number == 1 and dengue.budget_baht == Decimal("12500.00")
    assert dengue.months == (10, 12, 1) and dengue.unit == "กองสาธารณสุข"
    assert dengue.tactic == "แนวทางที่ 2 ส่งเสริมสุขภาพ" and dengue.programme == "แผนงานสาธารณสุข"
    assert training.months == (2, 3, 4, 5) and training.budget_baht == Decimal("30000.50")
    assert elderly.months == (12, 7, 8)


def test_a_total_that_does_not_match_is_a_problem() -> None:
    def fill(sheet: Any) -> None:
        _other_layout(sheet)
        sheet.cell(10, 6, 99)

    with pytest.raises(WorkbookRefused) as caught:
        _read(book_bytes(fill))
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.code) == (
        "ผด.02", 10, "F", "workbook_total_mismatch")  # fmt: skip
    assert "ยอดรวม" in problem.th and "total" in problem.en


def test_every_problem_is_listed_with_its_place() -> None:
    from openpyxl.styles import PatternFill

    def fill(sheet: Any) -> None:
        _other_layout(sheet)
        sheet.cell(6, 6, "หนึ่งหมื่น")  # not a number
        sheet.cell(8, 2).value = None  # no name
        sheet.unmerge_cells("P9:Q9")
        sheet.cell(9, 2).value = None
        for c in range(7, 19):
            sheet.cell(9, c).value = None
        sheet.cell(9, 9).fill = PatternFill(fill_type=None)

    with pytest.raises(WorkbookRefused) as caught:
        _read(book_bytes(fill))
    found = {(p.row, p.column, p.code) for p in caught.value.problems}
    assert found == {(6, "F", "money_out_of_range"), (8, "B", "text_blank"),
                     (9, "B", "text_blank"), (9, "G", "months_empty")}  # fmt: skip


def test_a_procurement_plan_is_refused_with_why() -> None:
    def fill(sheet: Any) -> None:
        rows(sheet, [["แบบ ผด.2"], ["แผนการจัดหาพัสดุ ประจำปีงบประมาณ พ.ศ. 2569"],
                     ["ที่", "รายการ/จำนวน", "งบประมาณ", "วิธีจัดหา"]])  # fmt: skip

    with pytest.raises(WorkbookRefused) as caught:
        _read(book_bytes(fill))
    assert caught.value.reason_code == "workbook_procurement"
    assert "แผนการจัดหาพัสดุ" in caught.value.problems[0].th


def test_ids_are_kept_for_projects_with_the_same_name_place_and_group() -> None:
    first = _read(SAMPLE.read_bytes())
    again = _read(SAMPLE.read_bytes(), current=first)
    assert [p.id for p in again.projects] == [p.id for p in first.projects]
    assert [s.id for s in again.strategies] == [s.id for s in first.strategies]
    assert cm.content_hash(again) == cm.content_hash(first)
