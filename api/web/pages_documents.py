"""The papers on the web: the plan book and the ประกาศ to download from the plan page
(signed in) and from the public board, exactly the files the announcement stored; the
office's posting places and signer as the announce form offers them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.deps import Services
from api.routes.documents import notice_file, pdf_response, plan_file
from api.routing import Routes
from api.web.render import WebRoute, WebServices, Who
from models.enums import PlanState
from models.organization import Organization
from workflow.actors import SYSTEM, Actor
from workflow.errors import NotFound, reason
from workflow.org_settings import SettingsView, settings_of, view

router = Routes(route_class=WebRoute, include_in_schema=False)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PUBLIC = (PlanState.POSTED, PlanState.POSTING_COMPLETE)  # what the board shows


def office_of(session: Session, organization: Organization) -> SettingsView:
    return view(organization, settings_of(session, organization))


def default_places(office: SettingsView, public_url: str | None) -> list[str]:
    """The posting places the post form offers, in words: the office's own list, else its
    board and its website (or the public board's address), never an internal path."""
    from documents.pdf_papers import places_in_words

    places = list(places_in_words(office))
    if places:
        return places
    board = f"ป้ายประกาศ ที่ทำการ{office.full_name}"
    if public_url:
        return [board, f"เว็บไซต์ {public_url.rstrip('/')}/notices"]
    return [board, f"เว็บไซต์ของ{office.full_name}"]


def signer_of_form(values: dict[str, str]) -> dict[str, str | None]:
    """The announce form's signer fields (the core checks them)."""
    return {
        "capacity": values.get("signer_capacity", "executive") or "executive",
        "name": values.get("signer_name", "").strip() or None,
        "position": values.get("signer_position", "").strip() or None,
    }


async def _serve(services: Services, actor: Actor, plan_id: int, kind: str) -> Response:
    if kind == "notice":
        data = await run_in_threadpool(notice_file, services, actor, plan_id)
    else:
        data = await run_in_threadpool(plan_file, services, actor, plan_id, None)
    return pdf_response(data, f"{kind}-{plan_id}.pdf")


@router.get("/plans/{plan_id:int}/document.pdf")
async def plan_document(
    request: Request, plan_id: PlanId, who: Who, services: WebServices
) -> Response:
    return await _serve(services, who.actor, plan_id, "plan")


@router.get("/plans/{plan_id:int}/notice.pdf")
async def plan_notice(
    request: Request, plan_id: PlanId, who: Who, services: WebServices
) -> Response:
    return await _serve(services, who.actor, plan_id, "notice")


def _public(services: Services, plan_id: int) -> None:
    from models.db import read_session
    from workflow.scoped_reads import get_visible_plan

    with read_session(services.engine) as session:
        plan, _ = get_visible_plan(session, SYSTEM, plan_id)
    if plan.state not in PUBLIC:
        raise NotFound([reason("notice_not_found", "ไม่พบประกาศ", "no such notice")])


@router.get("/notices/{plan_id:int}/notice.pdf")
async def board_notice(request: Request, plan_id: PlanId, services: WebServices) -> Response:
    """Public: the ประกาศ of a plan on the board, as stored at the announcement."""
    await run_in_threadpool(_public, services, plan_id)
    return await _serve(services, SYSTEM, plan_id, "notice")


@router.get("/notices/{plan_id:int}/plan.pdf")
async def board_plan(request: Request, plan_id: PlanId, services: WebServices) -> Response:
    """Public: the plan book of a plan on the board (the announced version's stored file)."""
    await run_in_threadpool(_public, services, plan_id)
    return await _serve(services, SYSTEM, plan_id, "plan")


def notice_page(services: Services, plan_id: int) -> tuple[object, dict[str, str]]:
    """The ประกาศ as the print page shows it (the same words as the PDF: the signer and date
    of the announce record, the places posted at) and the stored files' SHA-256 by kind."""
    from dataclasses import replace

    from documents.pdf_papers import notice_view, signer_for_print
    from models.db import read_session
    from workflow.papers import Announcement, announce_details
    from workflow.scoped_reads import get_visible_plan

    with read_session(services.engine) as session:
        plan, organization = get_visible_plan(session, SYSTEM, plan_id)
        details = announce_details(session, plan_id=plan_id)
        office = office_of(session, organization)
    if plan.state not in PUBLIC or details is None or plan.announced_on is None:
        raise NotFound([reason("notice_not_found", "ไม่พบประกาศ", "no such notice")])
    paper = Announcement(plan, office, None, signer_for_print(details, office), plan.announced_on)
    shown = notice_view(paper, services.settings.public_url)
    if plan.posting_places:  # where it was actually posted, as the poster wrote it
        shown = replace(shown, places=tuple(plan.posting_places))
    hashes = {k: v["sha256"] for k, v in (details.get("documents") or {}).items()}
    return shown, hashes
