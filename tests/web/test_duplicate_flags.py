"""Duplicate flags in Debian's Chromium against a real `localplan serve` (docs/domain.md
"Duplicates"): a clerk writes the same road twice in different words; the flag with its
score and why shows beside both rows of the draft's ผด.02, and on the committee's page once
the plan is submitted. At 360 px neither page scrolls sideways."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import Server, screenshot, sign_in
from tests.web.test_content_pages import _act, no_sideways_scroll

pytestmark = pytest.mark.slow
ROADS = ("โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก สายบ้านนายสมชาย หมู่ที่ 4",
         "ก่อสร้างถนน คสล. สายบ้านนายสมชาย ม.4")  # fmt: skip


def _draft(page: Any, base: str) -> int:
    page.goto(f"{base}/plans/new")
    page.fill("#title", "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2566")
    page.fill("#fiscal_year_be", "2566")
    page.fill("#trigger_on", "2022-09-20")
    page.click("#create button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/\d+\?saved=1$"))
    found = re.search(r"/plans/(\d+)", page.url)
    assert found is not None
    page.goto(f"{base}/plans/{found.group(1)}/content")
    page.click("details.form > summary")
    page.fill("#strategy-name", "การพัฒนาโครงสร้างพื้นฐาน")
    page.click("#strategy button[type=submit]")
    page.wait_for_url(re.compile(r"saved=1"))
    return int(found.group(1))


def _add(page: Any, base: str, plan_id: int, number: int, name: str) -> None:
    page.goto(f"{base}/plans/{plan_id}/content/projects/new")
    for field, value in (("programme", "แผนงานอุตสาหกรรมและการโยธา"), ("number", str(number)),
                         ("name", name), ("activity", "ก่อสร้างถนนกว้าง 4 เมตร ยาว 200 เมตร"),
                         ("budget_baht", "500,000"), ("location", "หมู่ที่ 4 บ้านหนองบัว"),
                         ("village", "4"), ("unit", "กองช่าง")):  # fmt: skip
        page.fill(f"#project-{field}", value)
    page.check("input[name=month_1]")
    page.click("[data-testid=save-project]")
    page.wait_for_url(re.compile(r"saved=1"))


def test_a_duplicate_shows_beside_both_rows_and_on_the_committee_page(
    server: Server, browser: Any
) -> None:
    base = server.base_url
    clerk = browser.new_context(locale="th-TH").new_page()
    sign_in(clerk, base, "laemrang.staff")
    plan_id = _draft(clerk, base)
    for number, name in enumerate(ROADS, start=1):
        _add(clerk, base, plan_id, number, name)
    rows = clerk.locator("tr[data-project]")
    assert rows.count() == 2
    for i, other in ((0, ROADS[1]), (1, ROADS[0])):
        flag = rows.nth(i).locator("details.dup-flag")
        assert flag.count() == 1
        assert re.search(r"อาจซ้ำ \d+/100", flag.locator("summary").inner_text())
        flag.locator("summary").click()
        text = flag.inner_text()
        assert other in text and "แผนเดียวกัน" in text and "เหตุผล:" in text
    no_sideways_scroll(clerk)
    screenshot(clerk, "duplicates-01-draft-flags")
    _act(clerk, base, plan_id, "submit")
    committee = browser.new_context(locale="th-TH").new_page()
    sign_in(committee, base, "laemrang.committee")
    committee.goto(f"{base}/plans/{plan_id}")
    pairs = committee.get_by_test_id("review-dup")
    assert pairs.count() == 1
    text = pairs.first.inner_text()
    assert ROADS[0] in text and ROADS[1] in text and "/100" in text and "เหตุผล:" in text
    no_sideways_scroll(committee)
    screenshot(committee, "duplicates-02-committee")
