"""The public progress page in Debian's Chromium against a real `localplan serve` with the
demo's progress (docs/domain.md "Public progress"): no sign-in; at 360 px the table reflows
to cards (each cell with its label, nothing wider than the screen); B.E. dates. Both widths
photographed under test-output/web/."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import Server, screenshot

pytestmark = pytest.mark.slow
DEMO_PLAN = 1  # the demo's FY 2562 plan, its posting complete


def test_citizens_read_the_progress_on_a_phone(server: Server, browser: Any) -> None:
    page = browser.new_context(locale="th-TH").new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{server.base_url}/board/plans/{DEMO_PLAN}/progress")
    summary = page.get_by_test_id("board-progress-summary").inner_text()
    assert "โครงการทั้งหมด" in summary and "แล้วเสร็จ" in summary
    assert "ข้อมูล ณ วันที่ วันจันทร์ที่ 30 กันยายน 2562" in page.content()
    first = page.locator("table.board-progress tbody tr").first
    assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
    label = first.locator("td").nth(1).evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert "สถานะ" in label
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    screenshot(page, "board-progress")
    json = page.request.get(f"{server.base_url}/api/v1/public/plans/{DEMO_PLAN}/progress")
    assert json.status == 200 and len(json.json()["projects"]) > 60
