"""What evidence is, as rules (docs/domain.md "Evidence"): which kinds prove which action,
which are for the public, the policy of what each action should carry, and the file types
accepted, told by their first bytes (never by a name or a declared type)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from models.enums import Action
from models.evidence import EvidenceKind
from workflow import input_rules as rules
from workflow.errors import reason

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 15 * MB
PLACE_MAX = 300
URL_MAX = 500

# The action each kind proves (OTHER: any record of the plan).
PROVES: Mapping[EvidenceKind, tuple[Action, ...]] = {
    EvidenceKind.SIGNED_NOTICE: (Action.ANNOUNCE,),
    EvidenceKind.MINUTES: (Action.APPROVE,),
    EvidenceKind.POSTING_PHOTO: (Action.POST,),
    EvidenceKind.WEBSITE_POSTING: (Action.POST,),
    EvidenceKind.TAKEDOWN: (Action.COMPLETE_POSTING,),
    EvidenceKind.EXTENSION_LETTER: (Action.EXTEND_DEADLINE,),
}
# The kind a person's action carries in its own request (the website posting is a URL).
CARRIES: Mapping[Action, EvidenceKind] = {
    action: kind
    for kind, proves in PROVES.items()
    if kind is not EvidenceKind.WEBSITE_POSTING
    for action in proves
}
# Shown on the public board, as copies without metadata.
PUBLIC_KINDS = frozenset({EvidenceKind.SIGNED_NOTICE, EvidenceKind.POSTING_PHOTO})
KIND_LABELS: Mapping[EvidenceKind, tuple[str, str]] = {
    EvidenceKind.SIGNED_NOTICE: ("ประกาศที่ลงนามแล้ว", "signed notice"),
    EvidenceKind.MINUTES: ("รายงานการประชุมคณะกรรมการ", "committee minutes"),
    EvidenceKind.POSTING_PHOTO: ("ภาพถ่ายการปิดประกาศ", "photo of the posted notice"),
    EvidenceKind.WEBSITE_POSTING: ("การเผยแพร่ทางเว็บไซต์", "website posting"),
    EvidenceKind.TAKEDOWN: ("หลักฐานการปลดประกาศ", "take-down"),
    EvidenceKind.EXTENSION_LETTER: ("หนังสือขยายเวลา", "extension letter"),
    EvidenceKind.OTHER: ("หลักฐานอื่น", "other"),
}


class Requirement(StrEnum):
    RECOMMENDED = "recommended"  # missing evidence is a warning on the checklist
    REQUIRED = "required"  # missing evidence fails the checklist's item


@dataclass(frozen=True)
class EvidencePolicy:
    """Per installation (`LOCALPLAN_EVIDENCE_POLICY`): what each action should carry; the
    scheduler's own actions (the automatic completion) are never held to it."""

    requirement: Requirement = Requirement.RECOMMENDED

    def expected(self, action: Action, actor_is_system: bool = False) -> tuple[EvidenceKind, ...]:
        if actor_is_system:
            return ()
        return tuple(
            kind
            for kind, proves in PROVES.items()
            if action in proves and kind is not EvidenceKind.WEBSITE_POSTING
        )

    def required_of(self, action: Action, actor_is_system: bool) -> tuple[str, ...]:
        """The kinds a person's action must carry in its request (empty unless `required`)."""
        if self.requirement is not Requirement.REQUIRED:
            return ()
        return tuple(kind.value for kind in self.expected(action, actor_is_system))


class MediaType(StrEnum):
    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"


HEIC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"heim", b"heis", b"hevm", b"mif1", b"msf1"})


def sniff(data: bytes, *, max_bytes: int) -> MediaType:
    """The file's type from its first bytes; PDF, JPEG and PNG only, within the size limit."""
    if len(data) > max_bytes:
        raise rules.InvalidInput(
            [
                reason(
                    "evidence_too_large",
                    f"ไฟล์ใหญ่เกินกำหนด (ไม่เกิน {max_bytes // MB} MB ต่อไฟล์)",
                    f"the file is larger than the limit of {max_bytes} bytes",
                )
            ],
            field="file",
        )
    if not data:
        raise _type_refused("evidence_empty", "ไฟล์ว่างเปล่า", "the file is empty")
    if data.startswith(b"%PDF-"):
        return MediaType.PDF
    if data.startswith(b"\xff\xd8\xff"):
        return MediaType.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return MediaType.PNG
    if data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS:
        raise _type_refused(
            "evidence_heic",
            "ไม่รับไฟล์ HEIC/HEIF กรุณาตั้งกล้องโทรศัพท์ให้บันทึกเป็น JPEG "
            "(iPhone: ตั้งค่า > กล้อง > รูปแบบ > มีความเข้ากันได้มากที่สุด) แล้วอัปโหลดใหม่",
            "HEIC/HEIF photos are not accepted: set the phone's camera to JPEG "
            "('Most Compatible') and upload again",
        )
    raise _type_refused(
        "evidence_type",
        "รับเฉพาะไฟล์ PDF, JPEG หรือ PNG",
        "only PDF, JPEG and PNG files are accepted",
    )


def _type_refused(code: str, th: str, en: str) -> rules.InvalidInput:
    return rules.InvalidInput([reason(code, th, en)], field="file")


def clean_kind(raw: str) -> EvidenceKind:
    try:
        return EvidenceKind(raw)
    except ValueError:
        raise rules.InvalidInput(
            [reason("invalid_choice", "ประเภทหลักฐานไม่ถูกต้อง", "unknown evidence kind")],
            field="kind",
        ) from None


def clean_url(raw: str | None) -> str | None:
    """An http(s) address as the clerk typed it; the server never fetches it."""
    value = rules.optional_text(raw, field="url", max_length=URL_MAX)
    if value is None:
        return None
    if not value.lower().startswith(("https://", "http://")) or any(c.isspace() for c in value):
        raise rules.InvalidInput(
            [reason("invalid_url", "ที่อยู่เว็บไซต์ต้องขึ้นต้นด้วย https://", "not an http(s) URL")],
            field="url",
        )
    return value


def check_fits(kind: EvidenceKind, action: str, place: str | None, url: str | None) -> None:
    """The kind proves the record's action; a posting photo names its place; the website
    posting its URL."""
    proves = PROVES.get(kind)
    if proves is not None and action not in {a.value for a in proves}:
        th, en = KIND_LABELS[kind]
        raise rules.InvalidInput(
            [
                reason(
                    "evidence_kind_mismatch",
                    f"{th}ไม่ใช่หลักฐานของการดำเนินการนี้",
                    f"a {en} does not prove a {action} record",
                )
            ],
            field="kind",
        )
    if kind is EvidenceKind.POSTING_PHOTO and place is None:
        raise rules.InvalidInput(
            [reason("place_required", "ต้องระบุสถานที่ปิดประกาศ", "name the posting place")],
            field="place",
        )
    if kind is EvidenceKind.WEBSITE_POSTING and url is None:
        raise rules.InvalidInput(
            [reason("url_required", "ต้องระบุที่อยู่เว็บไซต์", "give the posting's URL")],
            field="url",
        )
