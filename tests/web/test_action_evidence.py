"""Evidence attached at the action's form (docs/domain.md "Evidence", "Carried with the
action"), in Debian's Chromium against a real `localplan serve`: the executive announces with
the signed ประกาศ as a PDF in the same form, and the plan's gallery shows it, not late."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests import evidence_files as files
from tests.web.conftest import Server, sign_in

pytestmark = pytest.mark.slow
TITLE = "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2571 (แนบหลักฐานพร้อมการประกาศ)"


def _act(page: Any, base: str, plan_id: int, action: str, attach: Path | None = None) -> None:
    page.goto(f"{base}/plans/{plan_id}")
    if attach is not None:
        field = page.locator(f"#action-{action}-evidence")
        assert field.get_attribute("accept") == "image/*,application/pdf"
        field.set_input_files(str(attach))
    confirm = page.locator(f"#action-{action}-confirm")
    if confirm.count():
        confirm.check()
    page.click(f"[data-testid=do-{action}]")
    page.wait_for_url(re.compile(rf"/plans/{plan_id}\?saved=1$"))


def test_announce_with_the_signed_notice_attached(
    server: Server, browser: Any, tmp_path: Path
) -> None:
    base = server.base_url
    signed = tmp_path / "signed-notice.pdf"
    signed.write_bytes(files.pdf("signed notice"))
    clerk = browser.new_context(locale="th-TH").new_page()
    sign_in(clerk, base, "laemrang.staff")
    clerk.goto(f"{base}/plans/new")
    clerk.fill("#title", TITLE)
    clerk.fill("#fiscal_year_be", "2571")
    clerk.click("#create button[type=submit]")
    clerk.wait_for_url(re.compile(r"/plans/\d+\?saved=1$"))
    found = re.search(r"/plans/(\d+)", clerk.url)
    assert found is not None
    plan_id = int(found.group(1))
    _act(clerk, base, plan_id, "submit")
    committee = browser.new_context().new_page()
    sign_in(committee, base, "laemrang.committee")
    _act(committee, base, plan_id, "approve")
    executive = browser.new_context().new_page()
    sign_in(executive, base, "laemrang.executive")
    _act(executive, base, plan_id, "announce", attach=signed)
    assert executive.get_by_test_id("state").inner_text() == "ประกาศแล้ว"

    clerk.goto(f"{base}/plans/{plan_id}/evidence")
    gallery = clerk.locator("ul.gallery li.evidence")
    assert gallery.count() == 1
    text = gallery.first.inner_text()
    assert "ประกาศที่ลงนามแล้ว" in text and "laemrang.executive" in text
    assert "แนบภายหลัง" not in text  # carried with the action: not late
    link = gallery.first.locator("a").first.get_attribute("href")
    assert link is not None
    served = clerk.request.get(f"{base}{link}")
    assert served.ok and served.body() == signed.read_bytes()
