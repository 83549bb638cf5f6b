"""The monitoring report as PDF and .xlsx (docs/domain.md "The report's figures"): the PDF of
tests/report_world.py's plan reads back in Thai (the corrected text layer: ดำเนินการ with its
SARA AM) with the hand-counted figures, renders to a page that is not blank; the workbook
reopens with openpyxl with numbers as numbers, money with two decimals and "—" for a
percentage of nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from documents.pdf_report import render_report_pdf
from documents.pdf_text import extract_text
from documents.workbook_report import report_workbook
from models.clock import FixedClock
from tests.factories import Office
from tests.report_world import build_world
from workflow.commands import Context
from workflow.report_figures import ReportFigures, ReportHeading, report_figures

HEADING = ReportHeading(
    "องค์การบริหารส่วนตำบลแหลมรัง", 2562, "half", date(2019, 3, 31),
    "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562",
)  # fmt: skip


@pytest.fixture
def figures(engine: Engine, ctx: Context, clock: FixedClock, office: Office) -> ReportFigures:
    plan_id, _ = build_world(engine, ctx, clock, office)
    with Session(engine) as session:
        return report_figures(session, plan_id, date(2019, 3, 31))


def test_the_pdf_reads_back_in_thai_with_the_figures(figures: ReportFigures) -> None:
    import pypdfium2  # type: ignore[import-untyped]

    pdf = render_report_pdf(
        figures,
        heading=HEADING,
        findings="การดำเนินงานเป็นไปตามแผน\nการเบิกจ่ายยังล่าช้าในยุทธศาสตร์ที่ 2",
        recommendations="ควรเร่งรัดการเบิกจ่ายงบประมาณ",
    )
    text = extract_text(pdf)
    flat, compact = " ".join(text.split()), "".join(text.split())  # cells wrap lines
    for expected in (
        "รายงานผลการติดตามและประเมินผลแผนการดำเนินงาน",
        "รอบ 6 เดือน (ตุลาคม 2561 – มีนาคม 2562)",
        "ข้อมูล ณ วันที่ 31 มีนาคม พ.ศ. 2562",
        "รวมทั้งแผน 61 21 34.43 13 21.31 21 34.43 6 9.84",
        "รวมทั้งแผน 40 17 42.50 13 32.50 7 17.50 3 7.50",
        "0 0 — 0 — 0 — 0 —",
        "4,886,666.63 3,500,000.00 2,873,333.33 2,247,341.63 45.99",
        "อยู่ระหว่างดำเนินการ",
        "ครุภัณฑ์ (ผด.02/1)",
        "การเบิกจ่ายยังล่าช้าในยุทธศาสตร์ที่ 2",
        "ควรเร่งรัดการเบิกจ่ายงบประมาณ",
    ):
        assert expected in flat or (" " not in expected and expected in compact), expected
    doc = pypdfium2.PdfDocument(pdf)
    width, height = doc[0].get_size()
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    image = doc[0].render(scale=2).to_pil().convert("L")
    assert image.size == (1684, 1190) or image.size == (1684, 1191)
    dark = sum(image.histogram()[:128])
    assert dark > 20000  # the tables are drawn, not a blank page


def test_the_workbook_holds_numbers_and_dashes(figures: ReportFigures) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(report_workbook(figures, heading=HEADING)))
    assert book.sheetnames == ["สรุปผล", "รายโครงการ"]
    summary = book["สรุปผล"]
    assert summary["A3"].value == "ข้อมูล ณ วันที่ 31 มีนาคม พ.ศ. 2562"
    headers = [c.value for c in summary[4]]
    assert headers[:4] == ["ยุทธศาสตร์", "โครงการในแผน", "ได้รับอนุมัติงบประมาณ", "แล้วเสร็จ (จำนวน)"]
    rows = {r[0].value: r for r in summary.iter_rows(min_row=5) if r[0].value}
    overall = [c.value for c in rows["รวมทั้งแผน"]]
    assert overall[:7] == ["รวมทั้งแผน", 61, 40, 21, 34.43, 17, 42.5]
    assert overall[19:] == [4886666.63, 3500000.0, 2873333.33, 2247341.63, 45.99]
    assert rows["รวมทั้งแผน"][19].number_format == "#,##0.00"
    empty = [c.value for c in rows["4. การพัฒนาด้านการบริหารจัดการ"]]
    assert empty[1:5] == [0, 0, 0, "—"] and empty[-1] == "—"
    equipment = [c.value for c in rows["ครุภัณฑ์ (ผด.02/1)"]]
    assert equipment[1:5] == [3, 3, 1, 33.33] and equipment[-2] == 43900.0
    listing = list(book["รายโครงการ"].iter_rows(min_row=5, values_only=True))
    assert len(listing) == 64
    assert listing[12][7:10] == ("อยู่ระหว่างดำเนินการ", 80000.0, 40000.25)
    assert listing[20][7] == "ยังไม่ได้ดำเนินการ" and listing[20][10] == "-"
