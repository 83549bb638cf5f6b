"""The interactive API reference at /docs, served from the Swagger UI files the
`swagger-ui-py` package ships (Apache-2.0, its LICENSE beside them at /docs/assets/LICENSE):
no CDN, so it works on an office intranet without internet. Off with
`LOCALPLAN_API_DOCS=false`; /openapi.json stays (clients and the contract test read it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"
# Swagger UI's defaults that would reach the internet: the validator badge.
PARAMETERS = {"validatorUrl": None, "deepLinking": True, "persistAuthorization": False}


def assets_dir() -> Path:
    """Where the package keeps Swagger UI's files, found without importing the package
    (its __init__ loads YAML and web-framework adapters we do not use)."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is not installed: pip install swagger-ui-py")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def install(app: FastAPI, *, openapi_url: str) -> None:
    """Serve /docs and its assets from this machine."""
    app.mount(ASSETS_PATH, StaticFiles(directory=assets_dir()), name="docs-assets")

    @app.get(DOCS_PATH, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} · API",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon-32x32.png",
            swagger_ui_parameters=PARAMETERS,
        )
