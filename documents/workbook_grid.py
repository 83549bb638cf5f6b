"""A worksheet as plain values (docs/domain.md "Spreadsheets"): openpyxl opens the checked
archive fully (read-only mode does not expose merged cells), and each sheet becomes a grid of
values with the cells that are filled with a colour. A merged range's value and fill are
spread along its first row, so a month bar drawn as one merged cell covers every month under
it; a range merged down (a name over a project's two rows) stays in its top cell.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from documents.workbook_safety import Limits, check_archive, formulas_without_values, refuse
from workflow.content_model import Problem

WHITE = {"FFFFFFFF", "00FFFFFF", "FFFFFF"}


@dataclass
class Grid:
    """One sheet: `values[r][c]` (0-based), `filled` the (r, c) with a fill colour."""

    title: str
    values: list[list[Any]]
    filled: set[tuple[int, int]] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)

    def value(self, r: int, c: int) -> Any:
        row = self.values[r]
        return row[c] if c < len(row) else None


def read_grids(data: bytes, limits: Limits) -> list[Grid]:
    """Every sheet of the file as a grid, after the archive checks; refused with every
    formula that holds no cached value."""
    archive = check_archive(data, limits)
    missing = list(formulas_without_values(archive))
    if missing:
        raise _formulas_refused(missing)
    from openpyxl import load_workbook  # heavy: only when a file is read

    try:
        book = load_workbook(io.BytesIO(data), data_only=True, keep_vba=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged part
        raise refuse(
            "workbook_damaged", "เปิดไฟล์ไม่ได้: ไฟล์เสียหรือไม่ใช่ไฟล์ Excel ที่ถูกต้อง",
            f"the file cannot be opened: {type(exc).__name__}",
        ) from None  # fmt: skip
    return [_grid(sheet) for sheet in book.worksheets]


def _formulas_refused(missing: list[tuple[str, str]]) -> Exception:
    from documents.workbook_safety import WorkbookRefused

    return WorkbookRefused(
        "workbook_formula_without_value",
        [
            Problem(
                part.rsplit("/", 1)[-1], None, cell, "workbook_formula_without_value",
                f"เซลล์ {cell} เป็นสูตรที่ไม่มีค่าที่คำนวณไว้: กรุณาเปิดไฟล์ใน Excel แล้วบันทึกใหม่"
                " หรือวางเป็นค่า",
                f"cell {cell} is a formula with no saved value: open and save the file in a"
                " spreadsheet program, or paste it as values",
            )
            for part, cell in missing
        ],
    )


def _grid(sheet: Any) -> Grid:
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    grid = Grid(sheet.title, values)
    for row in sheet.iter_rows():
        for cell in row:
            fill = cell.fill
            if fill is not None and fill.fill_type == "solid":
                colour = fill.fgColor
                if colour.type != "rgb" or str(colour.rgb) not in WHITE:
                    grid.filled.add((cell.row - 1, cell.column - 1))
    for ranges in sheet.merged_cells.ranges:
        _spread(grid, ranges.min_row - 1, ranges.min_col - 1, ranges.max_col - 1)
    for dim in sheet.column_dimensions.values():
        if dim.hidden and dim.min:
            grid.hidden_columns.update(range(dim.min - 1, (dim.max or dim.min)))
    return grid


def _spread(grid: Grid, r: int, c0: int, c1: int) -> None:
    if r >= len(grid.values):
        return
    row = grid.values[r]
    row.extend([None] * (c1 + 1 - len(row)))
    top = row[c0]
    fill = (r, c0) in grid.filled
    for c in range(c0 + 1, c1 + 1):
        if row[c] is None:
            row[c] = top
        if fill:
            grid.filled.add((r, c))
