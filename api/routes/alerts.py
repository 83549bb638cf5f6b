"""In-app alerts of the caller (with mark-as-read), and the outbox for admins."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Body, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import CurrentPrincipal, ServicesDep
from api.routes.common import problems
from api.routing import Routes
from api.schemas.accounts import AlertRead
from api.schemas.rules import StrictFlag
from models.alert import InAppAlert
from models.db import read_session, write_session
from models.enums import OutboxStatus
from notifications import admin as outbox_admin
from notifications import inbox
from workflow.account_admin import require_admin

router = Routes(prefix="/me/alerts", tags=["me"], responses=problems(401, 422))
admin = Routes(prefix="/admin/outbox", tags=["admin"], responses=problems(401, 403, 422))
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many, newest first")]


class InAppAlertRead(AlertRead):
    subject: str
    read_at: datetime | None
    report_id: int | None = None  # the monitoring report it is about (its page: /reports/{id})

    @classmethod
    def of(cls, row: InAppAlert, report_id: int | None = None) -> InAppAlertRead:
        assert row.id is not None
        return cls(
            id=row.id,
            kind=row.kind,
            plan_id=row.plan_id,
            created_at=row.created_at,
            text_th=row.text_th or row.body_text,
            text_en=row.text_en or row.body_text,
            subject=row.subject,
            read_at=row.read_at,
            report_id=report_id,
        )


class InAppAlertList(BaseModel):
    items: list[InAppAlertRead]


class MarkRead(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[Id] = Field(default_factory=list, max_length=500, description="none: all unread")


class Marked(BaseModel):
    marked: int
    unread: int


class OutboxEntryRead(BaseModel):
    type: str = Field(examples=["delivery"])
    id: int
    key: str
    kind: str
    status: OutboxStatus
    channel: str | None
    address: str | None
    user_id: int | None
    plan_id: int | None
    report_id: int | None = None  # the monitoring report it is about (migration 0020)
    attempts: int
    last_error: str | None
    created_at: datetime
    available_at: datetime
    sent_at: datetime | None


class OutboxList(BaseModel):
    items: list[OutboxEntryRead]


class RetryBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    delivery_ids: list[Id] = Field(default_factory=list, max_length=500)
    message_ids: list[Id] = Field(default_factory=list, max_length=500)
    all: StrictFlag = False


class Retried(BaseModel):
    queued: int


MARK_EXAMPLES: dict[str, Any] = {
    "some": {"summary": "These alerts", "value": {"ids": [3, 4]}},
    "all": {"summary": "Every unread alert", "value": {}},
}
RETRY_EXAMPLES: dict[str, Any] = {
    "one": {"summary": "One failed delivery", "value": {"delivery_ids": [12]}},
    "all": {"summary": "Everything that failed", "value": {"all": True}},
}


@router.get("", response_model=InAppAlertList)
def list_alerts(
    who: CurrentPrincipal,
    services: ServicesDep,
    unread: Annotated[StrictFlag, Query(description="only alerts not yet read")] = False,
    limit: Limit = 100,
) -> InAppAlertList:
    """The caller's in-app alerts (reminders, warnings, overdue notices, plan events)."""
    assert who.user.id is not None
    with read_session(services.engine) as session:
        rows = inbox.list_alerts(session, user_id=who.user.id, unread_only=unread, limit=limit)
        about = inbox.reports_of(session, rows)
        return InAppAlertList(items=[InAppAlertRead.of(r, about.get(r.id or 0)) for r in rows])


@router.post("/read", response_model=Marked)
def mark_read(
    body: Annotated[MarkRead, Body(openapi_examples=MARK_EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> Marked:
    """Mark the caller's alerts read (all unread ones when no id is given)."""
    assert who.user.id is not None
    user_id = who.user.id
    with write_session(services.engine) as session:  # committed before the response
        marked = inbox.mark_read(
            session, user_id=user_id, clock=services.clock, alert_ids=tuple(body.ids)
        )
        unread = inbox.count_unread(session, user_id=user_id)
    return Marked(marked=marked, unread=unread)


@admin.get("", response_model=OutboxList)
def list_outbox(
    who: CurrentPrincipal,
    services: ServicesDep,
    status: Annotated[OutboxStatus, Query(description="failed, pending or sent")] = (
        OutboxStatus.FAILED
    ),
    limit: Limit = 200,
) -> OutboxList:
    """Messages and deliveries with a status (default: failed), newest first. Admins only."""
    require_admin(who.actor)
    with read_session(services.engine) as session:
        entries = outbox_admin.list_outbox(session, status=status, limit=limit)
    return OutboxList(items=[OutboxEntryRead(**e.__dict__) for e in entries])


@admin.post("/retry", response_model=Retried)
def retry(
    body: Annotated[RetryBody, Body(openapi_examples=RETRY_EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> Retried:
    """Queue failed deliveries or messages again (attempts start over). Admins only."""
    require_admin(who.actor)
    with write_session(services.engine) as session:
        queued = outbox_admin.retry_failed(
            session,
            clock=services.clock,
            delivery_ids=tuple(body.delivery_ids),
            message_ids=tuple(body.message_ids),
            everything=body.all,
        )
    services.waker()  # the queued ones go out now
    return Retried(queued=queued)
