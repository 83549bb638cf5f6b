"""A ผด.02 or ผด.02/1 sheet read into rows the content rules then check (docs/domain.md
"Spreadsheets"): the header located by its texts (not by fixed positions), the month columns
under their names, group rows (ยุทธศาสตร์, กลยุทธ์/แนวทาง, แผนงาน) above or among the rows,
a project continued over several rows, total rows checked against the rows above. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from documents import workbook_text as t
from documents.workbook_grid import Grid
from workflow.content_model import FISCAL_MONTHS, Problem

DATA_FIELDS = ("name", "activity", "location", "unit", "target", "type", "category", "programme")
MULTILINE = frozenset({"activity", "target"})
REQUIRED_PROJECT = ("number", "name", "activity", "budget_baht", "location", "unit")
REQUIRED_EQUIPMENT = ("number", "type", "target", "budget_baht", "location", "unit")
HEADER_TH = {
    "number": "ที่", "name": "โครงการ", "activity": "รายละเอียดของกิจกรรม",
    "budget_baht": "งบประมาณ (บาท)", "location": "สถานที่ดำเนินการ",
    "unit": "หน่วยงานรับผิดชอบหลัก", "type": "ประเภท", "target": "เป้าหมาย",
    "months": "เดือน (ต.ค. … ก.ย.)", "programme": "แผนงาน", "category": "หมวด",
}  # fmt: skip


def letter(c: int) -> str:
    """The column letter of a 0-based index (A, B, …, AA)."""
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class RawRow:
    """One project or equipment row as the file gave it, with where each field came from."""

    sheet: str
    row: int  # 1-based, as the spreadsheet numbers it
    kind: str  # "project" or "equipment"
    data: dict[str, Any]
    columns: dict[str, str]
    id: str | None = None
    strategy: tuple[int | None, str] | None = None


@dataclass
class _Layout:
    kind: str
    columns: dict[str, int]
    months: dict[int, int]  # column -> calendar month
    first_data: int


@dataclass
class _Sums:
    block: Decimal = Decimal(0)
    strategy: Decimal = Decimal(0)
    sheet: Decimal = Decimal(0)
    unknown: bool = False  # a row's amount is no number: the total cannot be checked

    def add(self, value: Decimal) -> None:
        self.block += value
        self.strategy += value
        self.sheet += value


@dataclass
class SheetReader:
    """Reads one grid row by row; `rows` and `problems` are the result."""

    grid: Grid
    rows: list[RawRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    layout: _Layout | None = None
    strategy: tuple[int | None, str] | None = None
    tactic: str | None = None
    programme: str | None = None
    sums: _Sums = field(default_factory=_Sums)

    def read(self) -> None:
        r = 0
        while r < len(self.grid.values):
            layout = _header_at(self.grid, r)
            if layout is not None:
                self.layout = layout
                self._check_layout(r, layout)
                r = layout.first_data
                continue
            self._row(r)
            r += 1

    def _check_layout(self, r: int, layout: _Layout) -> None:
        needed = REQUIRED_EQUIPMENT if layout.kind == "equipment" else REQUIRED_PROJECT
        missing = [name for name in needed if name not in layout.columns]
        if not layout.months:
            missing.append("months")
        if missing:
            self.problem(
                r, None, "workbook_missing_columns",
                "หัวตารางไม่มีคอลัมน์: " + ", ".join(HEADER_TH[m] for m in missing),
                "the header has no column for: " + ", ".join(missing),
            )  # fmt: skip

    def problem(self, r: int, col: str | None, code: str, th: str, en: str) -> None:
        self.problems.append(Problem(self.grid.title, r + 1, col, code, th, en))

    def _row(self, r: int) -> None:
        cells = [(c, v) for c, v in enumerate(self.grid.values[r]) if t.is_mark(v)]
        if not cells:
            return
        texts = {t.text(v) for _, v in cells}
        first = t.text(cells[0][1])
        if any(first.startswith(w) for w in t.STOP_WORDS):
            self.layout = None
            return
        if len(texts) == 1 and self._group(first):
            return
        if self.layout is None:
            return
        if self._total(r, cells):
            return
        self._data(r, self.layout)

    def _group(self, line: str) -> bool:
        named = t.strategy_row(line)
        if named is not None:
            self.strategy, self.tactic, self.programme = named, None, None
            self.sums.strategy = Decimal(0)
            self.sums.block = Decimal(0)
            return True
        if line.startswith("แผนงาน") and not (self.layout and "programme" in self.layout.columns):
            self.programme = line
            self.sums.block = Decimal(0)
            return True
        if line.startswith(("กลยุทธ์", "แนวทาง")):
            self.tactic = line
            return True
        return self.layout is None  # a title line above the table

    def _total(self, r: int, cells: list[tuple[int, Any]]) -> bool:
        assert self.layout is not None
        labels = [c for c, v in cells if t.squash(v).startswith("รวม")]
        columns = self.layout.columns
        if not labels or labels[0] not in (columns.get("number"), columns.get("name"), 0, 1):
            return False
        if "number" in columns and t.whole_number(self.grid.value(r, columns["number"])):
            return False  # a project whose name starts with รวม (รวมพลัง…)
        budget_col = columns.get("budget_baht")
        written = t.amount(self.grid.value(r, budget_col)) if budget_col is not None else None
        sums = self.sums
        if (
            isinstance(written, Decimal)
            and not sums.unknown
            and written not in (sums.block, sums.strategy, sums.sheet)
        ):
            self.problem(
                r, letter(budget_col or 0), "workbook_total_mismatch",
                f"ยอดรวม {written:,} ไม่ตรงกับผลรวมของรายการ {sums.block:,}",
                f"the total {written:,} does not match the sum of the rows above, {sums.block:,}",
            )  # fmt: skip
        sums.block, sums.unknown = Decimal(0), False
        return True

    def _data(self, r: int, layout: _Layout) -> None:
        columns = layout.columns
        number = self.grid.value(r, columns["number"]) if "number" in columns else None
        budget = self.grid.value(r, columns["budget_baht"]) if "budget_baht" in columns else None
        months = _months(self.grid, r, layout.months)
        if t.is_mark(number) or t.is_mark(budget):
            self.rows.append(self._new_row(r, layout, months))
            return
        if not self.rows or self.rows[-1].sheet != self.grid.title:
            self.problem(
                r, None, "workbook_orphan_row", "แถวนี้ไม่มีลำดับที่หรืองบประมาณ และไม่ต่อจากโครงการใด",
                "this row has no number or budget and continues no project",
            )  # fmt: skip
            return
        self._continue(self.rows[-1], r, layout, months)

    def _new_row(self, r: int, layout: _Layout, months: list[int]) -> RawRow:
        data: dict[str, Any] = {"months": months}
        cols: dict[str, str] = {"months": letter(min(layout.months, default=0))}
        for name, c in layout.columns.items():
            cols[name] = letter(c)
            value = self.grid.value(r, c)
            if name == "number":
                data[name] = t.whole_number(value) if t.is_mark(value) else None
            elif name == "budget_baht":
                data[name] = t.amount(value)
            elif name != "id":
                data[name] = t.text(value) or None
        if isinstance(data.get("budget_baht"), Decimal):
            self.sums.add(data["budget_baht"])
        else:
            self.sums.unknown = True
        raw_id = t.text(self.grid.value(r, layout.columns["id"])) if "id" in layout.columns else ""
        row = RawRow(self.grid.title, r + 1, layout.kind, data, cols, raw_id or None)
        if layout.kind == "project":
            row.strategy = self.strategy
            data["programme"] = self.programme
            data["tactic"] = self.tactic
        elif "programme" not in data:
            data["programme"] = self.programme
        return row

    def _continue(self, row: RawRow, r: int, layout: _Layout, months: list[int]) -> None:
        for name in DATA_FIELDS:
            c = layout.columns.get(name)
            extra = t.text(self.grid.value(r, c)) if c is not None else ""
            if extra:
                before = row.data.get(name) or ""
                glue = "\n" if name in MULTILINE else " "
                row.data[name] = f"{before}{glue}{extra}" if before else extra
        row.data["months"] = sorted(set(row.data["months"]) | set(months), key=FISCAL_MONTHS.index)


def _months(grid: Grid, r: int, columns: dict[int, int]) -> list[int]:
    """The months marked in row r: any mark or a fill; between a start arrow and an end arrow
    every month is in the bar even when the cells between are empty."""
    ordered = sorted(columns, key=lambda c: FISCAL_MONTHS.index(columns[c]))
    marked = [c for c in ordered if t.is_mark(grid.value(r, c)) or (r, c) in grid.filled]
    inside = False
    for c in ordered:
        value = t.text(grid.value(r, c))
        if value and value[0] in t.START_ARROWS:
            inside = True
        if inside and c not in marked:
            marked.append(c)
        if value and value[-1] in t.END_ARROWS:
            inside = False
    if inside:  # a start arrow with no end: only the marked cells
        marked = [c for c in ordered if t.is_mark(grid.value(r, c)) or (r, c) in grid.filled]
    return sorted({columns[c] for c in marked}, key=FISCAL_MONTHS.index)


def _header_at(grid: Grid, r: int) -> _Layout | None:
    """The layout when row r starts a header: a ที่ cell and a งบประมาณ cell. The month names
    are in that row or one of the next two; the header is the rows down to them."""
    found = {t.header_field(v, equipment=False) for v in grid.values[r]}
    if "number" not in found or "budget_baht" not in found:
        return None
    equipment = bool(found & {"category", "type", "target"})
    months: dict[int, int] = {}
    last = r
    for rr in range(r, min(r + 3, len(grid.values))):
        months = {c: m for c, v in enumerate(grid.values[rr]) if (m := t.month_of(v))}
        if len(months) >= 6:
            last = rr
            break
    else:
        months = {}
    columns: dict[str, int] = {}
    for rr in range(r, last + 1):
        for c, v in enumerate(grid.values[rr]):
            name = t.header_field(v, equipment=equipment)
            if name is not None and name not in columns:
                columns[name] = c
    return _Layout("equipment" if equipment else "project", columns, months, last + 1)
