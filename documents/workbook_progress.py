"""The progress sheet as .xlsx (docs/domain.md "Progress"): written with one row per project
and equipment row of the plan in force (its id, kind, group, name, planned budget and its
latest progress), and read back filled in. Reading checks the file first
(documents/workbook_safety.py), finds the header row by its Thai headers, and turns each row
that names an item into a `progress.Line` (sheet, row, a column letter per field); the
command checks them all and writes all or nothing (`workflow.progress.record_batch`)."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from documents.workbook_grid import Grid, read_grids
from documents.workbook_parse import letter
from documents.workbook_safety import Limits, WorkbookRefused, refuse
from models.organization import Organization
from models.thai_dates import format_be_numeric
from workflow.actors import Actor
from workflow.content_model import Problem
from workflow.progress import Item, Line, Sheet, read_sheet
from workflow.progress_rules import STATUS_LABELS, ItemKind, ProgressStatus

SHEET = "ความก้าวหน้า"
FONT = "TH SarabunPSK"
# (header, field, width): the field a column holds, None for what is shown only.
COLUMNS: tuple[tuple[str, str | None, int], ...] = (
    ("รหัสรายการ", "item_id", 12),
    ("ประเภท", None, 10),
    ("ยุทธศาสตร์/แผนงาน", None, 26),
    ("โครงการ/รายการ", None, 40),
    ("งบประมาณตามแผน (บาท)", None, 16),
    ("สถานะ", "status", 20),
    ("ก่อหนี้ผูกพัน (บาท)", "committed_baht", 16),
    ("เบิกจ่ายแล้ว (บาท)", "disbursed_baht", 16),
    ("วันที่เริ่ม (วว/ดด/ปปปป)", "started_on", 14),
    ("วันที่แล้วเสร็จ (วว/ดด/ปปปป)", "finished_on", 14),
    ("ข้อมูล ณ วันที่ (วว/ดด/ปปปป)", "as_of", 14),
    ("หมายเหตุ", "note", 30),
)
HEADER_ROW = 4  # 1-based: two title rows, a hint, then the headers
KIND_TH = {ItemKind.PROJECT: "โครงการ", ItemKind.EQUIPMENT: "ครุภัณฑ์"}
LETTERS = "ABCDEFGHIJKL"


def write_progress(sheet: Sheet, *, organization: str) -> bytes:
    """The sheet as one .xlsx, its latest progress filled in where there is any."""
    from openpyxl import Workbook  # heavy: only when a file is written
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = SHEET
    bold = Font(name=FONT, size=16, bold=True)
    ws.append([f"ความก้าวหน้าการดำเนินงานตามแผนการดำเนินงาน ประจำปีงบประมาณ {sheet.fiscal_year_be}"])
    ws.append([organization])
    ws.append(["กรอกสถานะ จำนวนเงิน และวันที่ (ปี พ.ศ.) แล้วนำเข้ากลับ: ทุกแถวต้องถูกต้องจึงบันทึก"])
    ws.append([h for h, _, _ in COLUMNS])
    for cell in (ws["A1"], ws["A2"], *ws[HEADER_ROW]):
        cell.font = bold
    for item in sheet.items:
        ws.append(_row(item))
    for i, (_, _, width) in enumerate(COLUMNS):
        ws.column_dimensions[LETTERS[i]].width = width
    for row in ws.iter_rows(min_row=HEADER_ROW):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    labels = ",".join(th for th, _ in STATUS_LABELS.values())
    check = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
    ws.add_data_validation(check)
    check.add(f"F{HEADER_ROW + 1}:F{HEADER_ROW + max(len(sheet.items), 1)}")
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(item: Item) -> list[Any]:
    shown = [item.id, KIND_TH[item.kind], item.group, item.name, float(item.planned_baht)]
    latest = item.latest
    if latest is None:
        return [*shown, None, None, None, None, None, None, None]
    return [
        *shown,
        STATUS_LABELS[ProgressStatus(latest["status"])][0],
        float(latest["committed_baht"]),
        float(latest["disbursed_baht"]),
        _be(latest["started_on"]),
        _be(latest["finished_on"]),
        _be(latest["as_of"]),
        latest["note"],
    ]


def _be(day: date | None) -> str | None:
    return None if day is None else format_be_numeric(day)


def read_progress(data: bytes, *, limits: Limits) -> list[Line]:
    """The filled rows of the progress sheet (every row naming an item with any progress
    typed); `WorkbookRefused` when the file is unsafe or holds no progress sheet."""
    grids = read_grids(data, limits)
    for grid in grids:
        header = _header_row(grid)
        if header is not None:
            return _lines(grid, header)
    raise refuse(
        "workbook_wrong_layout",
        "ไม่พบตารางความก้าวหน้า (หัวตารางที่มี รหัสรายการ และ สถานะ)",
        "no progress sheet found (a header with รหัสรายการ and สถานะ)",
    )


def _header_row(grid: Grid) -> int | None:
    for r in range(min(len(grid.values), 12)):
        row = [str(v or "").strip() for v in grid.values[r]]
        if row[:1] == [COLUMNS[0][0]] and COLUMNS[5][0] in row:
            return r
    return None


def _lines(grid: Grid, header: int) -> list[Line]:
    names = [str(v or "").strip() for v in grid.values[header]]
    where = {f: names.index(h) for h, f, _ in COLUMNS if f is not None and h in names}
    columns = {f: letter(c) for f, c in where.items()}
    lines: list[Line] = []
    problems: list[Problem] = []
    for r in range(header + 1, len(grid.values)):
        data = {f: _cell(grid.value(r, c)) for f, c in where.items()}
        item_id = str(data.pop("item_id") or "").strip()
        if all(v is None for v in data.values()):
            continue  # a row left empty: the item is not touched
        if not item_id:
            problems.append(
                Problem(
                    grid.title,
                    r + 1,
                    columns.get("item_id", "A"),
                    "progress_row_without_id",
                    "แถวนี้ไม่มีรหัสรายการ (อย่าลบคอลัมน์รหัสรายการ)",
                    "the row has no item id (keep the id column)",
                )
            )
            continue
        lines.append(Line(item_id, data, grid.title, r + 1, columns))
    if problems:
        raise WorkbookRefused(problems[0].code, problems)
    return lines


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float | int) and not isinstance(value, bool):
        return Decimal(str(value))
    if isinstance(value, str):
        return value.strip() or None
    return value


def export_progress(session: Session, *, plan_id: int, actor: Actor) -> bytes:
    """The plan in force's progress sheet as .xlsx, for anyone who may see the plan."""
    sheet = read_sheet(session, plan_id=plan_id, actor=actor)
    org = session.get(Organization, sheet.organization_id)
    return write_progress(sheet, organization="" if org is None else org.name)
