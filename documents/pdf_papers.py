"""The renderer the api hands to the announce command (workflow/papers.py): the ประกาศ and
the plan book of the content version the announcement names, as PDF bytes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from documents import pdf, pdf_notice, pdf_plan
from documents.pdf_emblem import png_uri
from models.document import DocumentKind
from models.organization import Organization
from models.store import PlanRow
from workflow.actors import SYSTEM
from workflow.content import read_version
from workflow.content_model import Content
from workflow.errors import NotFound, reason
from workflow.in_force import in_force_before
from workflow.org_settings import SettingsView, emblem_of, settings_of, view
from workflow.papers import (
    Announcement,
    Rendered,
    Renderer,
    Signer,
    announce_details,
    announced_document,
)


def announce_renderer(public_url: str | None) -> Renderer:
    """A Renderer: the ประกาศ always, the plan book when the announcement names a version."""

    def render(session: Session, paper: Announcement) -> list[Rendered]:
        made = [Rendered(DocumentKind.NOTICE_PDF, notice_pdf(paper, public_url))]
        if paper.content_version is not None:
            data, number = plan_pdf(
                session, paper.plan, paper.organization, paper.emblem, paper.content_version
            )
            made.append(Rendered(DocumentKind.PLAN_PDF, data, number))
        return made

    return render


def online_url(public_url: str | None, plan_id: int) -> str | None:
    return None if not public_url else f"{public_url.rstrip('/')}/notices/{plan_id}"


def places_in_words(office: SettingsView) -> tuple[str, ...]:
    """The office's posting places as a citizen reads them, its website's address last."""
    places = list(office.posting_places)
    if office.website and not any(office.website in p for p in places):
        places.append(f"เว็บไซต์ {office.website}")
    return tuple(places)


def notice_view(paper: Announcement, public_url: str | None) -> pdf_notice.NoticeView:
    plan = paper.plan
    return pdf_notice.notice_view(
        organization=paper.organization.full_name,
        kind=plan.kind,
        number=plan.number,
        fiscal_year_be=plan.fiscal_year_be,
        announced_on=paper.announced_on,
        signer=paper.signer,
        places=places_in_words(paper.organization),
        emblem_uri=None if paper.emblem is None else png_uri(paper.emblem),
        online_url=online_url(public_url, plan.id),
    )


def notice_pdf(paper: Announcement, public_url: str | None) -> bytes:
    return pdf.render("notice.html", n=notice_view(paper, public_url))


def plan_pdf(
    session: Session,
    plan: PlanRow,
    office: SettingsView,
    emblem: bytes | None,
    version: int | None,
) -> tuple[bytes, int]:
    """The plan book of frozen content version `version` (None: the latest)."""
    frozen = read_version(session, plan_id=plan.id, actor=SYSTEM, version=version)
    book = pdf_plan.book(
        frozen.content,
        title=pdf_notice.plan_phrase(plan.kind, plan.number, plan.fiscal_year_be),
        fiscal_year_be=plan.fiscal_year_be,
        organization=office.full_name,
        district=office.district,
        province=office.province,
        emblem_uri=None if emblem is None else png_uri(emblem),
        content_version=frozen.number,
        content_sha256=frozen.sha256,
        in_force=_in_force(session, plan) if frozen.content.changes else None,
    )
    return pdf.render("plan.html", b=book), frozen.number


def _in_force(session: Session, plan: PlanRow) -> Content | None:
    """What an amendment changes: the plan in force before it (workflow/in_force.py)."""
    return in_force_before(session, plan_id=plan.id, organization_id=plan.organization_id,
                           fiscal_year_be=plan.fiscal_year_be, actor=SYSTEM)  # fmt: skip


def signer_for_print(details: Mapping[str, Any] | None, office: SettingsView) -> Signer:
    """The signer an announce record names; for a record made before signers were kept, the
    office's executive as set now (the paper says no more than that)."""
    from workflow.papers import signer_from_input, signer_of

    if details and details.get("signer"):
        return signer_of(details["signer"])
    return signer_from_input(None, office)


def _office(session: Session, organization: Organization) -> tuple[SettingsView, bytes | None]:
    settings = settings_of(session, organization)
    return view(organization, settings), emblem_of(session, settings)


def notice_bytes(
    session: Session, *, plan: PlanRow, organization: Organization, public_url: str | None
) -> bytes:
    """The ประกาศ the announcement made (its stored bytes); for a plan announced before papers
    were kept, one rendered now from the record's signer and date. Not announced: NotFound."""
    stored = announced_document(session, plan_id=plan.id, kind=DocumentKind.NOTICE_PDF)
    if stored is not None:
        return stored[1]
    details = announce_details(session, plan_id=plan.id)
    if details is None or plan.announced_on is None:
        raise NotFound([reason("notice_not_found", "ไม่พบประกาศ", "no such notice")])
    office, emblem = _office(session, organization)
    paper = Announcement(plan, office, emblem, signer_for_print(details, office), plan.announced_on)
    return notice_pdf(paper, public_url)


def plan_bytes(
    session: Session, *, plan: PlanRow, organization: Organization, version: int | None
) -> tuple[bytes, int]:
    """The plan book: the stored file of the announced version when that is the one asked
    for (None: the announced one if announced, else the latest), else rendered now."""
    stored = announced_document(session, plan_id=plan.id, kind=DocumentKind.PLAN_PDF)
    if stored is not None and version in (None, stored[0].content_version):
        return stored[1], stored[0].content_version or 0
    office, emblem = _office(session, organization)
    return plan_pdf(session, plan, office, emblem, version)
