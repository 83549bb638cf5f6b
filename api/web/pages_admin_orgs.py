"""The admin's organization pages: the list (/admin/organizations) and one office's
document settings (/admin/organizations/{code}) with its emblem. The settings go through
the command the API's `PATCH /organizations/{code}` uses (workflow/org_settings.py, its
rules and its `organization_change` row); the emblem is re-encoded by
documents/pdf_emblem.py as the API's `PUT …/emblem` does. Contacts are
api/web/pages_admin_contacts.py."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api import auth
from api.deps import Services
from api.routing import Routes
from api.web import admin_kit, forms, session
from api.web.render import WebRoute, WebServices, Who, csrf_refused, form_of, render
from models.db import read_session
from models.organization import Organization
from workflow import account_admin
from workflow import org_settings as org
from workflow.accounts import get_organization_by_code
from workflow.input_rules import InvalidInput

router = Routes(prefix="/admin", route_class=WebRoute, include_in_schema=False)
Code = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")]
TEXTS = ("full_name", "district", "province", "executive_name", "executive_title", "website")


@router.get("/organizations", response_class=HTMLResponse)
def organizations(request: Request, who: Who, services: WebServices) -> HTMLResponse:
    account_admin.require_admin(who.actor)
    with read_session(services.engine) as db:
        orgs = list(db.exec(select(Organization).order_by(col(Organization.code))))
    return render(request, "admin_orgs.html", who=who, orgs=orgs)


def _where(code: str) -> str:
    return f"/admin/organizations/{code}"


def _page(
    request: Request, services: Services, who: auth.Principal, code: str, saved: str | None
) -> HTMLResponse:
    account_admin.require_admin(who.actor)
    with read_session(services.engine) as db:
        found = org.read_settings(db, code=code)
    current: dict[str, Any] = {key: getattr(found, key) or "" for key in TEXTS}
    current["posting_places"] = "\n".join(found.posting_places)
    page = render(
        request,
        "admin_org.html",
        who=who,
        settings=found,
        current=current,
        form=admin_kit.kept(request, _where(code)),
        saved_note=admin_kit.saved_note(saved),
    )
    return admin_kit.shown(request, page)


@router.get("/organizations/{code}", response_class=HTMLResponse)
def organization(
    request: Request, code: Code, who: Who, services: WebServices, saved: admin_kit.Saved = None
) -> HTMLResponse:
    return _page(request, services, who, code, saved)


@router.get("/organizations/{code}/emblem.png")
def emblem(
    code: Code,
    who: Who,
    services: WebServices,
    v: Annotated[str | None, Query(max_length=64, pattern=r"^[0-9a-f]+$")] = None,
) -> Response:
    """The office's current emblem, as its papers print it (admins only); `v` (its hash)
    names the version, so a new emblem is never an old one from the cache."""
    del v
    account_admin.require_admin(who.actor)
    with read_session(services.engine) as db:
        office = get_organization_by_code(db, code)
        data = org.emblem_of(db, org.settings_of(db, office))
    if data is None:
        return Response(status_code=404)
    return Response(data, media_type="image/png", headers={"Cache-Control": "no-store"})


def _changes(values: dict[str, str]) -> dict[str, Any]:
    """The settings form as the command's changes (an empty text clears the setting)."""
    changes: dict[str, Any] = {key: values.get(key, "").strip() or None for key in TEXTS}
    lines = values.get("posting_places", "").splitlines()
    changes["posting_places"] = [line for line in lines if line.strip()]
    return changes


@router.post("/organizations/{code}", response_class=HTMLResponse)
async def save_settings(request: Request, code: Code, who: Who, services: WebServices) -> Response:
    values = await form_of(request)
    account_admin.require_admin(who.actor)
    changes = _changes(values)

    def work(s: Session) -> None:
        now = org.read_settings(s, code=code)
        shown = {k: (list(v) if isinstance(v, tuple) else v or None) for k, v in vars(now).items()}
        changed = {k: v for k, v in changes.items() if shown.get(k) != v}  # only what was edited
        org.set_settings(s, code=code, actor=who.actor, clock=services.clock, changes=changed)

    form = await admin_kit.run_form(services, "settings", values, work)
    return admin_kit.back(request, _where(code), form, "settings_saved")


async def _upload(request: Request) -> tuple[dict[str, str], bytes]:
    """The emblem form: its fields and the file (at most MAX_UPLOAD + 1 bytes read)."""
    from documents.pdf_emblem import MAX_UPLOAD

    async with request.form(max_part_size=MAX_UPLOAD + 1) as submitted:
        values = {k: v for k, v in submitted.items() if isinstance(v, str)}
        if not session.csrf_valid(request, values.get(session.CSRF_FIELD, "")):
            raise csrf_refused()
        part = submitted.get("emblem")
        data = await part.read(MAX_UPLOAD + 1) if isinstance(part, UploadFile) else b""
    return values, data


@router.post("/organizations/{code}/emblem", response_class=HTMLResponse)
async def save_emblem(request: Request, code: Code, who: Who, services: WebServices) -> Response:
    """Upload (PNG or JPEG, re-encoded as PNG) or remove the emblem."""
    from documents.pdf_emblem import reencode_emblem

    values, data = await _upload(request)
    account_admin.require_admin(who.actor)
    remove = values.get("change") == "remove"
    form = forms.FormState("emblem", {})
    png: bytes | None = None
    if not remove:
        if not data:
            form.add("emblem", "ต้องเลือกไฟล์ตรา", "choose an emblem file")
            return admin_kit.back(request, _where(code), form, "")
        try:
            png = await run_in_threadpool(reencode_emblem, data)
        except InvalidInput as refused:
            for r in refused.reasons:
                form.add("emblem", r.th, r.en)
            return admin_kit.back(request, _where(code), form, "")

    def work(s: Session) -> None:
        org.set_settings(
            s, code=code, actor=who.actor, clock=services.clock, changes={}, emblem=png
        )

    refused_form = await admin_kit.run_form(services, "emblem", {}, work)
    return admin_kit.back(
        request, _where(code), refused_form, "emblem_removed" if remove else "emblem_saved"
    )
