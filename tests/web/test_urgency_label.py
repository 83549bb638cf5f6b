"""The label beside a clock on the plan and dashboard pages (api/web/templates/_macros.html
`urgency`): an open minimum posting period past its day reads as reached, never "อีก -n วัน"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from api.web.render import rendered, templates


@dataclass(frozen=True)
class Line:
    urgency: str
    days_left: int | None
    status: object = None


def label(line: Line) -> str:
    page = templates().from_string('{% import "_macros.html" as m %}{{ m.urgency(line) }}')
    return rendered(page, {"lang": "th", "today": date(2018, 11, 9), "line": line}).strip()


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (Line("info", -2918), "ครบระยะเวลาขั้นต่ำแล้ว"),
        (Line("info", 0), "ครบกำหนดวันนี้"),
        (Line("info", 12), "อีก 12 วัน"),
        (Line("late", -3), "เลยกำหนด 3 วัน"),
        (Line("soon", 2), "อีก 2 วัน"),
    ],
)
def test_a_clock_reads_as_an_office_would_say_it(line: Line, shown: str) -> None:
    assert label(line) == shown
