"""Correcting a wrong posting date in a real browser (issue 18, problem 5; docs/domain.md
"Corrections"): the timeline keeps the original struck through beside the corrected date, the
correction says who, when and why, and the minimum posting period is counted again.

One server and one browser for the module (tests/web/conftest.py); the demo's FY 2562 plan is
announced on 25 ต.ค. 2561, so the clerk posts it, on the wrong date, and corrects it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import Server, screenshot, sign_in

pytestmark = pytest.mark.slow
DEMO_PLAN = "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562"


def _demo_plan(page: Any, base: str) -> int:
    page.goto(f"{base}/dashboard")
    link = page.get_by_role("link", name=DEMO_PLAN, exact=True).first
    found = re.search(r"/plans/(\d+)", link.get_attribute("href") or "")
    assert found is not None
    return int(found.group(1))


def test_a_wrong_posting_date_is_corrected_and_the_original_struck_through(
    server: Server, browser: Any
) -> None:
    base = server.base_url
    clerk = browser.new_context(locale="th-TH").new_page()
    sign_in(clerk, base, "laemrang.staff")
    plan_id = _demo_plan(clerk, base)
    clerk.goto(f"{base}/plans/{plan_id}")
    clerk.fill("#action-post-effective_on", "12/11/2561")  # the wrong day: it went up on 5 Nov
    clerk.click("[data-testid=do-post]")
    clerk.wait_for_url(re.compile(rf"/plans/{plan_id}\?saved=1$"))
    removal = clerk.locator("#deadline-minimum_posting").inner_text()
    assert "13 ธ.ค. 2561" in removal  # P+31 from the wrong date
    post = clerk.locator("ol.timeline > li").filter(has_text="ปิดประกาศ").last
    seq = int((post.get_attribute("id") or "").removeprefix("record-"))
    form = f"#correct-{seq}-effective_on"

    clerk.click(f"[data-testid=correct-{seq}]")
    clerk.fill(f"{form}-value", "05/11/2018")  # a CE year is refused beside the field
    clerk.fill(f"{form}-comment", "ภาพถ่ายการปิดประกาศลงวันที่ 5 พ.ย. 2561")
    clerk.click(f"[data-testid=do-correct-{seq}-effective_on]")
    clerk.wait_for_url(re.compile(rf"/plans/{plan_id}(#.*)?$"))
    error = clerk.locator(f"#correct-{seq}-effective_on-value-error").inner_text()
    assert "2018 ไม่ใช่ปีพุทธศักราช" in error
    assert clerk.input_value(f"{form}-comment") == "ภาพถ่ายการปิดประกาศลงวันที่ 5 พ.ย. 2561"
    screenshot(clerk, "corrections-01-ce-year-refused")

    clerk.fill(f"{form}-value", "05/11/2561")
    clerk.click(f"[data-testid=do-correct-{seq}-effective_on]")
    clerk.wait_for_url(re.compile(rf"/plans/{plan_id}\?saved=1$"))
    assert clerk.locator("[role=status]").inner_text() == "บันทึกแล้ว"
    original = clerk.locator(f"[data-testid=original-{seq}-effective_on]")
    assert original.evaluate("e => e.tagName") == "DEL"
    assert original.inner_text() == "12 พ.ย. 2561"
    assert clerk.locator(f"[data-testid=in-force-{seq}-effective_on]").inner_text() == "5 พ.ย. 2561"
    correction = clerk.locator("[data-testid^=correction-]").last
    assert "12 พ.ย. 2561" in correction.inner_text() and "5 พ.ย. 2561" in correction.inner_text()
    last = clerk.locator("ol.timeline > li").last.inner_text()
    assert "laemrang.staff" in last and "ภาพถ่ายการปิดประกาศ" in last and "น." in last
    assert "6 ธ.ค. 2561" in clerk.locator("#deadline-minimum_posting").inner_text()  # P+31
    assert "5 พ.ย. 2561" in clerk.locator("dl.summary").first.inner_text()
    clerk.locator(f"#record-{seq}").scroll_into_view_if_needed()
    screenshot(clerk, "corrections-02-corrected")
    clerk.reload()  # a refresh resubmits nothing
    assert clerk.locator("[data-testid^=correction-]").count() == 1

    committee = browser.new_context(locale="th-TH").new_page()  # not the role that posted
    sign_in(committee, base, "laemrang.committee")
    committee.goto(f"{base}/plans/{plan_id}")
    assert committee.locator(f"[data-testid=correct-{seq}]").count() == 0
