"""The ASGI app the `http` bench serves: the real app from the app factory, as `localplan serve`
builds it and settles its process (api/serving.py), plus one trivial JSON route for the
baseline on the same server.

`uvicorn --factory bench.http_app:app` (settings from LOCALPLAN_* variables). The bench route
lives here only, never in the product.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from api import serving

if TYPE_CHECKING:
    from fastapi import FastAPI

TRIVIAL = "/bench/trivial"  # also read by bench/web.py, which must not load the app with it


def app() -> FastAPI:
    serving.hold()  # as `localplan serve` does before the app's modules load (api/cli/serve.py)
    from api.app import create_app
    from api.settings import Settings
    from models.db import make_engine, upgrade

    settings = Settings()
    engine = make_engine(  # as `localplan serve` makes it (api/cli/serve.py)
        settings.database_url, pool_size=settings.db_pool_size, checkpoint_behind=True
    )
    upgrade(engine)
    built = create_app(settings, engine=engine)

    @built.get(TRIVIAL, include_in_schema=False)
    async def trivial() -> dict[str, str]:
        return {"status": "ok"}

    serving.settle()  # as `localplan serve` does (api/cli/serve.py)
    return built
