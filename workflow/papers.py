"""The papers an announcement makes (docs/domain.md "Documents"): who signs the ประกาศ and in
what capacity, and the rendered files stored with their SHA-256.

The announce command (workflow/commands.py) records the signer in its record's `details`
(hashed into the chain), so a later change of settings or of executive never changes an
announced document. Rendering is documents/' work, above this layer: the api hands a
`Renderer` to the command through the Context (dependency injection); the command calls it
inside its transaction, stores the files in `document`/`document_file` and puts their
SHA-256 into the same record's details. Without a renderer (tests of the machine, benches)
nothing is rendered and the record says so by having no `documents`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from models.audit import TransitionRecord
from models.document import Document, DocumentFile, DocumentKind
from models.organization import Organization
from models.store import PlanRow, PlanWithClocks
from workflow import input_rules as rules
from workflow.errors import reason
from workflow.org_settings import SettingsView, emblem_of, settings_of, store_file, view


class Capacity(StrEnum):
    """In what capacity the ประกาศ is signed (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ)."""

    EXECUTIVE = "executive"  # the executive signs as themself
    ACTING_FOR = "acting_for"  # ปฏิบัติราชการแทน: a deputy signs for the executive
    ACTING = "acting"  # รักษาราชการแทน: someone acts in the executive's post

    @property
    def th(self) -> str:
        return {"executive": "", "acting_for": "ปฏิบัติราชการแทน", "acting": "รักษาราชการแทน"}[
            self.value
        ]


@dataclass(frozen=True)
class Signer:
    name: str | None  # None: the executive's name is not set; the paper leaves it blank
    position: str  # the signer's own position (the executive's, or the acting person's)
    capacity: Capacity = Capacity.EXECUTIVE
    for_position: str | None = None  # acting: the executive's position signed for


def signer_data(signer: Signer) -> dict[str, Any]:
    return {
        "name": signer.name,
        "position": signer.position,
        "capacity": signer.capacity.value,
        "for_position": signer.for_position,
    }


def signer_of(data: Mapping[str, Any]) -> Signer:
    return Signer(
        data["name"], data["position"], Capacity(data["capacity"]), data.get("for_position")
    )


def signer_from_input(given: Mapping[str, Any] | None, org: SettingsView) -> Signer:
    """The signer the announcement records: the office's executive by default; for an acting
    signer the name and position given (both required)."""
    given = given or {}
    capacity = _capacity(given.get("capacity", "executive"))
    executive_title = org.executive_title or f"นายก{org.full_name}"
    if capacity is Capacity.EXECUTIVE:
        name = _optional(given.get("name") or org.executive_name, "signer_name", 200)
        position = _text(given.get("position") or executive_title, "signer_position", 300)
        return Signer(name, position)
    name = _text(given.get("name"), "signer_name", 200)
    position = _text(given.get("position"), "signer_position", 300)
    return Signer(name, position, capacity, executive_title)


def _capacity(raw: object) -> Capacity:
    try:
        return Capacity(str(raw))
    except ValueError:
        raise rules.InvalidInput(
            [reason("invalid_choice", "ฐานะผู้ลงนามไม่ถูกต้อง", "unknown signing capacity")],
            field="signer_capacity",
        ) from None


def _optional(raw: object, field: str, max_length: int) -> str | None:
    return rules.optional_text(
        None if raw is None else str(raw), field=field, max_length=max_length
    )


def _text(raw: object, field: str, max_length: int) -> str:
    value = rules.optional_text(
        None if raw is None else str(raw), field=field, max_length=max_length
    )
    if value is None:
        raise rules.InvalidInput(
            [
                reason(
                    "signer_required",
                    "ต้องระบุชื่อและตำแหน่งผู้ลงนาม",
                    "the signer's name and position are required",
                )
            ],
            field=field,
        )
    return value


@dataclass(frozen=True)
class Announcement:
    """What the renderer is given: the plan as announced, its office, the signer, the date."""

    plan: PlanRow
    organization: SettingsView
    emblem: bytes | None
    signer: Signer
    announced_on: date
    content_version: int | None = None  # the frozen content version the announcement names


@dataclass(frozen=True)
class Rendered:
    kind: DocumentKind
    data: bytes
    content_version: int | None = None


Renderer = Callable[[Session, Announcement], list[Rendered]]


def announce_papers(
    session: Session,
    renderer: Renderer | None,
    *,
    plan: PlanWithClocks,
    signer: Mapping[str, Any] | None,
    announced_on: date,
    now: datetime,
    content: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The announce record's extra details: the signer, and the rendered files' SHA-256.
    Without a renderer and a signer given (the machine's own tests, the benches) nothing."""
    if renderer is None and signer is None:
        return {}
    org = session.get(Organization, plan.organization_id)
    assert org is not None
    settings = settings_of(session, org)
    office = view(org, settings)
    who = signer_from_input(signer, office)
    details: dict[str, Any] = {"signer": signer_data(who)}
    if renderer is not None:
        version = None if content is None else int(content["version"])
        paper = Announcement(plan, office, emblem_of(session, settings), who, announced_on, version)
        made = renderer(session, paper)
        details["documents"] = store_documents(session, plan_id=plan.id, rendered=made, now=now)
    return details


def store_documents(
    session: Session, *, plan_id: int, rendered: list[Rendered], now: datetime
) -> dict[str, dict[str, Any]]:
    """Store each file once (by its SHA-256) and its `document` row; kind → hash and version."""
    out: dict[str, dict[str, Any]] = {}
    for doc in rendered:
        digest = store_file(session, doc.data)
        session.add(
            Document(
                plan_id=plan_id,
                kind=doc.kind,
                content_version=doc.content_version,
                sha256=digest,
                size=len(doc.data),
                made_at=now,
            )
        )
        out[doc.kind.value] = {"sha256": digest, "content_version": doc.content_version}
    session.flush()
    return out


def latest_document(session: Session, *, plan_id: int, kind: DocumentKind) -> Document | None:
    """The newest stored document of a kind for a plan (the one the board serves)."""
    query = (
        select(Document)
        .where(Document.plan_id == plan_id, Document.kind == kind)
        .order_by(col(Document.id).desc())
    )
    return session.exec(query).first()


def document_bytes(session: Session, document: Document) -> bytes:
    found = session.get(DocumentFile, document.sha256)
    assert found is not None  # a foreign key
    return found.data


def announce_details(session: Session, *, plan_id: int) -> Mapping[str, Any] | None:
    """The details of the plan's announce record (signer, documents, content), if announced."""
    query = (
        select(TransitionRecord)
        .where(TransitionRecord.plan_id == plan_id, TransitionRecord.action == "announce")
        .order_by(col(TransitionRecord.seq).desc())
    )
    found = session.exec(query).first()
    return None if found is None else found.details


def announced_document(
    session: Session, *, plan_id: int, kind: DocumentKind
) -> tuple[Document, bytes] | None:
    """The file the announce record names for `kind` (its SHA-256), and its bytes: what the
    board serves. None if the announcement made none (no renderer, or before this release)."""
    details = announce_details(session, plan_id=plan_id) or {}
    named = (details.get("documents") or {}).get(kind.value)
    if named is None:
        return None
    query = select(Document).where(
        Document.plan_id == plan_id, Document.kind == kind, Document.sha256 == named["sha256"]
    )
    document = session.exec(query).first()
    return None if document is None else (document, document_bytes(session, document))
