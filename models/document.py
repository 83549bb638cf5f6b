"""Rendered documents (the plan PDF, the ประกาศ PDF) and the history of an office's settings.

`document` rows say which file was made for which plan, of which content version, with which
SHA-256; the bytes live once in `document_file`, named by their SHA-256 (the content-addressed
store the evidence work grows into). All three tables are append-only (database triggers);
`document` and `organization_change` rows are entries of the history log;
`organization_settings` holds the office's settings as they stand."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import Role
from models.types import UTCDateTime


class DocumentKind(StrEnum):
    PLAN_PDF = "plan_pdf"  # the plan as a book (cover, บทนำ, ผด.01, ผด.02, ผด.02/1)
    NOTICE_PDF = "notice_pdf"  # the signed ประกาศ


class DocumentFile(SQLModel, table=True):
    __tablename__ = "document_file"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    data: bytes = Field(sa_type=sa.LargeBinary)


class Document(SQLModel, table=True):
    __tablename__ = "document"
    __table_args__ = (sa.Index("ix_document_plan_kind", "plan_id", "kind", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    kind: DocumentKind = Field(sa_type=text_enum(DocumentKind))
    content_version: int | None = None  # the frozen version the plan PDF was made from
    sha256: str = Field(max_length=64, foreign_key="document_file.sha256")
    size: int
    made_at: datetime = Field(sa_type=UTCDateTime)


class OrganizationSettings(SQLModel, table=True):
    """What an office's documents print besides its name and place (docs/domain.md
    "Documents"), set by an admin (workflow/org_settings.py). A table of its own: the
    organization row is read by every command and plan view, which never need these."""

    __tablename__ = "organization_settings"

    organization_id: int = Field(foreign_key="organization.id", primary_key=True)
    full_name: str | None = Field(default=None, max_length=300)  # องค์การบริหารส่วนตำบล…
    emblem_sha256: str | None = Field(default=None, max_length=64)  # a PNG in document_file
    executive_name: str | None = Field(default=None, max_length=200)
    executive_title: str | None = Field(default=None, max_length=300)  # นายก…
    website: str | None = Field(default=None, max_length=300)
    posting_places: list[str] = Field(default_factory=list, sa_type=sa.JSON)  # in words


class OrganizationChange(SQLModel, table=True):
    """One change of an office's settings: who, when, and the values before and after (the
    emblem by its SHA-256)."""

    __tablename__ = "organization_change"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    actor_username: str = Field(max_length=64)
    actor_role: Role = Field(sa_type=text_enum(Role))
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


__all__ = [
    "Document",
    "DocumentFile",
    "DocumentKind",
    "OrganizationChange",
    "OrganizationSettings",
]
