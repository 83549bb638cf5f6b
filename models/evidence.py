"""Evidence entries (docs/domain.md "Evidence"): one append-only row per file attached to a
plan, naming the action record it proves, its kind, the place, the file's SHA-256 (the bytes in
the content-addressed store, models/blobs.py) and the public copy's, who attached it and when,
and whether it came after the action's day. Entries of the history log (migration 0012)."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import Role
from models.types import UTCDateTime


class EvidenceKind(StrEnum):
    SIGNED_NOTICE = "signed_notice"  # the signed ประกาศ (announce)
    MINUTES = "minutes"  # the committee's meeting minutes (approve)
    POSTING_PHOTO = "posting_photo"  # a photo of the posted notice at one place (post)
    WEBSITE_POSTING = "website_posting"  # the website posting: its URL and a copy (post)
    TAKEDOWN = "takedown"  # when the notice came down (complete_posting)
    EXTENSION_LETTER = "extension_letter"  # the letter extending the preparation deadline
    OTHER = "other"


class Evidence(SQLModel, table=True):
    __tablename__ = "evidence"
    __table_args__ = (
        sa.Index("ix_evidence_plan", "plan_id", "id"),
        sa.Index("ix_evidence_sha256", "sha256"),
        sa.Index("ix_evidence_public_sha256", "public_sha256"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    record_id: int = Field(foreign_key="transition_record.id")
    kind: EvidenceKind = Field(sa_type=text_enum(EvidenceKind))
    place: str | None = Field(default=None, max_length=300)
    url: str | None = Field(default=None, max_length=500)
    media_type: str = Field(max_length=64)
    sha256: str = Field(max_length=64)
    size: int
    public_sha256: str | None = Field(default=None, max_length=64)  # None: not for the public
    public_size: int | None = None
    attached_at: datetime = Field(sa_type=UTCDateTime)
    late: bool = False  # attached after the Bangkok day the action took effect
    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    actor_username: str = Field(max_length=64)
    actor_role: Role = Field(sa_type=text_enum(Role))


__all__ = ["Evidence", "EvidenceKind"]
