"""One user's admin page (/admin/users/{username}): edit the name, role, organization,
auditor province and e-mail; deactivate or reactivate; set a new password. Every change goes
through the account commands (workflow/account_details.py, account_status.py,
account_admin.py), so it is an account event in the log; the e-mail address is a
preference (notifications/contacts.py). Each save returns to the page with a confirmation."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

from api import auth
from api.deps import Services
from api.routing import Routes
from api.web import admin_kit, forms
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.alert import UserContact
from models.clock import today_bangkok
from models.db import read_session
from models.enums import Role
from models.membership import Membership
from models.organization import AuditorScope, Organization, User
from notifications.contacts import ContactError, set_email
from workflow import account_admin, account_status
from workflow.account_details import change_name
from workflow.accounts import find_user
from workflow.errors import reason
from workflow.input_rules import InvalidInput
from workflow.memberships import memberships_of

router = Routes(prefix="/admin", route_class=WebRoute, include_in_schema=False)
ASSIGNABLE = (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN)
Username = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9._-]+$")]
# Which field a refusal of these commands belongs beside (other reasons go above the form).
FIELDS = {
    "organization_required": "organization_code",
    "scope_required": "scope_province",
    "last_admin": "role",
    "role_reserved": "role",
    "password_too_short": "new_password",
    "cannot_deactivate_self": "confirm",
}


def _where(username: str) -> str:
    return f"/admin/users/{username}"


def _page(
    request: Request, services: Services, who: auth.Principal, username: str, saved: str | None
) -> HTMLResponse:
    account_admin.require_admin(who.actor)
    form = admin_kit.kept(request, _where(username))
    with read_session(services.engine) as db:
        user = find_user(db, username)
        contact = db.get(UserContact, user.id)
        orgs = list(db.exec(select(Organization).order_by(col(Organization.code))))
        listed = db.exec(select(AuditorScope).where(AuditorScope.user_id == user.id)).all()
        held = memberships_of(db, username)
    today = today_bangkok(services.clock)
    org_code = next((o.code for o in orgs if o.id == user.organization_id), "")
    current = {
        "full_name": user.full_name,
        "role": Role(user.role).value,
        "organization_code": org_code,
        "scope_province": user.scope_province or "",
        "email": contact.email if contact else "",
    }
    page = render(
        request,
        "admin_user.html",
        who=who,
        user=user,
        current=current,
        listed=[o.code for o in orgs if o.id in {r.organization_id for r in listed}],
        orgs=orgs,
        form=form,
        assignable=ASSIGNABLE,
        memberships=[(m, _in_force(m, today)) for m in held],
        org_codes={o.id: o.code for o in orgs},
        saved_note=admin_kit.saved_note(saved),
    )
    return admin_kit.shown(request, page)


def _in_force(m: Membership, today: date) -> bool:
    return m.starts_on <= today and (m.ends_on is None or today <= m.ends_on)


@router.get("/users/{username}", response_class=HTMLResponse)
def user_page(
    request: Request,
    username: Username,
    who: Who,
    services: WebServices,
    saved: admin_kit.Saved = None,
) -> HTMLResponse:
    return _page(request, services, who, username, saved)


def _edit(
    s: Session, services: Services, who: auth.Principal, user: User, values: dict[str, str]
) -> None:
    """The edit form in one transaction: name, role and organization, auditor province,
    e-mail; each command writes its own account event when something changed."""
    clock, actor = services.clock, who.actor
    change_name(s, actor=actor, clock=clock, username=user.username,
                full_name=values.get("full_name", ""))
    try:
        role = Role(values.get("role", ""))
    except ValueError as error:
        choose = reason("role", "ต้องเลือกบทบาท", "choose a role")
        raise InvalidInput([choose], field="role") from error
    org_code = values.get("organization_code", "").strip() or None
    account_status.change_role(
        s, actor=actor, clock=clock, username=user.username, role=role, organization_code=org_code
    )
    if role is Role.AUDITOR:
        codes = tuple(
            o.code
            for o in s.exec(
                select(Organization)
                .join(AuditorScope, col(AuditorScope.organization_id) == col(Organization.id))
                .where(AuditorScope.user_id == user.id)
            )
        )
        province = values.get("scope_province", "").strip() or None
        if province != user.scope_province or not (province or codes):
            account_status.change_scope(
                s, actor=actor, clock=clock, username=user.username, province=province,
                organization_codes=codes,
            )
    email = values.get("email", "").strip() or None
    try:
        set_email(s, username=user.username, email=email, clock=clock)
    except ContactError as error:
        th = "ไม่ใช่ที่อยู่อีเมล" if not error.missing else error.th
        raise InvalidInput([reason("email", th, str(error))], field="email") from error


@router.post("/users/{username}", response_class=HTMLResponse)
async def edit_user(
    request: Request, username: Username, who: Who, services: WebServices
) -> Response:
    values = await form_of(request)
    account_admin.require_admin(who.actor)

    def work(s: Session) -> None:
        _edit(s, services, who, find_user(s, username), values)

    form = await admin_kit.run_form(services, "edit-user", values, work, fields=FIELDS)
    return admin_kit.back(request, _where(username), form, "user_saved")


@router.post("/users/{username}/password", response_class=HTMLResponse)
async def set_password(
    request: Request, username: Username, who: Who, services: WebServices
) -> Response:
    values = await form_of(request)
    password = values.get("new_password", "")
    values = {}  # a password never travels back in the cookie

    def work(s: Session) -> None:
        account_admin.admin_set_password(
            s, actor=who.actor, clock=services.clock, username=username, password=password
        )

    form = await admin_kit.run_form(services, "password", values, work, fields=FIELDS)
    return admin_kit.back(request, _where(username), form, "password_set")


@router.post("/users/{username}/status", response_class=HTMLResponse)
async def set_status(
    request: Request, username: Username, who: Who, services: WebServices
) -> Response:
    """Deactivate (confirmed by a tick, checked here as the plan pages do) or reactivate."""
    values = await form_of(request)
    account_admin.require_admin(who.actor)
    deactivate = values.get("change") == "deactivate"
    if deactivate and values.get("confirm") != "yes":
        unticked = forms.FormState("status", values)
        unticked.add("confirm", "ต้องทำเครื่องหมายยืนยันก่อน", "tick the confirmation first")
        return admin_kit.back(request, _where(username), unticked, "")
    command = account_status.deactivate_user if deactivate else account_status.reactivate_user

    def work(s: Session) -> None:
        command(s, actor=who.actor, clock=services.clock, username=username)

    form = await admin_kit.run_form(services, "status", values, work, fields=FIELDS)
    saved = "deactivated" if deactivate else "reactivated"
    return admin_kit.back(request, _where(username), form, saved)
