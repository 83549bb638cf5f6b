"""The admin's outbox page (/admin/outbox): messages and deliveries by status (waiting,
failed for good, delivered), paged, with the channel, the recipient, the attempts and the
last error, times in Thai local time; "ส่งใหม่" queues a failed one again through the core
(notifications/admin.retry_failed, as `POST /api/v1/admin/outbox/retry`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

from api.routing import Routes
from api.web import admin_kit, i18n
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.db import read_session
from models.enums import OutboxStatus
from models.organization import User
from models.plan import Plan
from models.report import MonitoringReport
from notifications import admin as outbox_admin
from workflow import account_admin
from workflow.table_reports import ROUND_LABELS

router = Routes(prefix="/admin", route_class=WebRoute, include_in_schema=False)
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


KIND_LABELS = {
    "alert.reminder": ("เตือนล่วงหน้า", "Reminder"),
    "alert.reminder.today": ("เตือน: ครบกำหนดวันนี้", "Reminder: due today"),
    "alert.last_working_day": ("เตือน: วันทำการสุดท้าย", "Last working day"),
    "alert.overdue": ("แจ้งเลยกำหนด", "Overdue"),
    "alert.may_come_down": ("ปลดประกาศได้", "May come down"),
    "deadline.extended": ("ขยายกำหนดเวลา", "Deadline extended"),
    "digest": ("สรุปประจำวัน", "Daily digest"),
    "admin.delivery_failed": ("แจ้งผู้ดูแล: ส่งไม่สำเร็จ", "To admins: delivery failed"),
    "admin.scheduler_degraded": ("แจ้งผู้ดูแล: ตัวตั้งเวลาขัดข้อง", "To admins: scheduler degraded"),
    "report.half_reminder": ("เตือน: รายงานรอบหกเดือน", "Reminder: the 6-month report"),
}


def kind_label(kind: str) -> tuple[str, str]:
    """What a message is about, in words (a plan event by its action's label)."""
    action = kind.removeprefix("transition.").removeprefix("report.")
    if action != kind and action in i18n.ACTION_LABELS:
        return i18n.ACTION_LABELS[action]
    return KIND_LABELS.get(kind, (kind, kind))


def _titles(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Plan.id, Plan.title).where(col(Plan.id).in_(ids))).all()
    return {plan_id or 0: title for plan_id, title in rows}


def report_names(session: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    """Each report named by its round and fiscal year, in Thai and English."""
    rows = session.exec(select(MonitoringReport).where(col(MonitoringReport.id).in_(ids))).all()
    return {
        r.id or 0: (
            f"รายงานผลการติดตาม {ROUND_LABELS[r.round][0]} ปีงบประมาณ {r.fiscal_year_be}",
            f"Monitoring report, {ROUND_LABELS[r.round][1]}, fiscal year {r.fiscal_year_be}",
        )
        for r in rows
    } if ids else {}


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
        titles = _titles(db, {e.plan_id for e in found.entries if e.plan_id})
        reports = report_names(db, {e.report_id for e in found.entries if e.report_id})
    return render(
        request,
        "admin_outbox.html",
        who=who,
        found=found,
        chosen=status.value,
        statuses=STATUS_LABELS,
        channels=CHANNEL_LABELS,
        names=names,
        titles=titles,
        reports=reports,
        kind_label=kind_label,
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
