"""`workbook`: importing and exporting a 500-project plan as .xlsx, against openpyxl merely
reading the same file and merely writing the same cells, in the same run."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

from bench.content_data import demo_content
from bench.harness import Latency, latency_table, versions
from documents.workbook_import import import_workbook
from documents.workbook_safety import Limits
from documents.workbook_write import Heading, write_workbook
from workflow import content_model as cm

TARGET = "import ≤ 3× openpyxl reading the file; export ≤ 3× openpyxl writing the same cells"
HEADING = Heading(2569, "องค์การบริหารส่วนตำบลตัวอย่าง")


def _seconds(operation: Callable[[], Any], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        operation()
        out.append(time.perf_counter() - start)
    return out


def _read_only(data: bytes) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), data_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass


def _cells(data: bytes) -> list[tuple[str, list[tuple[Any, ...]]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), data_only=True)
    return [(s.title, list(s.iter_rows(values_only=True))) for s in book.worksheets]


def _write_only(cells: list[tuple[str, list[tuple[Any, ...]]]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in cells:
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c, value)
    book.save(io.BytesIO())


def run(*, projects: int = 500, rounds: int = 5) -> str:
    content = demo_content(projects)
    data = write_workbook(content, HEADING)
    cells = _cells(data)
    limits = Limits()
    rows = [
        Latency("openpyxl reads the file", _seconds(lambda: _read_only(data), rounds)),
        Latency(
            "import (checks, parse, rules, ids)",
            _seconds(lambda: import_workbook(data, current=content, limits=limits), rounds),
            baseline="openpyxl reads the file",
        ),
        Latency("openpyxl writes the same cells", _seconds(lambda: _write_only(cells), rounds)),
        Latency(
            "export (ผด.01, ผด.02, ผด.02/1, styles, bars)",
            _seconds(lambda: write_workbook(content, HEADING), rounds),
            baseline="openpyxl writes the same cells",
        ),
    ]
    assert cm.content_hash(import_workbook(data, current=cm.EMPTY, limits=limits)) == (
        cm.content_hash(content)
    )
    notes = (
        f"A plan of {projects} projects and 6 equipment rows, {len(data):,} bytes as .xlsx; "
        f"{rounds} rounds each. {versions('openpyxl')}."
    )
    return latency_table("workbook", rows, TARGET, notes)


def full() -> str:
    return run()


def quick() -> str:
    return run(projects=60, rounds=1)
