"""An office's document settings (docs/domain.md "Documents"): the names, the executive, the
website, the posting places in words and the emblem its papers print. One command changes
them, with its `organization_change` row in the same transaction (append-only, an entry of
the log); only an admin may. The emblem arrives re-encoded as PNG (documents/pdf_emblem.py);
the core checks what it is given, whoever gives it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from models.clock import Clock
from models.document import DocumentFile, OrganizationChange, OrganizationSettings
from models.organization import Organization
from workflow import input_rules as rules
from workflow.account_admin import require_admin
from workflow.accounts import get_organization_by_code
from workflow.actors import Actor
from workflow.errors import reason

TEXT_FIELDS = {  # field → the longest value it takes
    "full_name": 300,
    "executive_name": 200,
    "executive_title": 300,
    "website": 300,
}
PLACE_FIELDS = {"district": 100, "province": 100}  # columns of the organization itself
SETTINGS_FIELDS = (*TEXT_FIELDS, *PLACE_FIELDS, "posting_places")
EMBLEM_MAX = 2 * 1024 * 1024  # bytes of the re-encoded PNG
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEEP = object()  # "leave the emblem as it is"


@dataclass(frozen=True)
class SettingsView:
    """What the documents print for an office, as it stands now."""

    code: str
    name: str
    full_name: str
    district: str
    province: str
    executive_name: str | None
    executive_title: str | None
    website: str | None
    posting_places: tuple[str, ...]
    emblem_sha256: str | None


def settings_of(session: Session, org: Organization) -> OrganizationSettings:
    """The office's settings row (empty settings if none was ever set)."""
    found = session.get(OrganizationSettings, org.id)
    return found if found is not None else OrganizationSettings(organization_id=org.id or 0)


def view(org: Organization, settings: OrganizationSettings) -> SettingsView:
    return SettingsView(
        org.code,
        org.name,
        settings.full_name or org.name,
        org.district,
        org.province,
        settings.executive_name,
        settings.executive_title,
        settings.website,
        tuple(settings.posting_places or ()),
        settings.emblem_sha256,
    )


def read_settings(session: Session, *, code: str) -> SettingsView:
    org = get_organization_by_code(session, rules.code(code, field="code"))
    return view(org, settings_of(session, org))


def clean_settings(data: Mapping[str, Any]) -> dict[str, Any]:
    """The given fields as the input rules leave them (unknown ones refused; None clears)."""
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        if key == "posting_places":
            cleaned[key] = list(rules.places(value or (), field=key))
        elif key in TEXT_FIELDS or key in PLACE_FIELDS:
            limit = TEXT_FIELDS.get(key) or PLACE_FIELDS[key]
            cleaned[key] = _clean_text(key, rules.optional_text(value, field=key, max_length=limit))
        else:
            raise _refuse(key, "unknown_field", "ไม่รู้จักช่องข้อมูลนี้", f"unknown field {key}")
    return cleaned


def _clean_text(key: str, text: str | None) -> str | None:
    if key in PLACE_FIELDS and text is None:
        raise _refuse(key, "required", "ต้องระบุ", "this field is required")
    if key == "province" and text is not None:
        return rules.province(text, field=key)
    if key == "website" and text is not None:
        return _website(text)
    return text


def _website(text: str) -> str:
    if not text.startswith(("https://", "http://")) or " " in text:
        raise _refuse(
            "website",
            "invalid_url",
            "ที่อยู่เว็บไซต์ต้องขึ้นต้นด้วย https:// หรือ http://",
            "the website address must start with https:// or http://",
        )
    return text


def check_emblem(data: bytes) -> bytes:
    """A PNG of at most EMBLEM_MAX bytes (what documents/pdf_emblem.py makes of an upload)."""
    if not data.startswith(PNG_SIGNATURE):
        raise _refuse("emblem", "invalid_image", "ตราต้องเป็นไฟล์ PNG", "the emblem must be a PNG")
    if len(data) > EMBLEM_MAX:
        raise _refuse("emblem", "too_large", "ไฟล์ตราใหญ่เกินไป", "the emblem file is too large")
    return data


def set_settings(
    session: Session,
    *,
    code: str,
    actor: Actor,
    clock: Clock,
    changes: Mapping[str, Any],
    emblem: bytes | object | None = KEEP,  # KEEP, None (remove) or a PNG
) -> SettingsView:
    """Change an office's settings (admin only), recording before and after."""
    actor = require_admin(actor)
    cleaned = clean_settings(changes)
    org = get_organization_by_code(session, rules.code(code, field="code"))
    settings = settings_of(session, org)
    before = _values(org, settings)
    for key, value in cleaned.items():
        setattr(org if key in PLACE_FIELDS else settings, key, value)
    if emblem is None:
        settings.emblem_sha256 = None
    elif isinstance(emblem, bytes):
        settings.emblem_sha256 = store_file(session, check_emblem(emblem))
    after = _values(org, settings)
    changed = {k: {"before": before[k], "after": v} for k, v in after.items() if before[k] != v}
    if changed:
        session.add(org)
        session.add(settings)
        session.add(
            OrganizationChange(
                at=clock.now(),
                organization_id=org.id or 0,
                actor_user_id=actor.user_id,
                actor_username=actor.username,
                actor_role=actor.role,
                details={"changed": changed},
            )
        )
        session.flush()
    return view(org, settings)


def _values(org: Organization, settings: OrganizationSettings) -> dict[str, Any]:
    values: dict[str, Any] = {key: getattr(settings, key) for key in TEXT_FIELDS}
    values |= {key: getattr(org, key) for key in PLACE_FIELDS}
    values["posting_places"] = list(settings.posting_places or ())
    values["emblem_sha256"] = settings.emblem_sha256
    return values


def emblem_of(session: Session, settings: OrganizationSettings) -> bytes | None:
    """The office's emblem PNG, if it has one."""
    if settings.emblem_sha256 is None:
        return None
    found = session.get(DocumentFile, settings.emblem_sha256)
    return None if found is None else found.data


def store_file(session: Session, data: bytes) -> str:
    """Store bytes once, named by their SHA-256 (document_file is append-only)."""
    digest = hashlib.sha256(data).hexdigest()
    if session.get(DocumentFile, digest) is None:
        session.add(DocumentFile(sha256=digest, size=len(data), data=data))
        session.flush()
    return digest


def _refuse(field: str, code: str, th: str, en: str) -> rules.InvalidInput:
    return rules.InvalidInput([reason(code, th, en)], field=field)
