"""The content pages in Debian's Chromium against a real `localplan serve` with the demo's
content: the public ผด.01/ผด.02 with search, the plan in force, a clerk starting FY 2563 from
last year's plan and editing it (errors beside fields, a stale revision), and the committee
reading what changed since the version it returned. Both widths photographed; at 360 px the
page never scrolls sideways."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Server, screenshot, sign_in

pytestmark = pytest.mark.slow
DEMO_PLAN = 1
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


def no_sideways_scroll(page: Any) -> None:
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 360 px"
    page.set_viewport_size(DESKTOP)


def test_the_public_content_with_search_by_text_and_village(server: Server, browser: Any) -> None:
    page = browser.new_context(locale="th-TH").new_page()
    page.goto(f"{server.base_url}/notices/{DEMO_PLAN}/content")
    page.click("#pd01-box > summary")  # ผด.01 folds away on the public page
    assert page.get_by_test_id("total-projects").inner_text() == "66"
    assert page.get_by_test_id("total-budget").inner_text() == "28,130,000.00"
    region = page.get_by_role("region", name="ผด.02 บัญชีโครงการพัฒนา")
    assert region.get_attribute("tabindex") == "0"
    assert page.locator("table.pd02 tr[data-project]").count() == 66
    no_sideways_scroll(page)
    screenshot(page, "content-01-public")
    page.fill("#q", "ถนน")
    page.click("form[role=search] button")
    page.wait_for_url(re.compile(r"q="))
    roads = page.locator("table.pd02 tr[data-project]").count()
    assert 5 < roads < 66
    page.select_option("#village", "3")
    page.click("form[role=search] button")
    page.wait_for_url(re.compile(r"village=3"))
    rows = page.locator("table.pd02 tr[data-project]")
    assert 0 < rows.count() < roads
    assert all(rows.nth(i).get_attribute("data-village") == "3" for i in range(rows.count()))
    assert "หมู่ที่ 3" in page.get_by_test_id("found").inner_text()
    no_sideways_scroll(page)
    screenshot(page, "content-02-public-search")


def test_the_plan_in_force_page_links_its_open_data(server: Server, browser: Any) -> None:
    page = browser.new_context(locale="th-TH").new_page()
    page.goto(f"{server.base_url}/in-force?organization=6660603&fiscal_year=2562")
    assert "ที่ใช้บังคับ" in page.locator("h1").inner_text()
    assert page.locator("table.pd02 tr[data-project]").count() == 66
    assert page.locator("table.pd02 td.origin").first.inner_text().startswith("ประจำปี 1")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff") and text.count("\n") == 67
    no_sideways_scroll(page)
    screenshot(page, "content-03-in-force")


def _new_draft(page: Any, base: str) -> int:
    page.goto(f"{base}/plans/new")
    page.fill("#title", "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2563")
    page.fill("#fiscal_year_be", "2563")
    page.fill("#trigger_on", "2019-09-20")
    page.fill("#budget_baht", "18,000,000")
    page.click("#create button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/\d+\?saved=1$"))
    found = re.search(r"/plans/(\d+)", page.url)
    assert found is not None
    return int(found.group(1))


def _edit_first(page: Any, base: str, plan_id: int, project_id: str) -> None:
    page.goto(f"{base}/plans/{plan_id}/content/projects/{project_id}/edit")


def test_a_clerk_starts_from_last_year_and_edits_then_the_committee_sees_the_changes(
    server: Server, browser: Any
) -> None:
    base = server.base_url
    clerk = browser.new_context(locale="th-TH").new_page()
    sign_in(clerk, base, "laemrang.staff")
    plan_id = _new_draft(clerk, base)
    clerk.get_by_test_id("content-link").click()
    clerk.wait_for_url(f"{base}/plans/{plan_id}/content")
    screenshot(clerk, "content-04-empty-draft")
    clerk.get_by_test_id("copy-previous").click()
    clerk.wait_for_url(re.compile(r"saved=1"))
    assert clerk.locator("tr[data-project]").count() == 66
    assert clerk.get_by_test_id("revision").inner_text() == "1"
    no_sideways_scroll(clerk)
    screenshot(clerk, "content-05-draft-table")

    first = clerk.locator("tr[data-project]").first.get_attribute("data-project")
    _edit_first(clerk, base, plan_id, first)
    clerk.fill("#project-budget_baht", "12,3x")
    clerk.click("[data-testid=save-project]")
    error = clerk.locator("#project-budget_baht-error")
    assert "จำนวนเงิน" in error.inner_text()
    assert clerk.input_value("#project-budget_baht") == "12,3x"  # kept as typed
    no_sideways_scroll(clerk)
    screenshot(clerk, "content-06-project-error")

    other = browser.new_context(locale="th-TH").new_page()  # a second clerk, same account
    sign_in(other, base, "laemrang.staff")
    _edit_first(other, base, plan_id, first)
    clerk.fill("#project-budget_baht", "450,000")
    clerk.click("[data-testid=save-project]")
    clerk.wait_for_url(re.compile(r"saved=1"))
    assert clerk.get_by_test_id("revision").inner_text() == "2"
    other.fill("#project-name", "โครงการที่ผู้ใช้คนที่สองพิมพ์")
    other.click("[data-testid=save-project]")
    assert "มีผู้แก้ไขเนื้อหาแผนก่อนแล้ว" in other.locator("div.alert").inner_text()
    assert other.input_value("#project-name") == "โครงการที่ผู้ใช้คนที่สองพิมพ์"
    screenshot(other, "content-07-stale-revision")

    second = clerk.locator("tr[data-project]").nth(1).get_attribute("data-project")
    clerk.click(f"[data-testid=remove-{second}]")
    clerk.wait_for_url(re.compile(r"saved=1"))
    assert clerk.locator("tr[data-project]").count() == 65
    clerk.get_by_test_id("add-equipment").click()
    for field, value in (("programme", "แผนงานบริหารงานทั่วไป"), ("number", "9"),
                         ("type", "ครุภัณฑ์คอมพิวเตอร์"), ("budget_baht", "23,000"),
                         ("location", "ที่ทำการ อบต.แหลมรัง"), ("unit", "สำนักปลัด")):  # fmt: skip
        clerk.fill(f"#equipment-{field}", value)
    clerk.fill("#equipment-target", "จัดซื้อเครื่องคอมพิวเตอร์โน้ตบุ๊ก จำนวน 1 เครื่อง")
    clerk.click("[data-testid=save-equipment]")
    assert clerk.locator("#equipment-months-error").is_visible()  # no month ticked
    clerk.check("input[name=month_1]")
    clerk.click("[data-testid=save-equipment]")
    clerk.wait_for_url(re.compile(r"saved=1"))
    assert clerk.get_by_test_id("equipment-total").inner_text() == "270,600.00"
    _walk_back_and_forth(clerk, browser, base, plan_id)


def _act(page: Any, base: str, plan_id: int, action: str, comment: str | None = None) -> None:
    page.goto(f"{base}/plans/{plan_id}")
    if comment:
        page.fill(f"#action-{action}-comment", comment)
    page.click(f"[data-testid=do-{action}]")
    page.wait_for_url(re.compile(rf"/plans/{plan_id}\?saved=1$"))


def _walk_back_and_forth(clerk: Any, browser: Any, base: str, plan_id: int) -> None:
    """Submit, the committee returns it, the clerk changes one budget, submits again: the
    committee's page shows the change field by field and the budget difference."""
    _act(clerk, base, plan_id, "submit")
    committee = browser.new_context(locale="th-TH").new_page()
    sign_in(committee, base, "laemrang.committee")
    _act(committee, base, plan_id, "return_for_revision", "ขอให้ทบทวนงบประมาณถนน")
    clerk.goto(f"{base}/plans/{plan_id}/content")
    first = clerk.locator("tr[data-project]").first.get_attribute("data-project")
    _edit_first(clerk, base, plan_id, first)
    clerk.fill("#project-budget_baht", "400000")
    clerk.click("[data-testid=save-project]")
    clerk.wait_for_url(re.compile(r"saved=1"))
    _act(clerk, base, plan_id, "submit")
    committee.goto(f"{base}/plans/{plan_id}")
    diff = committee.get_by_test_id("diff").inner_text()
    assert "งบประมาณ (บาท): 450000.00 → 400000.00" in diff
    assert "-50,000.00" in committee.get_by_test_id("diff-budget").inner_text()
    assert "ไม่ตรงกัน" in committee.get_by_test_id("budget-difference").inner_text()
    no_sideways_scroll(committee)
    screenshot(committee, "content-08-committee-review")
