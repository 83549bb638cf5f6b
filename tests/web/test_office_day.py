"""The office's day in a real browser (issue 18, problems 1–4): a stale action in a second
tab, dates typed in the Buddhist Era, confirmation of what cannot be undone, next steps.

One server and one browser for the module (tests/web/conftest.py); the demo's plan of today
(api/demo.py) is in committee review, so each role has something due this week."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import Server, screenshot, sign_in

pytestmark = pytest.mark.slow
TODAY_PLAN = "แผนการดำเนินงานเพิ่มเติม"


def _today_plan(page: Any, base: str) -> int:
    page.goto(f"{base}/dashboard")
    link = page.get_by_role("link", name=re.compile(TODAY_PLAN)).first
    found = re.search(r"/plans/(\d+)", link.get_attribute("href") or "")
    assert found is not None
    return int(found.group(1))


def test_a_stale_action_in_a_second_tab_says_so_and_keeps_the_typed_text(
    server: Server, browser: Any
) -> None:
    base = server.base_url
    context = browser.new_context(locale="th-TH")
    first = context.new_page()
    sign_in(first, base, "laemrang.committee")
    plan_id = _today_plan(first, base)
    second = context.new_page()  # the same person, another tab
    for tab in (first, second):
        tab.goto(f"{base}/plans/{plan_id}")
    first.fill("#action-return_for_revision-comment", "โปรดเพิ่มโครงการถนน")
    first.click("[data-testid=do-return_for_revision]")
    first.wait_for_url(re.compile(rf"/plans/{plan_id}\?saved=1$"))

    second.fill("#action-approve-comment", "เห็นชอบตามเสนอ ครบถ้วน")
    second.click("[data-testid=do-approve]")
    second.wait_for_url(re.compile(rf"/plans/{plan_id}(#.*)?$"))  # not /actions/…
    stale = second.locator("#stale")
    assert "มีผู้ดำเนินการก่อนแล้ว" in stale.inner_text()
    assert "ร่าง" in stale.inner_text()  # the plan's state now
    assert second.input_value("#kept-comment") == "เห็นชอบตามเสนอ ครบถ้วน"
    screenshot(second, "office-01-stale-second-tab")
    records = second.locator("ol.timeline > li").count()
    second.reload()  # a refresh shows the plan, resubmits nothing
    assert second.locator("#stale").count() == 0
    assert second.locator("ol.timeline > li").count() == records
    context.close()


def test_dates_are_typed_in_the_buddhist_era_and_instants_shown_in_thai_time(
    server: Server, browser: Any
) -> None:
    base = server.base_url
    clerk = browser.new_context(locale="th-TH").new_page()
    sign_in(clerk, base, "laemrang.staff")
    clerk.goto(f"{base}/plans/new")
    assert clerk.get_attribute("#trigger_on", "type") == "text"
    assert re.fullmatch(r"\d\d/\d\d/25\d\d", clerk.input_value("#trigger_on"))
    assert "พ.ศ." in clerk.locator("#trigger_on-hint").inner_text()
    clerk.fill("#title", "แผนทดสอบวันที่")
    clerk.fill("#trigger_on", "20/11/2026")  # a CE year: refused, never read silently
    clerk.click("#create button[type=submit]")
    clerk.wait_for_url(f"{base}/plans/new")
    error = clerk.locator("#create-trigger_on-error").inner_text()
    assert "2026 ไม่ใช่ปีพุทธศักราช" in error and "2569" in error
    assert clerk.input_value("#title") == "แผนทดสอบวันที่"
    screenshot(clerk, "office-02-date-ce-refused")
    clerk.fill("#trigger_on", "1/1/2800")
    clerk.click("#create button[type=submit]")
    error = clerk.locator("#create-trigger_on-error").inner_text()
    assert "1 ม.ค. 2543 ถึง 31 ธ.ค. 2742" in error and "2800" in error

    plan_id = _today_plan(clerk, base)
    clerk.goto(f"{base}/plans/{plan_id}")
    stamp = clerk.locator("ol.timeline time").first.inner_text()
    assert re.fullmatch(r"\d{1,2} \S+ 25\d\d เวลา \d\d:\d\d น\.", stamp), stamp
    assert "UTC" not in clerk.locator("main").inner_text()


def test_what_cannot_be_undone_is_confirmed_and_withdraw_is_red(
    server: Server, browser: Any
) -> None:
    base = server.base_url
    executive = browser.new_context(locale="th-TH").new_page()
    sign_in(executive, base, "laemrang.executive")
    plan_id = _today_plan(executive, base)  # not yet announced: the executive may withdraw
    executive.goto(f"{base}/plans/{plan_id}")
    state = executive.get_by_test_id("state").inner_text()
    withdraw = executive.locator("[data-testid=do-withdraw]")
    red = withdraw.evaluate("b => getComputedStyle(b).backgroundColor")
    assert red == "rgb(179, 38, 30)", red
    assert "ย้อนกลับไม่ได้" in executive.locator("#action-withdraw").inner_text()
    executive.set_viewport_size({"width": 360, "height": 740})  # the long state label wraps
    # the page reflows over a frame or two after the resize; an overflow that stays fails
    executive.wait_for_function(
        "() => document.documentElement.scrollWidth <= 360", polling=100, timeout=3000
    )
    screenshot(executive, "office-03-withdraw-red")
    executive.fill("#action-withdraw-comment", "ทดสอบ")
    withdraw.click()  # not confirmed: the browser keeps the form, nothing is sent
    assert re.search(r"/plans/\d+$", executive.url)
    assert executive.get_by_test_id("state").inner_text() == state
    assert executive.locator("#action-withdraw-confirm:invalid").count() == 1


def test_next_steps_waiting_for_and_search_by_title(server: Server, browser: Any) -> None:
    base = server.base_url
    clerk = browser.new_context(locale="th-TH").new_page()
    sign_in(clerk, base, "laemrang.staff")
    clerk.goto(f"{base}/dashboard")
    header = clerk.locator("header .me").inner_text()
    assert header.count("ฝ่ายเลขานุการ") == 1
    committee = browser.new_context(locale="th-TH").new_page()
    sign_in(committee, base, "laemrang.committee")
    committee.goto(f"{base}/dashboard")
    screenshot(committee, "office-04-dashboard-committee")
    clerk.fill("#q", "ประจำปีงบประมาณ พ.ศ. 2562")
    clerk.click("form.filters button[type=submit]")
    clerk.wait_for_url(re.compile(r"q="))
    titles = clerk.locator("table.plans tbody tr").all_inner_texts()
    assert titles and all("2562" in t for t in titles)
    assert "ครั้งที่" not in clerk.locator("table.plans").inner_text()  # the annual plan
    chips = clerk.locator(".chip-blocked").all_inner_texts()
    assert any("ทำได้ตั้งแต่" in c for c in chips) or not chips
    screenshot(clerk, "office-05-dashboard-search")


def test_a_likely_second_plan_is_warned_and_an_amendment_picks_its_plan(
    server: Server, browser: Any
) -> None:
    base = server.base_url
    clerk = browser.new_context(locale="th-TH").new_page()
    sign_in(clerk, base, "laemrang.staff")
    clerk.goto(f"{base}/plans/new")
    clerk.select_option("#kind", "supplementary")
    clerk.select_option("#trigger_kind", "accumulated_funds")  # as the demo's plan of today
    clerk.fill("#title", "แผนเพิ่มเติม ฉบับซ้ำ")
    clerk.click("#create button[type=submit]")
    clerk.wait_for_url(f"{base}/plans/new")
    warning = clerk.locator("#create-twin_ok-error").inner_text()
    assert "มีแผนประเภท ปี และเหตุเดียวกันอยู่แล้ว" in warning and TODAY_PLAN in warning
    screenshot(clerk, "office-06-likely-twin")
    clerk.check("#twin_ok")  # a warning, not a refusal
    clerk.click("#create button[type=submit]")
    clerk.wait_for_url(re.compile(r"/plans/\d+\?saved=1$"))

    executive = browser.new_context(locale="th-TH").new_page()
    sign_in(executive, base, "laemrang.executive")
    executive.goto(f"{base}/plans/new")
    options = executive.locator("#amends_plan_id option").all_inner_texts()
    assert any("ประจำปีงบประมาณ พ.ศ. 2562" in o for o in options), options
    assert not any(TODAY_PLAN in o for o in options)  # not in force: not amendable
