"""A monitoring report on the public board in Debian's Chromium against a real `localplan
serve` with the demo (docs/domain.md "Monitoring reports"): an annual-round report of the
demo's FY 2562 plan (the demo seeds its 6-month one) walked by `localplan report act` (its
announcement rendering the papers, as the CLI's Context carries the report renderer), then
read without signing in: at 360 px the cards fit the screen, the page shows the findings and
the SHA-256 of the frozen files, which the downloads match. Both widths photographed under
test-output/web/."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest

from tests.api.test_serve_e2e import cli
from tests.web.conftest import Server, screenshot

pytestmark = pytest.mark.slow
DEMO_PLAN = 1  # the demo's FY 2562 plan, its posting complete
FINDINGS = "การดำเนินงานเป็นไปตามแผนร้อยละ 34.43"


def walk_report(server: Server) -> int:
    made = cli(server.env, "report", "create", "--fiscal-year", "2562", "--round", "annual",
               "--username", "laemrang.staff", "--plan", str(DEMO_PLAN))
    assert made.returncode == 0, made.stderr
    found = re.match(r"#(\d+) ", made.stdout)
    assert found is not None, made.stdout
    report = found.group(1)
    papers = {**server.env, "LOCALPLAN_DOCUMENTS_AT_ANNOUNCE": "true"}
    steps = [
        ("submit", "laemrang.staff", ()),
        ("approve", "laemrang.monitoring",
         ("--findings", FINDINGS, "--recommendations", "ควรเร่งรัดการเบิกจ่าย")),
        ("present", "laemrang.executive", ()),
        ("announce", "laemrang.executive", ()),
        ("post", "laemrang.staff", ("--place", "ป้ายประกาศ ที่ทำการ อบต.แหลมรัง")),
    ]
    for version, (action, who, extra) in enumerate(steps, start=1):
        done = cli(papers if action == "announce" else server.env, "report", "act", report,
                   action, "--username", who, "--expected-version", str(version), *extra)
        assert done.returncode == 0, (action, done.stderr)
    return int(report)


def test_citizens_read_a_posted_report_on_a_phone(server: Server, browser: Any) -> None:
    report = walk_report(server)
    page = browser.new_context(locale="th-TH").new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{server.base_url}/board/reports")
    card = page.locator(f'li.report[data-report="{report}"]')
    assert "รอบปี" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "board-reports")
    page.set_viewport_size({"width": 360, "height": 740})
    card.get_by_role("link").click()
    assert FINDINGS in page.get_by_test_id("board-report-findings").inner_text()
    assert "โครงการทั้งหมด" in page.get_by_test_id("board-report-figures").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shown = page.get_by_test_id("board-report-documents").inner_text()
    for name in ("notice.pdf", "report.pdf"):
        got = page.request.get(f"{server.base_url}/board/reports/{report}/{name}")
        assert got.status == 200 and hashlib.sha256(got.body()).hexdigest() in shown
    screenshot(page, "board-report")
