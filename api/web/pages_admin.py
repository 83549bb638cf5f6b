"""The admin's users page (/admin/users): every user, with whether they can sign in, and
adding one (with a first password, so they can); each user's own page is
api/web/pages_admin_user.py. The holiday overlay is api/web/pages_admin_holidays.py, the
outbox api/web/pages_admin_outbox.py, organizations api/web/pages_admin_orgs.py."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool

from api import auth
from api.deps import Services
from api.routing import Routes
from api.web import admin_kit, forms
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.db import read_session
from models.enums import Role
from models.organization import Organization
from workflow import account_admin, uow
from workflow.accounts import list_users
from workflow.errors import DomainError

router = Routes(prefix="/admin", route_class=WebRoute, include_in_schema=False)
ASSIGNABLE = (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN)


def _users_page(
    request: Request,
    services: Services,
    who: auth.Principal,
    form: forms.FormState | None,
    status: int = 200,
    saved: str | None = None,
) -> HTMLResponse:
    account_admin.require_admin(who.actor)
    with read_session(services.engine) as db:
        users = list_users(db)
        orgs = list(db.exec(select(Organization).order_by(col(Organization.code))))
    return render(
        request,
        "admin_users.html",
        who=who,
        status=status,
        users=users,
        orgs=orgs,
        form=form,
        assignable=ASSIGNABLE,
        saved_note=admin_kit.saved_note(saved),
    )


@router.get("/users", response_class=HTMLResponse)
def users(
    request: Request, who: Who, services: WebServices, saved: admin_kit.Saved = None
) -> HTMLResponse:
    kept = admin_kit.kept(request, "/admin/users")
    return admin_kit.shown(request, _users_page(request, services, who, kept, saved=saved))


def _add_user(
    services: Services, who: auth.Principal, values: dict[str, str]
) -> forms.FormState | None:
    form = forms.FormState("add-user", values)
    try:
        role = Role(values.get("role", ""))
    except ValueError:
        form.add("role", "ต้องเลือกบทบาท", "choose a role")
        return form
    # the input rules run in create_user; their reasons come back beside the fields
    new = account_admin.NewUser(
        username=values.get("username", ""),
        role=role,
        full_name=values.get("full_name", ""),
        organization_code=values.get("organization_code", "").strip() or None,
        scope_province=values.get("scope_province", "").strip() or None,
        password=values.get("password") or None,
    )
    try:
        uow.run(
            services.engine,
            services.clock,
            lambda s: account_admin.create_user(s, actor=who.actor, clock=services.clock, new=new),
        )
    except DomainError as error:
        if error.code == "forbidden":
            raise
        state = forms.refused_form(form.name, values, error)
        for r in error.reasons:
            if r.code.startswith("password"):
                state.errors.setdefault("password", []).append((r.th, r.en))
        return state
    return None


@router.post("/users", response_class=HTMLResponse)
async def add_user(request: Request, who: Who, services: WebServices) -> Response:
    values = await form_of(request)
    form = await run_in_threadpool(_add_user, services, who, values)
    if form is not None:
        form.values.pop("password", None)  # a password never travels back in the cookie
    return admin_kit.back(request, "/admin/users", form, "user_added")


