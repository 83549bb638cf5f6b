"""Outbox rows written by commands: who must be told what, delivered later by notifications/."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models.enums import OutboxStatus, Role
from models.fastsql import Encoded


def message(
    *,
    key: str,
    kind: str,
    organization_id: int,
    plan_id: int | None,
    audience: tuple[Role, ...],
    payload: dict[str, Any] | Encoded,
    now: datetime,
    deadline_id: int | None = None,
    report_id: int | None = None,
) -> dict[str, Any]:
    """The column values of one outbox message; `key` makes it unique (a retry of the same
    event adds nothing). `payload` given `Encoded` is its JSON text, stored as it is."""
    return {
        "idempotency_key": key,
        "kind": kind,
        "organization_id": organization_id,
        "plan_id": plan_id,
        "deadline_id": deadline_id,
        "report_id": report_id,
        "audience": [role.value for role in audience],
        "payload": payload,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "available_at": now,
        "created_at": now,
    }
