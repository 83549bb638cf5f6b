"""The signed-in person's alerts inbox: reminders, warnings and plan events, marked read."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from api.routing import Routes
from api.web.pages_admin_outbox import report_names
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.db import read_session
from models.plan import Plan
from notifications import inbox

router = Routes(route_class=WebRoute, include_in_schema=False)


@router.get("/alerts", response_class=HTMLResponse)
def alerts(request: Request, who: Who, services: WebServices) -> HTMLResponse:
    with read_session(services.engine) as db:
        items = inbox.list_alerts(db, user_id=who.user.id or 0, limit=200)
        titles = _titles(db, {a.plan_id for a in items if a.plan_id is not None})
        about = inbox.reports_of(db, items)  # alert id → the report its message is about
        reports = report_names(db, set(about.values()))
    return render(request, "alerts.html", who=who, items=items, titles=titles, about=about,
                  reports=reports)


def _titles(db: Session, plan_ids: set[int]) -> dict[int, str]:
    """The titles of the plans the person's own alerts name (plans are named by title)."""
    if not plan_ids:
        return {}
    rows = db.exec(select(Plan.id, Plan.title).where(col(Plan.id).in_(plan_ids))).all()
    return {plan_id: title for plan_id, title in rows if plan_id is not None}


@router.post("/alerts/read", response_class=HTMLResponse)
async def mark_read(request: Request, who: Who, services: WebServices) -> Response:
    values = await form_of(request)
    ids = tuple(int(v) for v in values.get("ids", "").split(",") if v.strip().isdigit())
    await services.run(
        lambda s: inbox.mark_read(s, user_id=who.user.id or 0, clock=services.clock, alert_ids=ids)
    )
    return RedirectResponse("/alerts", 303)
