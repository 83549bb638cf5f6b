"""The papers a monitoring report's announcement makes (docs/domain.md "Monitoring reports"),
as a plan's announcement makes its own (workflow/papers.py): the report's ประกาศ, signed by
the office's executive (the same signer logic as the plan's), and the report itself (its
figures as of the round's end with the committee's findings and recommendations).

Rendering is documents/' work: the api hands a `ReportRenderer` to the announce command
through the Context (`report_renderer`); the command calls it inside its transaction, stores
the files in `document_file` (content-addressed, shared with the plans' papers) and a
`report_document` row each, and puts their SHA-256 and the signer into the announce record's
details, hashed into the report's chain. Without a renderer (the machine's own tests, the
benches) nothing is rendered and the record has no `documents`. The board serves exactly the
stored files, never re-rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from models.document import DocumentFile
from models.organization import Organization
from models.report import ReportDocument, ReportDocumentKind
from models.report_store import REPORT_RECORD, ReportWithClocks
from models.store import table_of
from workflow.org_settings import SettingsView, emblem_of, settings_of, store_file, view
from workflow.papers import Signer, signer_data, signer_from_input

REPORT_DOCUMENT = table_of(ReportDocument)


@dataclass(frozen=True)
class ReportAnnouncement:
    """What the renderer is given: the report as announced, its office, the signer, the
    date."""

    report: ReportWithClocks
    organization: SettingsView
    emblem: bytes | None
    signer: Signer
    announced_on: date


@dataclass(frozen=True)
class ReportRendered:
    kind: ReportDocumentKind
    data: bytes


ReportRenderer = Callable[[Session, ReportAnnouncement], list[ReportRendered]]


def office_of(session: Session, organization_id: int) -> tuple[SettingsView, bytes | None]:
    org = session.get(Organization, organization_id)
    assert org is not None  # a foreign key
    settings = settings_of(session, org)
    return view(org, settings), emblem_of(session, settings)


def announce_report_papers(
    session: Session,
    renderer: ReportRenderer | None,
    *,
    report: ReportWithClocks,
    announced_on: date,
    now: datetime,
) -> dict[str, Any]:
    """The report's announce record's extra details: the signer (the office's executive,
    clause 30 (5): the executive announces) and the rendered files' SHA-256 by kind. Without a
    renderer, nothing."""
    if renderer is None:
        return {}
    office, emblem = office_of(session, report.organization_id)
    who = signer_from_input(None, office)
    made = renderer(session, ReportAnnouncement(report, office, emblem, who, announced_on))
    return {
        "signer": signer_data(who),
        "documents": store_report_documents(session, report_id=report.id, rendered=made, now=now),
    }


def store_report_documents(
    session: Session, *, report_id: int, rendered: list[ReportRendered], now: datetime
) -> dict[str, dict[str, Any]]:
    """Store each file once (by its SHA-256) and its `report_document` row; kind → hash."""
    out: dict[str, dict[str, Any]] = {}
    for doc in rendered:
        digest = store_file(session, doc.data)
        session.add(ReportDocument(report_id=report_id, kind=doc.kind, sha256=digest,
                                   size=len(doc.data), made_at=now))  # fmt: skip
        out[doc.kind.value] = {"sha256": digest, "size": len(doc.data)}
    session.flush()
    return out


def report_announce_details(session: Session, *, report_id: int) -> Mapping[str, Any] | None:
    """The details of the report's announce record (signer, documents), if announced."""
    query = (
        sa.select(REPORT_RECORD.c.details)
        .where(REPORT_RECORD.c.report_id == report_id, REPORT_RECORD.c.action == "announce")
        .order_by(REPORT_RECORD.c.seq.desc())
    )
    found = session.connection().execute(query).first()
    return None if found is None else dict(found[0] or {})


def announced_hashes(session: Session, *, report_id: int) -> dict[str, str]:
    """Kind → SHA-256 of each file the report's announce record names."""
    details = report_announce_details(session, report_id=report_id) or {}
    return {kind: named["sha256"] for kind, named in (details.get("documents") or {}).items()}


def announced_report_document(
    session: Session, *, report_id: int, kind: ReportDocumentKind
) -> bytes | None:
    """The bytes of the file the announce record names for `kind` (what the board serves):
    the stored `report_document` of that SHA-256; None if the announcement made none."""
    digest = announced_hashes(session, report_id=report_id).get(kind.value)
    if digest is None:
        return None
    query = sa.select(REPORT_DOCUMENT.c.id).where(
        REPORT_DOCUMENT.c.report_id == report_id, REPORT_DOCUMENT.c.kind == kind.value,
        REPORT_DOCUMENT.c.sha256 == digest,
    )  # fmt: skip
    if session.connection().execute(query).first() is None:
        return None
    found = session.get(DocumentFile, digest)
    return None if found is None else found.data
