"""Browser fixtures: a real `localplan serve` on 127.0.0.1 (demo data plus a second
organization), and Debian's Chromium driven by Playwright (never a downloaded browser).

Without /usr/bin/chromium the browser tests skip locally with the reason, and fail in CI
(`CI` set), where `.ci/run` installs `chromium` and `fonts-thai-tlwg`."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.api.test_serve_e2e import cli
from tests.serve import LOCALPLAN, ServeProcess

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "web"
WIDTHS = {"phone": (360, 740), "desktop": (1366, 900)}
PASSWORD = "demo-password-2562"
AWAY_CODE = "6650101"
AWAY_STAFF = "away.staff"


def need_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: apt-get install -y chromium fonts-thai-tlwg"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Server:
    base_url: str
    env: dict[str, str]
    log: Path


def _seed(env: dict[str, str]) -> None:
    steps = [
        ("demo",),
        (
            "orgs",
            "add",
            "--code",
            AWAY_CODE,
            "--name",
            "องค์การบริหารส่วนตำบลท่าทอง",
            "--type",
            "sao",
            "--district",
            "เมืองพิษณุโลก",
            "--province",
            "พิษณุโลก",
        ),
        ("users", "add", "--username", AWAY_STAFF, "--role", "staff", "--organization", AWAY_CODE),
    ]
    for args in steps:
        done = cli(env, *args)
        assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [LOCALPLAN, "users", "set-password", "--username", AWAY_STAFF, "--password-stdin"],
        env=env,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One serve process per test module, on a fresh SQLite file."""
    need_chromium()
    tmp = tmp_path_factory.mktemp("web")
    env = {**os.environ, "LOCALPLAN_DATABASE_URL": f"sqlite:///{tmp / 'web.db'}"}
    _seed(env)
    serve = ServeProcess(env, tmp / "serve.log")
    try:
        serve.start()
        yield Server(serve.base_url, env, serve.log)
    finally:
        serve.stop()
        server_errors = [line for line in serve.log.read_text().splitlines() if " 500 " in line]
        assert not server_errors, server_errors


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def screenshot(page: Any, name: str) -> list[Path]:
    """The page at phone and desktop widths, full length, under test-output/web/."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    written = []
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        path = OUTPUT / f"{name}-{label}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        written.append(path)
    page.set_viewport_size({"width": WIDTHS["desktop"][0], "height": WIDTHS["desktop"][1]})
    return written


def sign_in(page: Any, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/signin")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base_url}/dashboard")
