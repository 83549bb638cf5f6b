"""The memberships on a user's admin page (/admin/users/{username}): grant a role from a date
and end one (workflow/memberships.py: each an account event). A refusal comes back beside
its field with the input kept (api/web/admin_kit.py)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.routing import Routes
from api.web import admin_kit
from api.web.pages_admin_user import FIELDS, Username, _where
from api.web.render import WebRoute, WebServices, Who, form_of
from models.enums import Role
from workflow import memberships
from workflow.account_admin import require_admin
from workflow.errors import reason
from workflow.input_rules import InvalidInput

router = Routes(prefix="/admin", route_class=WebRoute, include_in_schema=False)
MEMBER_FIELDS = {
    **FIELDS,
    "ends_before_start": "ends_on",
    "membership_overlaps": "role",
    "membership_ended": "ends_on",
    "last_admin": "ends_on",
}


def _day(values: dict[str, str], field: str) -> date | None:
    """A date field of the form (YYYY-MM-DD, as the browser's date input sends it)."""
    raw = values.get(field, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        wrong = reason(field, "ไม่ใช่วันที่ (ปปปป-ดด-วว)", "not a date (YYYY-MM-DD)")
        raise InvalidInput([wrong], field=field) from error


@router.post("/users/{username}/memberships", response_class=HTMLResponse)
async def grant(request: Request, username: Username, who: Who, services: WebServices) -> Response:
    values = await form_of(request)
    require_admin(who.actor)

    def work(s: Session) -> None:
        try:
            role = Role(values.get("role", ""))
        except ValueError as error:
            choose = reason("role", "ต้องเลือกบทบาท", "choose a role")
            raise InvalidInput([choose], field="role") from error
        memberships.grant_membership(
            s,
            actor=who.actor,
            clock=services.clock,
            username=username,
            role=role,
            organization_code=values.get("organization_code", "").strip() or None,
            starts_on=_day(values, "starts_on"),
            ends_on=_day(values, "ends_on"),
        )

    form = await admin_kit.run_form(services, "grant", values, work, fields=MEMBER_FIELDS)
    return admin_kit.back(request, _where(username), form, "membership_granted")


@router.post("/users/{username}/memberships/{membership_id}/end", response_class=HTMLResponse)
async def end(
    request: Request,
    username: Username,
    membership_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    who: Who,
    services: WebServices,
) -> Response:
    values = await form_of(request)
    require_admin(who.actor)

    def work(s: Session) -> None:
        memberships.end_membership(
            s,
            actor=who.actor,
            clock=services.clock,
            username=username,
            membership_id=membership_id,
            ends_on=_day(values, "ends_on"),
        )

    name = f"end-{membership_id}"
    form = await admin_kit.run_form(services, name, values, work, fields=MEMBER_FIELDS)
    return admin_kit.back(request, _where(username), form, "membership_ended")
