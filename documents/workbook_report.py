"""The monitoring report's figures as .xlsx (docs/domain.md "The report's figures"): the sheet
สรุปผล (one row per strategy, the whole plan, then equipment apart: the counts with both
percentages and the money) and the sheet รายโครงการ (each project and equipment row as of the
date). Thai headers; counts and percentages are numbers, money numbers with two decimals; a
percentage of nothing is the text "—"."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from documents.report_view import STATUS_HEADERS, TITLE, long_day, round_label
from workflow.progress_rules import STATUS_LABELS
from workflow.report_figures import ItemFigure, ReportFigures, ReportHeading, Tally
from workflow.report_values import DASH, STATUSES

FONT = "TH SarabunPSK"
MONEY = "#,##0.00"
PERCENT = "0.00"
SUMMARY, LIST = "สรุปผล", "รายโครงการ"
HEADER_ROW = 4
SUMMARY_HEADERS = (
    "ยุทธศาสตร์",
    "โครงการในแผน",
    "ได้รับอนุมัติงบประมาณ",
    *(
        f"{s} {what}"
        for s in STATUS_HEADERS
        for what in ("(จำนวน)", "(ร้อยละของทั้งหมด)", "(จำนวนที่ได้รับอนุมัติ)", "(ร้อยละของที่ได้รับอนุมัติ)")
    ),
    "งบประมาณตามแผน (บาท)",
    "งบประมาณตามแผนของโครงการที่ได้รับอนุมัติ (บาท)",
    "ก่อหนี้ผูกพัน (บาท)",
    "เบิกจ่ายแล้ว (บาท)",
    "ร้อยละเบิกจ่ายต่องบประมาณตามแผน",
)
LIST_HEADERS = (
    "ประเภท", "ยุทธศาสตร์/แผนงาน", "ที่", "โครงการ/รายการ", "หน่วยงานรับผิดชอบ",
    "ได้รับอนุมัติงบประมาณ", "งบประมาณตามแผน (บาท)", "สถานะ", "ก่อหนี้ผูกพัน (บาท)",
    "เบิกจ่ายแล้ว (บาท)", "ข้อมูล ณ วันที่",
)  # fmt: skip


def _percent(value: Decimal | None) -> float | str:
    return DASH if value is None else float(value)


def _money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def _tally_row(t: Tally) -> list[Any]:
    name = t.name if t.number is None else f"{t.number}. {t.name}"
    cells: list[Any] = [name, t.items, t.approved]
    for s in STATUSES:
        c = t.status(s)
        cells += [c.count, _percent(c.of_all), c.approved_count, _percent(c.of_approved)]
    money = (t.planned_baht, t.approved_planned_baht, t.committed_baht, t.disbursed_baht)
    return [*cells, *(_money(m) for m in money), _percent(t.disbursed_of_planned)]


def _item_row(i: ItemFigure, group: str) -> list[Any]:
    return [
        "โครงการ" if i.kind.value == "project" else "ครุภัณฑ์",
        group,
        i.number,
        i.name,
        i.unit,
        "ได้รับ" if i.approved else "ไม่ได้รับ",
        _money(i.planned_baht),
        STATUS_LABELS[i.status][0],
        _money(i.committed_baht),
        _money(i.disbursed_baht),
        "-" if i.entry_as_of is None else long_day(i.entry_as_of),
    ]


def _sheet(ws: Any, heading: ReportHeading, headers: tuple[str, ...], rows: list[list[Any]],
           money_columns: set[int], percent_columns: set[int]) -> None:  # fmt: skip
    from openpyxl.styles import Alignment, Font

    bold = Font(name=FONT, size=16, bold=True)
    plain = Font(name=FONT, size=14)
    ws.append([f"{TITLE} ประจำปีงบประมาณ พ.ศ. {heading.fiscal_year_be} {round_label(heading)}"])
    ws.append([heading.organization])
    ws.append([f"ข้อมูล ณ วันที่ {long_day(heading.as_of)}"])
    ws.append(list(headers))
    for cell in (ws["A1"], ws["A2"], ws["A3"], *ws[HEADER_ROW]):
        cell.font = bold
    for cell in ws[HEADER_ROW]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in rows:
        ws.append(values)
        for c, cell in enumerate(ws[ws.max_row], start=1):
            cell.font = plain
            if c in money_columns:
                cell.number_format = MONEY
            elif c in percent_columns and not isinstance(cell.value, str):
                cell.number_format = PERCENT
    ws.freeze_panes = f"B{HEADER_ROW + 1}"


def report_workbook(figures: ReportFigures, *, heading: ReportHeading) -> bytes:
    """The figures as one .xlsx."""
    from openpyxl import Workbook  # heavy: only when a file is written

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = SUMMARY
    rows = [_tally_row(t) for t in (*figures.strategies, figures.overall)]
    rows += [[], _tally_row(figures.equipment)]
    percents = {5, 7, 9, 11, 13, 15, 17, 19, 24}
    _sheet(summary, heading, SUMMARY_HEADERS, rows, {20, 21, 22, 23}, percents)
    summary.column_dimensions["A"].width = 40
    listing = book.create_sheet(LIST)
    names = {s.id: f"{s.number}. {s.name}" for s in figures.strategies}
    items = [_item_row(p, names.get(p.group_id, "")) for p in figures.projects]
    items += [_item_row(e, e.group_id) for e in figures.equipment_items]
    _sheet(listing, heading, LIST_HEADERS, items, {7, 9, 10}, set())
    widths = (10, 30, 6, 50, 16, 12, 16, 20, 16, 16, 20)
    for letter, width in zip("ABCDEFGHIJK", widths, strict=True):
        listing.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
