"""The ASGI app the `http` bench serves: the real app from the app factory, as `localplan serve`
builds it and settles its process (api/serving.py), plus one trivial JSON route for the
baseline on the same server.

`uvicorn --factory bench.http_app:app` (settings from LOCALPLAN_* variables). The bench route
lives here only, never in the product.
"""

from __future__ import annotations

from api import serving

serving.hold()  # as `localplan serve` does before the app's modules load (api/cli/serve.py)

from fastapi import FastAPI  # noqa: E402

from api.app import create_app  # noqa: E402
from api.settings import Settings  # noqa: E402
from models.db import make_engine, upgrade  # noqa: E402

TRIVIAL = "/bench/trivial"


def app() -> FastAPI:
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
