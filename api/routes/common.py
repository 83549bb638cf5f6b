"""Documented error responses shared by the routers (all application/problem+json)."""

from __future__ import annotations

from typing import Any

from api.schemas.common import Problem


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    text = {
        401: "No valid bearer token",
        403: "The caller's role or organization may not do this",
        404: "Not found, or outside the caller's scope",
        409: "Invalid transition, stale version or refused by a guard",
        422: "Invalid input: the reasons name the field and why",
        429: "Too many failed logins, or commands on plans not found (Retry-After: seconds)",
        503: "Not ready",
    }
    return {s: {"model": Problem, "description": text[s]} for s in statuses}


READ = problems(401, 404, 422)
WRITE = problems(401, 403, 404, 409, 422, 429)
