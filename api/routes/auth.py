"""POST /auth/token: username and password (form or JSON) → a bearer token."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import auth
from api.deps import ServicesDep
from api.routes.common import problems
from api.routing import Routes
from api.schemas.accounts import LOGIN_EXAMPLE, LoginBody, TokenRead

router = Routes(tags=["auth"])

_LOGIN_SCHEMA = {"$ref": "#/components/schemas/LoginBody"}
_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": _LOGIN_SCHEMA,
                "examples": {"form": {"summary": "OAuth2 password form", "value": LOGIN_EXAMPLE}},
            },
            "application/json": {
                "schema": _LOGIN_SCHEMA,
                "examples": {"json": {"summary": "JSON body", "value": LOGIN_EXAMPLE}},
            },
        },
    }
}


async def _login_body(request: Request) -> LoginBody:
    """Accept the OAuth2 password form or a JSON object with the same two fields."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw: object
    try:
        if content_type == "application/json":
            raw = json.loads(await request.body())
        else:
            form = await request.form()
            raw = {k: v for k, v in form.items() if isinstance(v, str)}
    except (ValueError, UnicodeDecodeError, StarletteHTTPException) as err:
        raise RequestValidationError(
            [{"type": "body_invalid", "loc": ("body",), "msg": f"unreadable body: {err}"}]
        ) from err
    if not isinstance(raw, dict):
        raise RequestValidationError(
            [{"type": "model_type", "loc": ("body",), "msg": "expected an object"}]
        )
    try:
        return LoginBody.model_validate(raw)
    except ValidationError as err:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in err.errors(include_url=False)]
        ) from err


@router.post(
    "/auth/token",
    response_model=TokenRead,
    summary="Log in with username and password",
    openapi_extra=_OPENAPI,
    responses=problems(401, 422, 429),
)
async def token(request: Request, services: ServicesDep) -> TokenRead:
    body = await _login_body(request)
    address = request.client.host if request.client else "unknown"
    issued = await run_in_threadpool(
        auth.login,
        services.engine,
        request=auth.LoginRequest(body.username or "", body.password, address),
        clock=services.clock,
        limits=services.limits,
        lifetime=timedelta(minutes=services.settings.login_token_minutes),
    )
    return TokenRead.of(issued)
