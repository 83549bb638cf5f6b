"""The plan as one .xlsx in the office layouts (docs/domain.md "Spreadsheets"): ผด.01, ผด.02
and ผด.02/1 on A4 landscape with print titles, group rows, month bars as filled cells under
the two พ.ศ. year headers, totals as values (no formula), a Thai font; and the sheet of what
the layout has no column for, so that reading the file back gives the same content hash."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from documents import workbook_text as t
from documents.workbook_meta import group_label, meta_rows
from documents.workbook_parse import letter
from workflow.content_model import FISCAL_MONTHS, MONTH_ABBR, Content, Equipment, Project
from workflow.summary import summarize

FONT = "TH SarabunPSK"
BAR = "FF4F81BD"
PROJECT_HEADERS = (
    "ที่", "โครงการ", "รายละเอียดของกิจกรรม\nที่เกิดขึ้นจากโครงการ", "งบประมาณ\n(บาท)",
    "สถานที่\nดำเนินการ", "หน่วยงาน\nรับผิดชอบหลัก",
)  # fmt: skip
EQUIPMENT_HEADERS = (
    "ที่", "แผนงาน", "หมวด", "ประเภท", "เป้าหมาย\n(ผลผลิตของครุภัณฑ์)", "งบประมาณ\n(บาท)",
    "สถานที่\nดำเนินการ", "หน่วยงาน\nรับผิดชอบหลัก",
)  # fmt: skip
WIDTHS = {"ที่": 5, "โครงการ": 30, "แผนงาน": 22, "หมวด": 12, "ประเภท": 18}


@dataclass(frozen=True)
class Heading:
    """What the title rows say: the fiscal year (B.E.) and the office."""

    fiscal_year_be: int
    organization: str


def write_workbook(content: Content, heading: Heading) -> bytes:
    from openpyxl import Workbook  # heavy: only when a file is written

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ผด.01"
    _styles(book)
    _summary(sheet, content, heading)
    _projects(book.create_sheet("ผด.02"), content, heading)
    _equipment(book.create_sheet("ผด.02-1"), content, heading)
    meta = book.create_sheet(t.META_SHEET)
    for r, row in enumerate(meta_rows(content), start=1):
        for c, value in enumerate(row, start=1):
            _put(meta.cell(r, c), value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(cell: Any, value: Any, style: str | None = None) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text
    if style is not None:
        cell.style = style


def _styles(book: Any) -> None:
    """The named styles every cell takes one of (one assignment per cell: openpyxl looks a
    font, a border and an alignment up on each set)."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    plain, bold = Font(name=FONT, size=14), Font(name=FONT, size=14, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    money = "#,##0.00"
    for name, font, align, border, fill, number in (
        ("lp_title", bold, center, None, None, None),
        ("lp_head", bold, center, box, None, None),
        ("lp_body", plain, wrap, box, None, None),
        ("lp_money", plain, wrap, box, None, money),
        ("lp_month", plain, None, box, None, None),
        ("lp_bar", plain, None, box, PatternFill(fill_type="solid", fgColor=BAR), None),
        ("lp_group", bold, None, None, None, None),
        ("lp_total", bold, None, None, None, money),
        ("lp_line", plain, wrap, box, None, None),
        ("lp_line_bold", bold, wrap, box, None, None),
        ("lp_line_money", plain, wrap, box, None, money),
        ("lp_line_bold_money", bold, wrap, box, None, money),
    ):
        style = NamedStyle(name=name, font=font)
        if align is not None:
            style.alignment = align
        if border is not None:
            style.border = border
        if fill is not None:
            style.fill = fill
        if number is not None:
            style.number_format = number
        book.add_named_style(style)


def _page(sheet: Any, title_rows: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows


def _titles(sheet: Any, form: str, what: str, heading: Heading, width: int) -> None:
    lines = (form, what, f"แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. {heading.fiscal_year_be}",
             heading.organization)  # fmt: skip
    for i, line in enumerate(lines, start=1):
        _put(sheet.cell(i, 1), line, "lp_title")
        sheet.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)


def _header(sheet: Any, r: int, labels: tuple[str, ...], heading: Heading) -> None:
    """Two header rows: the fields merged down, the months under their two พ.ศ. years."""
    first_month = len(labels) + 1
    for c, label in enumerate(labels, start=1):
        sheet.cell(r, c, label)
        sheet.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
        sheet.column_dimensions[letter(c - 1)].width = WIDTHS.get(label, 16)
    sheet.cell(r, first_month, f"พ.ศ. {heading.fiscal_year_be - 1}")
    sheet.merge_cells(start_row=r, start_column=first_month, end_row=r, end_column=first_month + 2)
    sheet.cell(r, first_month + 3, f"พ.ศ. {heading.fiscal_year_be}")
    sheet.merge_cells(start_row=r, start_column=first_month + 3, end_row=r,
                      end_column=first_month + 11)  # fmt: skip
    for i, month in enumerate(FISCAL_MONTHS):
        sheet.cell(r + 1, first_month + i, MONTH_ABBR[month])
        sheet.column_dimensions[letter(first_month + i - 1)].width = 5
    for row in sheet.iter_rows(min_row=r, max_row=r + 1, max_col=first_month + 11):
        for cell in row:
            cell.style = "lp_head"
    id_col = first_month + 12
    sheet.cell(r, id_col, t.ID_HEADER)
    sheet.column_dimensions[letter(id_col - 1)].hidden = True


def _row(sheet: Any, r: int, values: list[Any], item: Project | Equipment, money: int) -> None:
    for c, value in enumerate(values, start=1):
        _put(sheet.cell(r, c), value, "lp_money" if c == money else "lp_body")
    first_month = len(values) + 1
    for i, month in enumerate(FISCAL_MONTHS):
        sheet.cell(r, first_month + i).style = "lp_bar" if month in item.months else "lp_month"
    sheet.cell(r, first_month + 12, item.id)


def _group(sheet: Any, r: int, line: str, width: int) -> None:
    _put(sheet.cell(r, 1), line, "lp_group")
    sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)


def _total(sheet: Any, r: int, budget_col: int, total: Decimal) -> None:
    _put(sheet.cell(r, 1), "รวม", "lp_group")
    _put(sheet.cell(r, budget_col), total, "lp_total")


def _projects(sheet: Any, content: Content, heading: Heading) -> None:
    width = len(PROJECT_HEADERS) + 12
    _titles(sheet, "แบบ ผด.02", "บัญชีโครงการ/กิจกรรม/งบประมาณ", heading, width)
    _header(sheet, 5, PROJECT_HEADERS, heading)
    _page(sheet, "5:6")
    r, group, block = 7, None, Decimal(0)
    names = {s.id: f"ยุทธศาสตร์ที่ {s.number} {s.name}" for s in content.strategies}
    for p in content.projects:
        key = (p.strategy_id, p.tactic, p.programme)
        if key != group:
            if group is not None:
                _total(sheet, r, 4, block)
                r, block = r + 1, Decimal(0)
            r = _groups(sheet, r, p, group, names, width)
            group = key
        _row(sheet, r, [p.number, p.name, p.activity, p.budget_baht, p.location, p.unit], p, 4)
        r, block = r + 1, block + p.budget_baht
    if group is not None:
        _total(sheet, r, 4, block)


def _groups(sheet: Any, r: int, p: Project, group: Any, names: dict[str, str], width: int) -> (
    int
):
    if group is None or group[0] != p.strategy_id:
        _group(sheet, r, names.get(p.strategy_id, "ยุทธศาสตร์"), width)
        r += 1
    if p.tactic is not None and (group is None or group[:2] != (p.strategy_id, p.tactic)):
        _group(sheet, r, group_label(("กลยุทธ์", "แนวทาง"), p.tactic), width)
        r += 1
    _group(sheet, r, group_label(("แผนงาน",), p.programme), width)
    return r + 1


def _equipment(sheet: Any, content: Content, heading: Heading) -> None:
    width = len(EQUIPMENT_HEADERS) + 12
    _titles(sheet, "แบบ ผด.02/1", "บัญชีครุภัณฑ์สำหรับที่ไม่ได้ดำเนินการตามโครงการพัฒนาท้องถิ่น",
            heading, width)  # fmt: skip
    _header(sheet, 5, EQUIPMENT_HEADERS, heading)
    _page(sheet, "5:6")
    r = 7
    for e in content.equipment:
        values = [e.number, e.programme, e.category, e.type, e.target, e.budget_baht,
                  e.location, e.unit]  # fmt: skip
        _row(sheet, r, values, e, 6)
        r += 1
    if content.equipment:
        _total(sheet, r, 6, sum((e.budget_baht for e in content.equipment), Decimal(0)))


def _summary(sheet: Any, content: Content, heading: Heading) -> None:
    _titles(sheet, "แบบ ผด.01", "บัญชีสรุปจำนวนโครงการและงบประมาณ", heading, 6)
    labels = ("ยุทธศาสตร์/แผนงาน", "จำนวนโครงการ", "คิดเป็นร้อยละของโครงการทั้งหมด",
              "จำนวนงบประมาณ", "คิดเป็นร้อยละของงบประมาณทั้งหมด", "หน่วยดำเนินการ")  # fmt: skip
    for c, label in enumerate(labels, start=1):
        _put(sheet.cell(5, c), label, "lp_head")
        sheet.column_dimensions[letter(c - 1)].width = 40 if c in (1, 6) else 16
    _page(sheet, "5:5")
    summary = summarize(content)
    r = 6
    for line in summary.strategies:
        for item, bold in ((line.total, True), *((p, False) for p in line.programmes)):
            _summary_line(sheet, r, item, bold)
            r += 1
    _summary_line(sheet, r, summary.total, True)


def _summary_line(sheet: Any, r: int, line: Any, bold: bool) -> None:
    values = (line.name, line.projects, line.projects_percent, line.budget_baht,
              line.budget_percent, ", ".join(line.units))  # fmt: skip
    base = "lp_line_bold" if bold else "lp_line"
    for c, value in enumerate(values, start=1):
        _put(sheet.cell(r, c), value, f"{base}_money" if c in (3, 4, 5) else base)
