"""Outbox rows written by commands: who must be told what, delivered later by notifications/."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from models.enums import OutboxStatus, Role
from models.outbox import OutboxMessage
from models.plan import Plan


def message(
    *,
    key: str,
    kind: str,
    organization_id: int,
    plan_id: int | None,
    audience: tuple[Role, ...],
    payload: dict[str, Any],
    now: datetime,
    deadline_id: int | None = None,
) -> dict[str, Any]:
    """The column values of one outbox message; `key` makes it unique (a retry of the same
    event adds nothing)."""
    return {
        "idempotency_key": key,
        "kind": kind,
        "organization_id": organization_id,
        "plan_id": plan_id,
        "deadline_id": deadline_id,
        "audience": [role.value for role in audience],
        "payload": payload,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "available_at": now,
        "created_at": now,
    }


def enqueue(
    session: Session,
    *,
    key: str,
    kind: str,
    plan: Plan,
    audience: tuple[Role, ...],
    payload: dict[str, Any],
    now: datetime,
    deadline_id: int | None = None,
) -> OutboxMessage:
    """Queue one message through the session (see `message`)."""
    row = OutboxMessage(
        **message(
            key=key,
            kind=kind,
            organization_id=plan.organization_id,
            plan_id=plan.id,
            audience=audience,
            payload=payload,
            now=now,
            deadline_id=deadline_id,
        )
    )
    session.add(row)
    return row
