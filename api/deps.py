"""What a request needs: the services built once at start, the caller, the request id."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Annotated, Protocol, TypeVar

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import Principal, authenticate
from api.settings import Settings
from api.throttling import (
    LoginLimits,
    UnseenLimits,
    run_command,
    run_unit_command,
    unseen_limits,
)
from models.clock import Clock
from models.db import WriterBusy, WriteUnit, write_now
from workflow.commands import Context

T = TypeVar("T")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class Wakeable(Protocol):
    def wake(self) -> None: ...


@dataclass
class Waker:
    """Wakes the immediate-delivery worker (api/immediate.py) once a command has committed;
    nothing when the app runs without one (tests, `delivery_immediate` off)."""

    worker: Wakeable | None = None

    def __call__(self) -> None:
        if self.worker is not None:
            self.worker.wake()


@dataclass(frozen=True)
class Services:
    """Built once by the app factory and handed to every request."""

    settings: Settings
    engine: Engine
    ctx: Context
    limits: LoginLimits
    # SQLite has one writer at a time: commands (and the read of their answer) run on this one
    # thread, in arrival order, instead of 32 pool threads queueing on the writer lock and
    # contending for the GIL; a quick one on the event loop when the writer is free (`write`).
    # None (PostgreSQL): the thread pool, in parallel.
    writer: ThreadPoolExecutor | None = None
    waker: Waker = field(default_factory=Waker)

    @property
    def clock(self) -> Clock:
        return self.ctx.clock

    async def write(self, work: Callable[[], T], *, quick: bool = False) -> T:
        """Run a blocking write (and what it returns) off the event loop; `quick` (a command
        of a few indexed statements, nothing slow: `workflow.commands.quick`), on SQLite, on
        the event loop itself when the writer is free at once (`models.db.write_now`).

        On the loop, one thread does the whole request: on the writer thread every statement
        of the command let the GIL go (SQLite releases it around each step) and the loop took
        it, so each action handed the GIL across the cores dozens of times; on the loop the `http`
        bench's actions per second rose by about 40 % (docs/benchmarks.md
        "Speed, ninth round"). A writer that is busy (another write of this process under way
        or queued, another process holding the file's lock) is never waited for on the loop:
        the write goes to the writer thread, where it waits its turn."""
        if self.writer is None:
            return await run_in_threadpool(work)
        if quick:
            try:
                with write_now():
                    return work()
            except WriterBusy:
                pass  # nothing was written: in turn on the writer thread
        return await asyncio.get_running_loop().run_in_executor(self.writer, work)

    async def run(self, command: Callable[[Session], T]) -> T:
        """Run one workflow command in its unit of work (api.throttling.run_command around
        workflow.uow.run), off the event loop:
        the one way every handler runs a command. `command` also builds what the handler
        shows, in the command's transaction, from what the command returns."""
        return await self._committed(
            lambda limits: run_command(self.engine, self.clock, command, limits=limits), False
        )

    async def run_unit(self, command: Callable[[WriteUnit], T], *, quick: bool = False) -> T:
        """`run` for a command that takes a `WriteUnit` (an action's: no ORM session unless a
        step makes one, workflow.uow.run_unit); `quick`: see `write`."""
        return await self._committed(
            lambda limits: run_unit_command(self.engine, self.clock, command, limits=limits),
            quick,
        )

    async def _committed(self, work: Callable[[UnseenLimits], T], quick: bool) -> T:
        limits = unseen_limits(self.settings)  # plans outside the caller's scope: counted
        result = await self.write(lambda: work(limits), quick=quick)
        self.waker()  # committed: its outbox messages go out now, not at the next tick
        return result


# The dependencies that neither block nor touch the database are `async def`: FastAPI runs a
# plain `def` dependency in the thread pool, a hop per dependency and request.
def services_of(request: Request) -> Services:
    """The app's services, read where a handler has the request already: each dependency
    FastAPI resolves costs tens of microseconds a request (its cache key, scopes and
    parameters, computed anew each time: docs/benchmarks.md "Speed, ninth round")."""
    services: Services = request.app.state.services
    return services


async def get_services(request: Request) -> Services:
    return services_of(request)


ServicesDep = Annotated[Services, Depends(get_services)]

bearer = HTTPBearer(
    auto_error=False,
    description="An API token (`localplan tokens create`) or one from POST /api/v1/auth/token",
)


AS_ROLE_HEADER = "X-As-Role"  # the role a person holding several acts in (docs/api.md)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The caller, in the role the `X-As-Role` header names (read from the request, not
    declared per operation: docs/api.md "Conventions", acting in one of several roles).

    On SQLite (`services.writer` set) the lookup runs on the event loop: one indexed read
    (api/auth.py) of a local file takes less than the hop to a pool thread, and with 32
    connections the pool's threads were 32 more contenders for the GIL beside the writer thread
    and the loop, which made the actions' latency tail (docs/benchmarks.md
    "Speed, fifth round: the server"). On PostgreSQL, a network round trip, it runs in the
    thread pool."""
    services = services_of(request)
    token = credentials.credentials if credentials is not None else None
    as_role = request.headers.get(AS_ROLE_HEADER) or None

    def look_up() -> Principal:
        return authenticate(services.engine, token=token, clock=services.clock, as_role=as_role)

    if services.writer is not None:
        return look_up()
    return await run_in_threadpool(look_up)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def request_id_of(request: Request) -> str:
    """The request's id (`RequestIdMiddleware`), where a handler has the request already."""
    request_id: str = request.state.request_id
    return request_id


async def get_request_id(request: Request) -> str:
    return request_id_of(request)


RequestId = Annotated[str, Depends(get_request_id)]


class RequestIdMiddleware:
    """Give every request an id (the client's X-Request-ID if well formed, else a new one),
    keep it in `request.state.request_id` and echo it on the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown_query(request: Request) -> None:
    """Refuse query parameters the operation does not declare: a mistyped filter
    (`fiscalyear=2562`) must not silently widen an auditor's result."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_names(route.dependant)
    unknown = sorted({name for name in request.query_params if name not in known})
    if unknown:
        raise RequestValidationError(
            [
                {
                    "type": "unknown_parameter",
                    "loc": ("query", name or "(empty)"),
                    "msg": f"unknown query parameter; known: {', '.join(sorted(known)) or 'none'}",
                }
                for name in unknown
            ]
        )


StrictQuery = Depends(reject_unknown_query)
