"""The admin's and the auditor's new pages in Debian's Chromium against a real `localplan
serve` (issue 18, items 6–8): the outbox (a browser gets HTML; a delivery that failed for
good is sent again), a user edited, refused beside the field, deactivated and given a
password, a user added without one who then signs in, an office's settings and emblem, its
contacts, the built-in holidays, compliance across years with its CSV, and the demo's first
screen not red. axe-core runs on each new page at 360 and 1366 px: 0 serious or critical.
Screenshots under test-output/web/admin-*.png.

The server of this module sends e-mail to a closed port on 127.0.0.1 with one attempt, so
the demo's first alerts fail for good and the outbox has something to retry."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serve import ServeProcess
from tests.web.conftest import OUTPUT, WIDTHS, Server, _seed, need_chromium, screenshot, sign_in
from tests.web.test_office_axe import BAD, axe_file, violations

pytestmark = pytest.mark.slow
CODE = "6660603"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One serve process for the module: the demo, e-mail to a closed port, one attempt."""
    need_chromium()
    tmp = tmp_path_factory.mktemp("admin-web")
    env = {
        **os.environ,
        "LOCALPLAN_DATABASE_URL": f"sqlite:///{tmp / 'web.db'}",
        "LOCALPLAN_SMTP_HOST": "127.0.0.1",
        "LOCALPLAN_SMTP_PORT": str(closed_port()),
        "LOCALPLAN_SMTP_STARTTLS": "false",
        "LOCALPLAN_SMTP_TIMEOUT_SECONDS": "2",
        "LOCALPLAN_DELIVERY_MAX_ATTEMPTS": "1",
    }
    _seed(env)
    serve = ServeProcess(env, tmp / "serve.log")
    try:
        serve.start()
        yield Server(serve.base_url, env, serve.log)
    finally:
        serve.stop()
        errors = [line for line in serve.log.read_text().splitlines() if " 500 " in line]
        assert not errors, errors


def measured(page: Any, axe: Path, name: str, figures: dict[str, Any]) -> None:
    """axe-core on the page as it stands, at both widths, and its screenshots."""
    url = page.url
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        found = violations(page, axe)
        figures[f"{name} {width}"] = {
            "all": len(found),
            "serious_or_critical": [v for v in found if v["impact"] in BAD],
            "other": [v["id"] for v in found if v["impact"] not in BAD],
        }
        del label
    screenshot(page, f"admin-{name}")


def saved(page: Any) -> str:
    note = page.get_by_test_id("saved")
    note.wait_for()
    return str(note.inner_text())


def test_admin_pages_in_the_browser(server: Server, browser: Any, tmp_path: Path) -> None:
    axe, base, figures = axe_file(), server.base_url, {}
    admin = browser.new_context(bypass_csp=True, locale="th-TH").new_page()
    sign_in(admin, base, "admin")
    # a user: refused beside the field with the input kept, then saved
    admin.goto(f"{base}/admin/users/laemrang.staff")
    admin.fill("#e-full_name", "นางสาวสมใจ ใจดีมาก")
    admin.fill("#e-email", "not-an-address@")
    admin.locator("#e-email").evaluate("e => e.type = 'text'")  # past the browser's own check
    admin.get_by_test_id("save-user").click()
    admin.locator("#edit-user-email-error").wait_for()
    assert admin.input_value("#e-full_name") == "นางสาวสมใจ ใจดีมาก"
    screenshot(admin, "admin-user-refused")
    admin.fill("#e-email", "somjai@laemrang.example")
    admin.get_by_test_id("save-user").click()
    assert "บันทึกข้อมูลผู้ใช้แล้ว" in saved(admin)
    assert re.search(r"\?saved=user_saved$", admin.url)
    measured(admin, axe, "user", figures)
    admin.get_by_test_id("deactivate").click()  # without the tick: refused
    admin.locator("#status-confirm-error").wait_for()
    admin.check("#e-confirm")
    admin.get_by_test_id("deactivate").click()
    assert "ระงับบัญชีแล้ว" in saved(admin)
    admin.get_by_test_id("reactivate").click()
    assert "เปิดใช้บัญชีอีกครั้งแล้ว" in saved(admin)
    # a user added without a password, then given one, signs in
    admin.goto(f"{base}/admin/users")
    admin.fill("#u-username", "laemrang.newclerk")
    admin.fill("#u-full_name", "นายใหม่ มาทำงาน")
    admin.select_option("#u-org", CODE)
    admin.click("#add-user button[type=submit]")
    assert "เพิ่มผู้ใช้แล้ว" in saved(admin)
    row = admin.locator("tr", has_text="laemrang.newclerk")
    assert "ยังไม่มีรหัสผ่าน" in row.inner_text()
    measured(admin, axe, "users", figures)
    admin.get_by_test_id("edit-laemrang.newclerk").click()
    admin.fill("#e-new_password", "short")
    admin.get_by_test_id("set-password").click()
    admin.locator("#password-new_password-error").wait_for()
    admin.fill("#e-new_password", "clerk-password-2569")
    admin.get_by_test_id("set-password").click()
    assert "ตั้งรหัสผ่านใหม่แล้ว" in saved(admin)
    clerk = browser.new_context(locale="th-TH").new_page()
    sign_in(clerk, base, "laemrang.newclerk", "clerk-password-2569")
    clerk.context.close()
    _outbox(admin, base, axe, figures)
    _organization(admin, base, axe, figures, tmp_path)
    admin.goto(f"{base}/admin/holidays")
    builtin = admin.get_by_test_id("builtin").inner_text()
    assert "วันสิ้นปี" in builtin or "ขึ้นปีใหม่" in builtin, builtin
    measured(admin, axe, "holidays", figures)
    _auditor(browser, base, axe, figures)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "axe-admin.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    bad = {k: v["serious_or_critical"] for k, v in figures.items() if v["serious_or_critical"]}
    assert len(figures) == 2 * 8, sorted(figures)
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


def _outbox(admin: Any, base: str, axe: Path, figures: dict[str, Any]) -> None:
    """The demo's alerts went to a closed port once: failed for good; one is sent again."""
    response = admin.goto(f"{base}/admin/outbox")
    assert response.headers["content-type"].startswith("text/html")
    for _ in range(30):  # the delivery thread's pass after the saves above
        if admin.get_by_test_id("outbox-row").count():
            break
        admin.wait_for_timeout(500)
        admin.reload()
    rows = admin.get_by_test_id("outbox-row")
    assert rows.count() >= 1
    first = rows.first.inner_text()
    assert "อีเมล" in first and " น." in first, first
    table = admin.locator("main table").inner_text()
    assert "เสนอ" in table and "แผนการดำเนินงาน" in table, table  # in words, plans by title
    measured(admin, axe, "outbox", figures)
    before = rows.count()
    rows.first.get_by_role("button", name="ส่งใหม่").click()
    assert "ส่งใหม่แล้ว" in saved(admin)
    admin.select_option("#o-status", "sent")
    admin.click("#outbox-filter button[type=submit]")
    admin.wait_for_url(re.compile(r"status=sent"))
    assert "ส่งแล้ว" in admin.get_by_test_id("outbox-count").inner_text()
    del before


def _organization(
    admin: Any, base: str, axe: Path, figures: dict[str, Any], tmp_path: Path
) -> None:
    from PIL import Image

    admin.goto(f"{base}/admin/organizations")
    measured(admin, axe, "organizations", figures)
    admin.goto(f"{base}/admin/organizations/{CODE}")
    admin.fill("#s-executive_name", "นายสมชาย ใจดี")
    admin.fill("#s-website", "laemrang.go.th")
    admin.get_by_test_id("save-settings").click()
    admin.locator("#settings-website-error").wait_for()
    assert admin.input_value("#s-executive_name") == "นายสมชาย ใจดี"
    admin.fill("#s-website", "https://laemrang.go.th")
    admin.get_by_test_id("save-settings").click()
    assert "บันทึกการตั้งค่าหน่วยงานแล้ว" in saved(admin)
    emblem = tmp_path / "emblem.jpg"
    Image.new("RGB", (120, 120), (20, 90, 160)).save(emblem, "JPEG")
    admin.set_input_files("#s-emblem", str(emblem))
    admin.get_by_test_id("upload-emblem").click()
    assert "บันทึกตราหน่วยงานแล้ว" in saved(admin)
    shown = admin.get_by_test_id("emblem-now")
    got = admin.request.get(base + str(shown.get_attribute("src")))
    assert got.ok and got.body().startswith(b"\x89PNG"), (got.status, got.headers, got.body()[:200])
    assert shown.evaluate("img => img.decode().then(() => img.naturalWidth)") == 120  # served
    measured(admin, axe, "organization", figures)
    admin.goto(f"{base}/admin/organizations/{CODE}/contacts")
    admin.fill("#c-laemrang\\.committee", "prasit@laemrang.example")
    admin.get_by_test_id("save-email-laemrang.committee").click()
    assert "บันทึกช่องทางติดต่อแล้ว" in saved(admin)
    assert admin.input_value("#c-laemrang\\.committee") == "prasit@laemrang.example"
    measured(admin, axe, "contacts", figures)


def _auditor(browser: Any, base: str, axe: Path, figures: dict[str, Any]) -> None:
    auditor = browser.new_context(bypass_csp=True, locale="th-TH").new_page()
    sign_in(auditor, base, "phichit.auditor")
    # the demo's first screen is not red: nothing is overdue
    assert auditor.locator(".due-late").count() == 0
    auditor.goto(f"{base}/audit/compliance/years?fiscal_year_from=2570&fiscal_year_to=2562")
    error = auditor.locator("#years-fiscal_year_to-error").inner_text()
    assert "อยู่ก่อนปีเริ่มต้น" in error
    auditor.fill("#fy-from", "2562")
    auditor.fill("#fy-to", "2570")
    auditor.click("#years button[type=submit]")
    auditor.get_by_test_id("totals").wait_for()
    assert auditor.get_by_test_id("year-2562").locator("td").first.inner_text() == "1"
    measured(auditor, axe, "compliance-years", figures)
    with auditor.expect_download() as download:
        auditor.get_by_test_id("plans-csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    fy2562 = [r for r in rows if r["ปีงบประมาณ พ.ศ. (fiscal_year_be)"] == "2562"]
    assert fy2562 and {r["รหัสผล (status)"] for r in fy2562} == {"on_time"}
    assert fy2562[0]["ชื่อแผน (plan_title)"] == "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562"
    auditor.context.close()
