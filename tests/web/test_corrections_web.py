"""Correcting a wrong posting place in a real browser (issue 18, problem 5; docs/domain.md
"Corrections"): the timeline keeps the original struck through beside the value in force, and
the correction says who, when and why. A refused correction keeps what was typed.

One server and one browser for the module (tests/web/conftest.py). The demo's FY 2562 plan
went the whole way in 2018 (posted 26 ต.ค. 2561 at the office's board and website), so its
dates can no longer be corrected (their clocks are closed: tests/workflow/test_corrections.py
tries those, with the clocks counted again), but its places can: the clerk says the notice was
on the village hall's board, not the website."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import Server, screenshot, sign_in

pytestmark = pytest.mark.slow
DEMO_PLAN = "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562"
FIRST = "บอร์ดประชาสัมพันธ์ อบต.แหลมรัง · เว็บไซต์ อบต.แหลมรัง"
REASON = "ภาพถ่ายแสดงว่าปิดที่ศาลาประชาคมหมู่ 3 ไม่ใช่เว็บไซต์"


def _demo_plan(page: Any, base: str) -> int:
    page.goto(f"{base}/dashboard")
    link = page.get_by_role("link", name=DEMO_PLAN, exact=True).first
    found = re.search(r"/plans/(\d+)", link.get_attribute("href") or "")
    assert found is not None
    return int(found.group(1))


def test_a_wrong_posting_place_is_corrected_and_the_original_struck_through(
    server: Server, browser: Any
) -> None:
    base = server.base_url
    clerk = browser.new_context(locale="th-TH").new_page()
    sign_in(clerk, base, "laemrang.staff")
    plan_id = _demo_plan(clerk, base)
    clerk.goto(f"{base}/plans/{plan_id}")
    assert clerk.locator("form[id$=-effective_on][id^=correct-]").count() == 0  # clocks closed
    form = clerk.locator("form[id^=correct-][id$=-places]")
    assert form.count() == 1
    fname = form.get_attribute("id") or ""
    seq = int(fname.split("-")[1])

    clerk.click(f"[data-testid=correct-{seq}]")
    clerk.fill(f"#{fname}-value", "บอร์ดประชาสัมพันธ์ อบต.แหลมรัง\nเว็บไซต์ อบต.แหลมรัง")
    clerk.fill(f"#{fname}-comment", REASON)
    clerk.click(f"[data-testid=do-{fname}]")  # the same places: refused beside the field
    clerk.wait_for_url(re.compile(rf"/plans/{plan_id}(#.*)?$"))
    assert "ค่าใหม่เหมือนค่าเดิม" in clerk.locator(f"#{fname}").inner_text()
    assert clerk.input_value(f"#{fname}-comment") == REASON
    screenshot(clerk, "corrections-01-unchanged-refused")

    clerk.fill(f"#{fname}-value", "บอร์ดประชาสัมพันธ์ อบต.แหลมรัง\nศาลาประชาคมหมู่ 3")
    clerk.click(f"[data-testid=do-{fname}]")
    clerk.wait_for_url(re.compile(rf"/plans/{plan_id}\?saved=1$"))
    assert clerk.locator("[role=status]").inner_text() == "บันทึกแล้ว"
    original = clerk.locator(f"[data-testid=original-{seq}-places]")
    assert original.evaluate("e => e.tagName") == "DEL"
    assert original.inner_text() == FIRST
    in_force = clerk.locator(f"[data-testid=in-force-{seq}-places]").inner_text()
    assert in_force == "บอร์ดประชาสัมพันธ์ อบต.แหลมรัง · ศาลาประชาคมหมู่ 3"
    correction = clerk.locator("[data-testid^=correction-]").last.inner_text()
    assert "เว็บไซต์ อบต.แหลมรัง" in correction and "ศาลาประชาคมหมู่ 3" in correction
    last = clerk.locator("ol.timeline > li").last.inner_text()
    assert "laemrang.staff" in last and REASON in last and "น." in last
    clerk.locator(f"#record-{seq}").scroll_into_view_if_needed()
    screenshot(clerk, "corrections-02-corrected")
    clerk.reload()  # a refresh resubmits nothing
    assert clerk.locator("[data-testid^=correction-]").count() == 1

    committee = browser.new_context(locale="th-TH").new_page()  # not the role that posted
    sign_in(committee, base, "laemrang.committee")
    committee.goto(f"{base}/plans/{plan_id}")
    assert committee.locator(f"[data-testid=correct-{seq}]").count() == 0
