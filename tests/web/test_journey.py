"""The whole journey in Debian's Chromium against a real `localplan serve`: a clerk creates
and submits a plan, the committee approves, the executive announces, the clerk posts it, the
public board shows it, an auditor finds the four actions and downloads the CSV. Every page is
photographed at 360 px and 1366 px under test-output/web/."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from datetime import date
from typing import Any

import pytest

from tests.web.conftest import Server, screenshot, sign_in

pytestmark = pytest.mark.slow
TITLE = "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2570 (ทดสอบหน้าเว็บ)"
FOUR = ("submit", "approve", "announce", "post")


def act(page: Any, base_url: str, plan_id: int, action: str, shot: str | None = None) -> None:
    page.goto(f"{base_url}/plans/{plan_id}")
    if shot:
        screenshot(page, shot)
    confirm = page.locator(f"#action-{action}-confirm")
    if confirm.count():  # what cannot be undone is confirmed first
        confirm.check()
    page.click(f"[data-testid=do-{action}]")
    page.wait_for_url(re.compile(rf"/plans/{plan_id}\?saved=1$"))
    assert page.locator("p.ok[role=status]").is_visible()


def test_plan_from_draft_to_the_public_board(server: Server, browser: Any) -> None:
    base = server.base_url
    public = browser.new_context(locale="th-TH")
    page = public.new_page()
    page.goto(f"{base}/signin")
    screenshot(page, "01-signin")

    clerk = browser.new_context(locale="th-TH").new_page()
    sign_in(clerk, base, "laemrang.staff")
    assert clerk.locator("html").get_attribute("lang") == "th"
    screenshot(clerk, "02-dashboard-clerk")
    clerk.goto(f"{base}/plans/new")
    clerk.fill("#title", TITLE)
    clerk.fill("#fiscal_year_be", "2550")
    clerk.click("#create button[type=submit]")  # refused: the form keeps what was typed
    assert "ไม่อยู่ในช่วง" in clerk.locator("#create-trigger_on-error").inner_text()
    assert clerk.input_value("#title") == TITLE
    screenshot(clerk, "03-new-plan-error")
    clerk.fill("#fiscal_year_be", "2570")
    clerk.click("#create button[type=submit]")
    clerk.wait_for_url(re.compile(r"/plans/\d+\?saved=1$"))
    found = re.search(r"/plans/(\d+)", clerk.url)
    assert found is not None
    plan_id = int(found.group(1))
    screenshot(clerk, "04-plan-draft")
    act(clerk, base, plan_id, "submit")
    assert clerk.get_by_test_id("state").inner_text() == "อยู่ระหว่างการพิจารณาของคณะกรรมการพัฒนาท้องถิ่น"

    committee = browser.new_context().new_page()
    sign_in(committee, base, "laemrang.committee")
    act(committee, base, plan_id, "approve", shot="05-plan-committee")

    executive = browser.new_context().new_page()
    sign_in(executive, base, "laemrang.executive")
    act(executive, base, plan_id, "announce", shot="06-plan-executive")
    assert executive.get_by_test_id("state").inner_text() == "ประกาศแล้ว"

    act(clerk, base, plan_id, "post", shot="07-plan-before-posting")
    assert clerk.get_by_test_id("state").inner_text() == "ปิดประกาศแล้ว"
    screenshot(clerk, "08-plan-posted")

    page.goto(f"{base}/notices")
    notice = page.locator(f"li.notice[data-plan='{plan_id}']")
    assert TITLE in notice.inner_text()
    screenshot(page, "09-notices")
    notice.locator(f"a[href='/notices/{plan_id}']").click()
    page.wait_for_url(f"{base}/notices/{plan_id}")
    assert "ประกาศองค์การบริหารส่วนตำบลแหลมรัง" in page.locator("h1").inner_text()
    assert "ประกาศ ณ วันที่" in page.inner_text("body") and "/notices\n" not in page.inner_text("body")
    page.set_viewport_size({"width": 360, "height": 740})  # a phone: no sideways scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "10-notice-print")

    auditor_context = browser.new_context(accept_downloads=True)
    auditor = auditor_context.new_page()
    sign_in(auditor, base, "phichit.auditor")
    auditor.goto(f"{base}/audit/history")
    auditor.fill("#q-fiscal_year", "2570")
    auditor.click("#history-search button[type=submit]")
    auditor.wait_for_url(re.compile(r"fiscal_year=2570"))
    mine_rows = auditor.locator("tr", has_text=TITLE)  # the demo's plan of today is FY 2570 too
    cells = mine_rows.locator("td.action-cell").all_inner_texts()
    assert cells == ["สร้างแผน", "เสนอคณะกรรมการ", "เห็นชอบ", "ประกาศ", "ปิดประกาศ"]
    screenshot(auditor, "11-audit-history")
    with auditor.expect_download() as download_info:
        auditor.get_by_test_id("csv").click()
    path = download_info.value.path()
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    mine = [
        r["รหัสการดำเนินการ (action)"] for r in rows if r["เลขที่แผน (plan_id)"] == str(plan_id)
    ]
    assert {r["ชื่อแผน (plan_title)"] for r in rows if r["เลขที่แผน (plan_id)"] == str(plan_id)} == {
        TITLE
    }
    assert [a for a in mine if a in FOUR] == list(FOUR)
    for address, name in (
        ("/audit/compliance?fiscal_year=2570", "12-audit-compliance"),
        ("/audit/verify", "13-audit-verify"),
    ):
        auditor.goto(base + address)
        screenshot(auditor, name)
    assert "ไม่พบความผิดปกติ" in auditor.get_by_test_id("verify-result").inner_text()

    auditor.goto(f"{base}/plans/{plan_id}")
    screenshot(auditor, "14-plan-auditor")
    clerk.goto(f"{base}/alerts")
    screenshot(clerk, "15-alerts")
    clerk.goto(f"{base}/dashboard")
    screenshot(clerk, "16-dashboard-after")


def _last_working_day_of_the_plan_of_today(server: Server) -> date:
    """The demo's plan of today acts by this working day (its open preparation deadline)."""
    path = server.env["LOCALPLAN_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        (day,) = db.execute(
            "SELECT last_working_on FROM deadline WHERE plan_id = 2 AND status = 'open'"
        ).fetchone()
    return date.fromisoformat(day)


def test_admin_pages_language_switch_and_sign_out(server: Server, browser: Any) -> None:
    base = server.base_url
    admin = browser.new_context().new_page()
    sign_in(admin, base, "admin")
    admin.goto(f"{base}/admin/users")
    assert "laemrang.staff" in admin.locator("table").inner_text()
    screenshot(admin, "20-admin-users")
    admin.goto(f"{base}/admin/holidays")
    acts_by = _last_working_day_of_the_plan_of_today(server)
    admin.fill("#h-day", f"{acts_by.day:02d}/{acts_by.month:02d}/{acts_by.year + 543}")
    admin.fill("#h-name", "วันหยุดพิเศษ (ทดสอบ)")
    admin.fill("#h-source", "มติคณะรัฐมนตรี (ทดสอบ)")
    admin.click("#holiday button[type=submit]")
    moved = admin.locator("section.preview table").inner_text()
    assert "#2" in moved  # the plan of today: its last working day moves back
    screenshot(admin, "21-admin-holiday-preview")
    admin.get_by_test_id("confirm").click()
    admin.wait_for_url(f"{base}/admin/holidays?saved=holiday_saved")  # with the confirmation
    assert admin.get_by_test_id("saved").is_visible()
    assert "วันหยุดพิเศษ (ทดสอบ)" in admin.locator("table").first.inner_text()  # the overlay
    admin.get_by_test_id("lang").click()
    admin.wait_for_url(re.compile(r"/admin/holidays(\?|$)"))
    assert admin.locator("html").get_attribute("lang") == "en"
    assert admin.locator("h1").inner_text() == "Holiday overlay"
    screenshot(admin, "22-admin-holidays-en")
    admin.get_by_test_id("lang").click()
    admin.get_by_role("button", name="ออกจากระบบ").click()
    admin.wait_for_url(f"{base}/signin")
    admin.goto(f"{base}/admin/users")
    admin.wait_for_url(re.compile(r"/signin\?next="))  # the session was revoked


def test_keyboard_reaches_the_sign_in_form(server: Server, browser: Any) -> None:
    page = browser.new_context().new_page()
    page.goto(f"{server.base_url}/signin")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "username":
            break
    assert page.evaluate("document.activeElement.id") == "username"
    page.keyboard.type("laemrang.staff")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-password-2562")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.base_url}/dashboard")
