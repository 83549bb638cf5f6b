"""Every CSV the service answers with, written one way: cells a spreadsheet would read as a
formula are neutralized (OWASP's rule for CSV injection) and every cell is quoted."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from fastapi.responses import Response

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
# (TAB and CR too: some programs strip them and read what follows).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def neutralize(cell: str) -> str:
    """The cell as text a spreadsheet shows and never evaluates: a leading single quote
    before a formula-like start, the cell unchanged otherwise."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A header row and the rows, every cell neutralized and quoted, with a BOM so
    spreadsheet programs read the Thai text as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow([neutralize(c) for c in columns])
    writer.writerows([neutralize(c) for c in row] for row in rows)
    return "\ufeff" + out.getvalue()


def csv_response(
    columns: Sequence[str], rows: Iterable[Sequence[str]], *, filename: str
) -> Response:
    """The CSV as a download named `filename` (a fixed ASCII name chosen by the caller)."""
    return Response(
        csv_text(columns, rows),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
