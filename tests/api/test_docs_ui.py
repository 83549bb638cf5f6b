"""/docs works on an intranet without internet (only local URLs) and can be switched off."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.settings import Settings
from models.clock import FixedClock
from workflow.calendar import WorkingCalendar

REFERENCE = re.compile(r"""(?:src|href|url)\s*[:=]\s*["']([^"']+)["']""")


def test_docs_reference_only_local_files(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "http://" not in page.text and "https://" not in page.text and "//cdn" not in page.text
    urls = REFERENCE.findall(page.text)
    assert set(urls) >= {"/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"}
    assert "/openapi.json" in urls
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        fetched = client.get(url)
        assert fetched.status_code == 200, url
    assert "validatorUrl\": null" in page.text  # no badge fetched from swagger.io


def test_docs_assets_are_cacheable_and_carry_their_licence(client: TestClient) -> None:
    script = client.get("/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert "no-store" not in script.headers.get("Cache-Control", "")
    assert script.headers["X-Content-Type-Options"] == "nosniff"
    licence = client.get("/docs/assets/LICENSE")
    assert licence.status_code == 200 and "Apache License" in licence.text


def test_docs_can_be_switched_off(
    db_url: str, engine: Engine, clock: FixedClock, calendar: WorkingCalendar
) -> None:
    settings = Settings(database_url=db_url, api_docs=False)
    app = create_app(settings, engine=engine, clock=clock, calendar=calendar)
    with TestClient(app) as client:
        assert client.get("/docs").status_code == 404
        assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 404
        assert client.get("/openapi.json").status_code == 200  # clients still read the schema
