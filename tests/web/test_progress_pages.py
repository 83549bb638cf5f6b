"""The progress pages in Debian's Chromium against a real `localplan serve` with the demo's
two rounds of progress (docs/domain.md "Progress"): the staff table with its summary, one
item's form refused with the Thai message beside the field and the typed values kept after the
redirect, then saved with a warning. Both widths photographed under test-output/web/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import Server, screenshot, sign_in

pytestmark = pytest.mark.slow
DEMO_PLAN = 1


def test_staff_follow_up_a_project(server: Server, browser: Any) -> None:
    page = browser.new_context(locale="th-TH").new_page()
    sign_in(page, server.base_url, "laemrang.staff")
    page.goto(f"{server.base_url}/plans/{DEMO_PLAN}")
    page.click("#progress-link")
    page.wait_for_url(re.compile(r"/progress$"))
    summary = page.get_by_test_id("progress-summary").inner_text()
    assert "แล้วเสร็จ: 45" in summary and "ยังไม่มีข้อมูล: 0" in summary
    assert page.locator("table.progress tbody tr").count() == 74
    screenshot(page, "progress-01-table")
    row = page.locator("table.progress tbody tr").nth(4)  # the demo's not-started project
    assert "ยังไม่ได้ดำเนินการ" in row.inner_text()
    row.locator("a.button").click()
    page.wait_for_url(re.compile(r"/progress/items/"))
    page.select_option("#progress-status", "completed")
    page.fill("#progress-committed_baht", "150,000")
    page.fill("#progress-disbursed_baht", "200,000")
    page.fill("#progress-started_on", "1/10/2019")
    page.fill("#progress-note", "ตรวจรับงานแล้ว")
    page.get_by_test_id("save-progress").click()
    page.wait_for_url(re.compile(r"/progress/items/.*#progress$"))
    errors = page.locator("#progress .field-error").all_inner_texts()
    assert any("ปี 2019 ไม่ใช่ปีพุทธศักราช" in e for e in errors), errors
    assert page.input_value("#progress-note") == "ตรวจรับงานแล้ว"  # the typed values kept
    assert page.input_value("#progress-disbursed_baht") == "200,000"
    screenshot(page, "progress-02-refused")
    page.fill("#progress-started_on", "1/10/2561")
    page.get_by_test_id("save-progress").click()
    errors = page.locator("#progress .field-error").all_inner_texts()
    assert any("เบิกจ่ายแล้วต้องไม่เกิน" in e for e in errors), errors
    assert any("ต้องระบุวันที่แล้วเสร็จ" in e for e in errors), errors
    page.fill("#progress-disbursed_baht", "150,000")
    page.fill("#progress-committed_baht", "9,999,999")
    page.fill("#progress-disbursed_baht", "9,999,999")
    page.fill("#progress-finished_on", "30/9/2562")
    page.get_by_test_id("save-progress").click()
    page.wait_for_url(re.compile(r"saved=1&warned=1"))
    assert "เกินงบประมาณตามแผน" in page.locator("p.ok").inner_text()
    assert "แล้วเสร็จ: 46" in page.get_by_test_id("progress-summary").inner_text()
    page.reload()  # a refresh shows the page again and resubmits nothing
    assert "แล้วเสร็จ: 46" in page.get_by_test_id("progress-summary").inner_text()
    page.goto(page.url.split("?")[0])
    row = page.locator("table.progress tbody tr").nth(4)
    row.locator("a.button").click()
    assert page.locator("ol.history li").count() == 2
    screenshot(page, "progress-03-item")
