"""The public page of signed checkpoints: no sign-in, Thai Buddhist-Era dates in Bangkok time,
the public key and how to check, the JSON linked; readable at 360 px in a real browser."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.keys import init_key, load_key, public_info
from api.settings import Settings
from api.web.pages_public import local_time
from models.clock import FixedClock
from models.enums import PlanKind, PlanState
from tests.api.test_serve_e2e import cli
from tests.factories import Office
from tests.helpers import walk
from tests.serve import ServeProcess
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, need_chromium, screenshot
from workflow import log, uow
from workflow.commands import Context

NAME = "localplan.test/แหลมรัง"


def test_thai_local_time() -> None:
    at = datetime(2026, 12, 1, 7, 6, tzinfo=UTC)
    assert local_time(at, "th") == "1 ธ.ค. 2569 เวลา 14:06 น."
    assert local_time(at, "en") == "1 Dec 2026 (BE 2569), 14:06 (Bangkok)"
    assert local_time(datetime(2026, 12, 31, 17, 30, tzinfo=UTC), "th") == (
        "1 ม.ค. 2570 เวลา 00:30 น."  # after midnight in Bangkok: the next day and year
    )


@pytest.fixture
def page_client(
    db_url: str, engine: Engine, ctx: Context, office: Office, tmp_path: Path
) -> Iterator[tuple[TestClient, Any]]:
    path = tmp_path / "signing.key"
    init_key(path, name=NAME)
    key = load_key(path)
    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(2026, 12, 1, 7, 6, tzinfo=UTC))
    uow.run(engine, clock, lambda s: log.sign_checkpoint(s, key=key, clock=clock))
    settings = Settings(database_url=db_url, signing_key_file=str(path))
    app = create_app(settings, engine=engine, clock=clock, calendar=ctx.calendar)
    with TestClient(app) as client:
        yield client, key


def test_the_page_lists_checkpoints_keys_and_how_to_check(
    page_client: tuple[TestClient, Any],
) -> None:
    client, key = page_client
    answer = client.get("/checkpoints")
    assert answer.status_code == 200
    html = answer.text
    listing = client.get("/api/v1/checkpoints").json()
    [point] = listing["checkpoints"]
    info = public_info(key)
    assert "1 ธ.ค. 2569 เวลา 14:06 น." in html
    assert point["root"] in html and info["public_key"] in html and info["vkey"] in html
    assert f'data-size="{point["size"]}"' in html
    assert 'href="/api/v1/checkpoints"' in html and "check_checkpoint.py" in html
    assert point["note"].split("\n")[-2] in html  # the signature line, verbatim
    assert 'href="/checkpoints"' in client.get("/notices").text  # linked from every page
    client.cookies.set("localplan_lang", "en")
    english = client.get("/checkpoints").text
    assert "1 Dec 2026 (BE 2569), 14:06 (Bangkok)" in english


def test_the_page_at_360_px(tmp_path: Path) -> None:
    need_chromium()
    from playwright.sync_api import sync_playwright

    key = tmp_path / "signing.key"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LOCALPLAN_")},
        "LOCALPLAN_DATABASE_URL": f"sqlite:///{tmp_path / 'page.db'}",
        "LOCALPLAN_SIGNING_KEY_FILE": str(key),
    }
    for args in (("demo",), ("keys", "init", "--name", NAME), ("audit", "checkpoint")):
        done = cli(env, *args)
        assert done.returncode == 0, done.stderr
    serve = ServeProcess(env, tmp_path / "serve.log")
    serve.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 360, "height": 740})
            page.goto(f"{serve.base_url}/checkpoints")
            page.click("details summary")
            width = page.evaluate("document.documentElement.scrollWidth")
            text = page.inner_text("main")
            screenshot(page, "checkpoints")
            browser.close()
        health = json.loads(cli(env, "keys", "show").stdout)
    finally:
        serve.stop()
    assert width <= 360, f"the page is {width} px wide at 360 px"
    assert "เวลา" in text and health["key_id"] in text
