"""A monitoring report walked in Debian's Chromium against a real `localplan serve` with the
demo (docs/operations.md "Monitoring reports"): staff draft the annual report of FY 2562 from
the header's link and submit it, the monitoring committee's empty findings are refused beside
the field with the recommendations kept and then approved, the executive presents and
announces, staff post it; the auditor finds it across the scope. axe-core finds no serious or
critical violation on the three pages at either width; both widths photographed under
test-output/web/."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.web.conftest import WIDTHS, Server, screenshot, sign_in
from tests.web.test_office_axe import BAD, axe_file, violations

pytestmark = pytest.mark.slow
ADVICE = "ควรเร่งรัดการเบิกจ่ายงบประมาณในไตรมาสที่สาม"


def _person(browser: Any, server: Server, username: str) -> Any:
    page = browser.new_context(locale="th-TH", bypass_csp=True).new_page()
    sign_in(page, server.base_url, username)
    return page


def _do(page: Any, action: str) -> None:
    page.get_by_test_id(f"do-{action}").click()
    page.wait_for_url(re.compile(r"/reports/\d+\?saved=1$"))


def _axe(page: Any, found: dict[str, Any]) -> None:
    axe = axe_file()
    for width, height in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        bad = [v for v in violations(page, axe) if v["impact"] in BAD]
        found[f"{page.url.split('/', 3)[3]} {width}"] = bad
    page.set_viewport_size({"width": 1366, "height": 900})


def test_a_report_from_draft_to_posted(server: Server, browser: Any) -> None:
    axe: dict[str, Any] = {}
    staff = _person(browser, server, "laemrang.staff")
    staff.goto(f"{server.base_url}/dashboard")
    staff.click("header nav a[href='/reports']")
    staff.wait_for_url(re.compile(r"/reports$"))
    staff.fill("#new-fiscal_year_be", "2562")
    staff.select_option("#new-round", "annual")  # the demo seeds the 6-month one
    staff.get_by_test_id("create-report").click()
    staff.wait_for_url(re.compile(r"/reports/\d+\?saved=1$"))
    where = staff.url.split("?")[0]
    assert staff.get_by_test_id("state").inner_text() == "ร่าง"
    assert "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562" in staff.get_by_test_id(
        "plan-link").inner_text()
    counts = staff.get_by_test_id("figures-counts").inner_text()
    assert "รวมทั้งแผน" in counts, counts
    _do(staff, "submit")
    staff.goto(f"{server.base_url}/reports")
    screenshot(staff, "report-01-list")
    _axe(staff, axe)

    monitor = _person(browser, server, "laemrang.monitoring")
    monitor.goto(where)
    monitor.fill("#action-approve-findings", "   ")  # typed, but nothing in it
    monitor.fill("#action-approve-recommendations", ADVICE)
    monitor.get_by_test_id("do-approve").click()
    monitor.wait_for_url(re.compile(r"#action-approve$"))
    error = monitor.locator("#action-approve-findings-error").inner_text()
    assert "ต้องระบุผลการติดตามและประเมินผล" in error
    assert monitor.input_value("#action-approve-recommendations") == ADVICE
    screenshot(monitor, "report-02-findings-refused")
    monitor.fill("#action-approve-findings", "ดำเนินการแล้วเสร็จตามแผนร้อยละ 60")
    _do(monitor, "approve")
    assert "ร้อยละ 60" in monitor.get_by_test_id("findings").inner_text()

    executive = _person(browser, server, "laemrang.executive")
    executive.goto(where)
    _do(executive, "present")
    executive.check("#action-announce-confirm")
    _do(executive, "announce")
    assert executive.get_by_test_id("state").inner_text() == "ประกาศผลแล้ว"

    staff.goto(where)
    assert staff.input_value("#action-post-places").strip()  # the office's places proposed
    _do(staff, "post")
    assert staff.get_by_test_id("state").inner_text() == "ปิดประกาศแล้ว"
    assert staff.locator("ol.timeline li").count() == 6
    screenshot(staff, "report-03-posted")
    _axe(staff, axe)
    with staff.expect_download() as got:
        staff.get_by_test_id("figures-xlsx").click()
    assert got.value.suggested_filename.endswith(".xlsx")

    auditor = _person(browser, server, "phichit.auditor")
    auditor.goto(f"{server.base_url}/dashboard")
    auditor.click("header nav a[href='/audit/reports']")
    auditor.fill("#q-province", "จ.พิจิตร")
    auditor.click("#report-filters button[type=submit]")
    auditor.wait_for_url(re.compile(r"province="))
    assert "ปิดประกาศแล้ว" in auditor.get_by_test_id("reports").inner_text()
    screenshot(auditor, "report-04-audit")
    _axe(auditor, axe)
    auditor.click(f"a[href='{where.removeprefix(server.base_url)}']")
    assert "ท่านดูรายงานนี้ได้อย่างเดียว" in auditor.content()
    assert not {k: v for k, v in axe.items() if v}, json.dumps(axe, ensure_ascii=False)
