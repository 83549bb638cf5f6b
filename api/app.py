"""The FastAPI application factory. Settings are built by the caller and handed in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from sqlalchemy import Engine

from api import docs_ui, errors, log_redact, web
from api.deps import RequestIdMiddleware, Services, StrictQuery
from api.headers import SecurityHeadersMiddleware
from api.immediate import DeliveryWorker, delivery_pass
from api.proxies import ForwardedMiddleware
from api.routes import (
    alerts,
    audit,
    auth,
    checkpoints,
    contacts,
    content,
    content_files,
    corrections,
    documents,
    evidence,
    health,
    in_force,
    ita,
    line_webhook,
    me,
    memberships,
    plans,
    progress,
    public_progress,
    public_reports,
    report_figures,
    reports,
    users,
)
from api.routes import calendar as calendar_routes
from api.scheduler import LocalplanScheduler, new_instance_id, start_scheduler
from api.schemas.accounts import LoginBody
from api.schemas.common import Problem
from api.schemas.plans import ActionRequest, ExtensionRequest
from api.settings import Settings
from api.throttling import login_limits
from documents.pdf_papers import announce_renderer
from documents.pdf_report_papers import report_announce_renderer
from models.clock import Clock, SystemClock
from models.db import make_engine, upgrade
from workflow.calendar import WorkingCalendar
from workflow.commands import Context

API_PREFIX = "/api/v1"
PROBLEM_CONTENT = errors.PROBLEM_JSON
DESCRIPTION = """\
แผนการดำเนินงาน อปท.: the workflow of a Thai local operational plan (clauses 26–27).

Authenticate with `Authorization: Bearer <token>`: a token from `POST /api/v1/auth/token`
(username and password) or an API token from `localplan tokens create`.
Every error is `application/problem+json` (RFC 9457) with a stable `code` and `reasons`
in Thai and English. Send `X-Request-ID` to correlate: it is stored on the audit record.
"""


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    clock: Clock | None = None,
    calendar: WorkingCalendar | None = None,
    run_scheduler: bool = False,
    deliver_now: bool = False,
) -> FastAPI:
    """Build the app. Without `engine` one is made from the settings and migrated on start
    (a given engine is the caller's: migrated and disposed by them);
    `clock` and `calendar` default to the system clock and the database's holiday calendar;
    `deliver_now` starts the delivery thread woken by each committed command (api/immediate.py)."""
    owned = engine is None
    built = (
        engine
        if engine is not None
        else make_engine(settings.database_url, pool_size=settings.db_pool_size)
    )
    services = Services(
        settings=settings,
        engine=built,
        ctx=Context(
            settings.policy(),
            clock or SystemClock(),
            calendar,
            evidence=settings.evidence(),
            renderer=(  # the papers (workflow/papers.py)
                announce_renderer(settings.public_url) if settings.documents_at_announce else None
            ),
            report_renderer=(  # a monitoring report's papers (workflow/report_papers.py)
                report_announce_renderer(settings.public_url)
                if settings.documents_at_announce
                else None
            ),
        ),
        limits=login_limits(settings),
        writer=(  # lives as long as the app (which may be started more than once in tests)
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="localplan-writer")
            if built.dialect.name == "sqlite"
            else None
        ),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if owned:  # a fresh database is created and migrated on first start
            upgrade(built)
        # The scheduler runs beside the API unless `serve --no-scheduler`.
        ticking = (
            start_scheduler(settings, built, clock=clock, calendar=calendar)
            if run_scheduler
            else None
        )
        worker = _start_worker(services, ticking) if deliver_now else None
        yield
        if worker is not None:
            services.waker.worker = None
            worker.stop()
        if ticking is not None:
            ticking.shutdown()
        if owned:
            built.dispose()

    app = FastAPI(
        title="localplan",
        version="1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url=None,  # served from local files below, unless switched off
        redoc_url=None,
        dependencies=[StrictQuery],
    )
    app.state.services = services
    errors.install(app)  # its last-resort middleware goes innermost
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(
        SecurityHeadersMiddleware, https_only=(settings.public_url or "").startswith("https://")
    )
    # outermost: every later layer (and uvicorn's access log) sees the client as believed
    app.add_middleware(ForwardedMiddleware, trusted=settings.trusted_proxies)
    for router in (
        auth.router,
        in_force.router,  # before plans.router: /plans/in-force is not /plans/{id}
        plans.router,
        corrections.router,
        content.router,
        evidence.router,
        documents.router,
        audit.router,
        calendar_routes.router,
        calendar_routes.admin,
        users.router,
        memberships.router,
        me.router,
        alerts.router,
        alerts.admin,
        checkpoints.router,
        content_files.router,
        progress.router,
        ita.router,
        report_figures.router,
        public_progress.router,
        public_reports.router,
        reports.router,
        contacts.me,
        contacts.admin,
        line_webhook.router,
    ):
        router.install(app.router, prefix=API_PREFIX)  # built once, on the app (api/routing.py)
    health.router.install(app.router)
    # Web pages: server-rendered Thai pages and their static files.
    for pages in web.PAGES:
        pages.install(app.router)
    app.mount("/static", web.static_files(), name="static")
    if settings.api_docs:
        docs_ui.install(app, openapi_url="/openapi.json")
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, with every error response as application/problem+json."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (Problem, LoginBody, ActionRequest, ExtensionRequest):  # read by the route
        found = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in found.pop("$defs", {}).items():
            components.setdefault(name, sub)
        components.setdefault(model.__name__, found)
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                body = content.get("application/json")
                if body and body.get("schema", {}).get("$ref", "").endswith("/Problem"):
                    content[errors.PROBLEM_JSON] = content.pop("application/json")
    _declare_shared_errors(schema)
    app.openapi_schema = schema
    return schema


def _declare_shared_errors(schema: dict[str, Any]) -> None:
    """The errors any operation of the API may give, declared on each so the document tells
    the whole truth (docs/api.md "Conventions", errors): 503 when the database is
    unavailable, and on writes 409 `conflict` when a concurrent change won a uniqueness race."""
    problem = {PROBLEM_CONTENT: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    shared = {
        "409": {"description": "A concurrent change won (retry)", "content": problem},
        "503": {"description": "The database is unavailable (Retry-After)", "content": problem},
    }
    for path, item in schema.get("paths", {}).items():
        if not path.startswith(API_PREFIX):
            continue
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            if method in ("post", "put", "patch", "delete"):
                responses.setdefault("409", shared["409"])
            responses.setdefault("503", shared["503"])


def app_from_env() -> FastAPI:
    """For `uvicorn --factory api.app:app_from_env`: settings from LOCALPLAN_* variables."""
    log_redact.install()  # uvicorn has set up its logging by now
    return create_app(Settings())


def _start_worker(services: Services, ticking: LocalplanScheduler | None) -> DeliveryWorker:
    """The immediate-delivery thread, leased under this process's own name."""
    base = ticking.ticks.instance_id if ticking is not None else new_instance_id()
    work = delivery_pass(services.settings, services.engine, services.clock, owner=f"{base}:now")
    worker = DeliveryWorker(work)
    services.waker.worker = worker
    worker.start()
    return worker
