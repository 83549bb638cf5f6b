"""An office's notification contacts (/admin/organizations/{code}/contacts): the e-mail
address of each of its people (notifications/contacts.py set_email), and LINE: the ids the
webhook captured, linked to a person of the office or to the office's group, or unlinked
(notifications/line_contacts.py link, as `PUT /api/v1/admin/line/contacts/{line_id}`).
Preferences, not history, as on the API; each save returns with a confirmation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

from api.routing import Routes
from api.web import admin_kit
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.alert import LineContact, UserContact
from models.db import read_session
from models.organization import Organization, User
from notifications import line_contacts
from notifications.contacts import ContactError, set_email
from workflow import account_admin
from workflow.accounts import get_organization_by_code
from workflow.errors import NotFound, reason
from workflow.input_rules import InvalidInput

T = TypeVar("T")
router = Routes(prefix="/admin", route_class=WebRoute, include_in_schema=False)
Code = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")]


def _where(code: str) -> str:
    return f"/admin/organizations/{code}/contacts"


def _people(db: Session, office: Organization) -> list[tuple[User, str]]:
    users = db.exec(
        select(User).where(User.organization_id == office.id).order_by(col(User.username))
    ).all()
    emails = {c.user_id: c.email for c in db.exec(select(UserContact))}
    return [(u, emails.get(u.id or 0, "")) for u in users]


@router.get("/organizations/{code}/contacts", response_class=HTMLResponse)
def contacts(
    request: Request, code: Code, who: Who, services: WebServices, saved: admin_kit.Saved = None
) -> HTMLResponse:
    account_admin.require_admin(who.actor)
    with read_session(services.engine) as db:
        office = get_organization_by_code(db, code)
        people = _people(db, office)
        ids = {u.id for u, _ in people}
        every = line_contacts.list_contacts(db)
    linked = [c for c in every if c.organization_id == office.id or c.user_id in ids]
    unlinked = [c for c in every if c.user_id is None and c.organization_id is None]
    page = render(
        request,
        "admin_contacts.html",
        who=who,
        office=office,
        people=people,
        names={u.id: u.full_name or u.username for u, _ in people},
        linked=linked,
        unlinked=unlinked,
        form=admin_kit.kept(request, _where(code)),
        saved_note=admin_kit.saved_note(saved),
    )
    return admin_kit.shown(request, page)


def _contact(field: str, work: Callable[[Session], T]) -> Callable[[Session], T]:
    """A contact command whose bad input is refused beside `field` (as the API's 404/422)."""

    def run(session: Session) -> T:
        try:
            return work(session)
        except ContactError as error:
            if error.missing:
                raise NotFound([reason("contact", error.th, str(error))]) from error
            th = error.th if error.th != str(error) else "ไม่ใช่ที่อยู่อีเมลที่ใช้ได้"
            raise InvalidInput([reason("contact", th, str(error))], field=field) from error

    return run


def _member(session: Session, code: str, username: str) -> str:
    """The username, if that person belongs to this office (else the 404 of a missing one)."""
    office = get_organization_by_code(session, code)
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or user.organization_id != office.id:
        raise NotFound([reason("user_not_found", f"ไม่พบผู้ใช้ {username}", f"no user {username}")])
    return username


@router.post("/organizations/{code}/contacts/email", response_class=HTMLResponse)
async def save_email(request: Request, code: Code, who: Who, services: WebServices) -> Response:
    """Set a person's e-mail address, or remove it (the remove button, or an empty field)."""
    values = await form_of(request)
    account_admin.require_admin(who.actor)
    username = values.get("username", "")[:64]
    email = None if values.get("change") == "remove" else values.get("email", "").strip() or None

    def work(s: Session) -> None:
        set_email(s, username=_member(s, code, username), email=email, clock=services.clock)

    form = await admin_kit.run_form(services, f"email-{username}", values, _contact("email", work))
    return admin_kit.back(
        request, _where(code), form, "contact_saved" if email else "contact_removed"
    )


@router.post("/organizations/{code}/contacts/line", response_class=HTMLResponse)
async def link_line(request: Request, code: Code, who: Who, services: WebServices) -> Response:
    """Link a LINE id to a person of this office or to its group; an empty target unlinks."""
    values = await form_of(request)
    account_admin.require_admin(who.actor)
    line_id = values.get("line_id", "")[:64]
    target = values.get("target", "")

    def work(s: Session) -> LineContact:
        username = target.removeprefix("user:") if target.startswith("user:") else None
        return line_contacts.link(
            s,
            line_id=line_id,
            username=_member(s, code, username) if username else None,
            org_code=code if target == "office" else None,
            clock=services.clock,
        )

    form = await admin_kit.run_form(services, f"line-{line_id}", values, _contact("target", work))
    saved = "contact_saved" if target else "contact_removed"
    return admin_kit.back(request, _where(code), form, saved)
