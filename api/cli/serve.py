"""`localplan serve`: the HTTP API and web pages on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import engine, settings


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port", min=1, max=65535)] = 8000,
    no_scheduler: Annotated[
        bool, typer.Option("--no-scheduler", help="do not run the scheduler in this process")
    ] = False,
) -> None:
    """Start the HTTP API on uvicorn (the database is migrated first)."""
    from api import serving

    serving.hold()  # no collections while the app is imported and built (api/serving.py)
    import uvicorn

    from api import log_redact
    from api.app import create_app

    cfg = settings()
    app = create_app(
        cfg,
        engine=engine(cfg, long_running=True),
        run_scheduler=not no_scheduler,
        deliver_now=cfg.delivery_immediate,
    )
    log_redact.install()  # no `?access_token=` value in the access log
    serving.settle()  # the collector and the GIL, as api/serving.py says
    # Forwarded headers are the app's to believe, from LOCALPLAN_TRUSTED_PROXIES only
    # (api/proxies.py): uvicorn's own default trusts X-Forwarded-For from 127.0.0.1.
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
