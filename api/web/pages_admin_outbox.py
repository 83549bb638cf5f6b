"""The admin's outbox page (/admin/outbox): messages and deliveries by status (waiting,
failed for good, delivered), paged, with the channel, the recipient, the attempts and the
last error, times in Thai local time; "ส่งใหม่" queues a failed one again through the core
(notifications/admin.retry_failed, as `POST /api/v1/admin/outbox/retry`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

from api.web import admin_kit
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.db import read_session
from models.enums import OutboxStatus
from models.organization import User
from notifications import admin as outbox_admin
from workflow import account_admin

router = APIRouter(prefix="/admin", route_class=WebRoute, include_in_schema=False)
PER_PAGE = 50
STATUS_LABELS = {
    "pending": ("รอส่ง (รวมที่กำลังลองส่งใหม่)", "Waiting (including retries)"),
    "failed": ("ส่งไม่สำเร็จ เลิกลองแล้ว", "Failed for good"),
    "sent": ("ส่งแล้ว", "Delivered"),
}
CHANNEL_LABELS = {
    "email": ("อีเมล", "E-mail"),
    "line": ("LINE", "LINE"),
    "in_app": ("ในระบบ", "In the app"),
    "webhook": ("เว็บฮุก", "Webhook"),
}


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    rows = session.exec(select(User).where(col(User.id).in_(ids))).all() if ids else []
    return {u.id or 0: u.full_name or u.username for u in rows}


@router.get("/outbox", response_class=HTMLResponse)
def outbox(
    request: Request,
    who: Who,
    services: WebServices,
    status: Annotated[OutboxStatus, Query()] = OutboxStatus.FAILED,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    saved: admin_kit.Saved = None,
) -> HTMLResponse:
    account_admin.require_admin(who.actor)
    with read_session(services.engine) as db:
        found = outbox_admin.page_outbox(db, status=status, page=page, per_page=PER_PAGE)
        names = _names(db, {e.user_id for e in found.entries if e.user_id})
    return render(
        request,
        "admin_outbox.html",
        who=who,
        found=found,
        chosen=status.value,
        statuses=STATUS_LABELS,
        channels=CHANNEL_LABELS,
        names=names,
        saved_note=admin_kit.saved_note(saved),
    )


@router.post("/outbox/retry", response_class=HTMLResponse)
async def retry(request: Request, who: Who, services: WebServices) -> Response:
    """Queue one failed delivery or message again (attempts start over)."""
    values = await form_of(request)
    account_admin.require_admin(who.actor)
    kind, _, raw = values.get("entry", "").partition(":")
    entry_id = int(raw) if raw.isdigit() and len(raw) <= 10 else 0
    deliveries = (entry_id,) if kind == "delivery" else ()
    messages = (entry_id,) if kind == "message" else ()
    await services.run(
        lambda s: outbox_admin.retry_failed(
            s, clock=services.clock, delivery_ids=deliveries, message_ids=messages
        )
    )
    return admin_kit.back(request, "/admin/outbox", None, "retried")
