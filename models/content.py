"""The plan's content as rows (docs/domain.md "Plan content"): the editable draft, its edit
history, and the frozen versions the chain names.

- `content_draft`: one row per plan that has been edited: the content revision, the
  introduction and an amendment's changes (JSON). A plan without one has the empty content at
  revision 0.
- `content_strategy`, `content_project`, `content_equipment`: the draft's rows, keyed by the
  plan and the item's stable id; `position` keeps the order they were given in.
- `content_edit`: every saved edit (append-only, an entry of the history log): who, when, the
  revision it made, what (op and item id) and the content's SHA-256 after it.
- `content_version`: the frozen content (append-only): version n of a plan (1 = the first
  submission), its canonical bytes (UTF-8 JSON, stored as text), their SHA-256, the submit
  record that froze it.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import Role
from models.types import Satang, UTCDateTime

ID_LENGTH = 64  # stable ids are 32 hex digits (content_model.new_id); imports may bring others


class ContentDraft(SQLModel, table=True):
    __tablename__ = "content_draft"

    plan_id: int = Field(foreign_key="plan.id", primary_key=True)
    revision: int  # raised by one by each saved edit
    introduction: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    changes: list[Any] = Field(default_factory=list, sa_type=sa.JSON)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ContentStrategy(SQLModel, table=True):
    __tablename__ = "content_strategy"

    plan_id: int = Field(foreign_key="plan.id", primary_key=True)
    item_id: str = Field(max_length=ID_LENGTH, primary_key=True)
    position: int
    data: str  # the item's canonical JSON (content_model), what reads and hashes use
    number: int
    name: str


class ContentProject(SQLModel, table=True):
    __tablename__ = "content_project"
    __table_args__ = (sa.Index("ix_content_project_plan_position", "plan_id", "position"),)

    plan_id: int = Field(foreign_key="plan.id", primary_key=True)
    item_id: str = Field(max_length=ID_LENGTH, primary_key=True)
    position: int
    data: str  # the item's canonical JSON; the columns below say the same, for queries
    strategy_id: str = Field(max_length=ID_LENGTH)
    tactic: str | None = None
    programme: str
    number: int
    name: str
    activity: str
    budget_baht: Decimal = Field(sa_type=Satang)
    location: str
    village: int | None = None
    unit: str
    months: list[Any] = Field(default_factory=list, sa_type=sa.JSON)
    funding: str = Field(max_length=32)
    funding_note: str | None = None
    ownership: str = Field(max_length=32)
    dev_plan: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    # A Thai-normalized name+place key for duplicate detection (filled by the spreadsheet and
    # duplicates work; not part of the content or its hash).
    match_key: str | None = None


class ContentEquipment(SQLModel, table=True):
    __tablename__ = "content_equipment"
    __table_args__ = (sa.Index("ix_content_equipment_plan_position", "plan_id", "position"),)

    plan_id: int = Field(foreign_key="plan.id", primary_key=True)
    item_id: str = Field(max_length=ID_LENGTH, primary_key=True)
    position: int
    data: str  # the item's canonical JSON
    programme: str
    number: int
    category: str
    type: str
    target: str
    budget_baht: Decimal = Field(sa_type=Satang)
    location: str
    unit: str
    months: list[Any] = Field(default_factory=list, sa_type=sa.JSON)


class ContentEdit(SQLModel, table=True):
    """One saved edit of a draft. Never updated or deleted (database triggers refuse it)."""

    __tablename__ = "content_edit"
    __table_args__ = (sa.UniqueConstraint("plan_id", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    revision: int  # the revision this edit made
    op: str = Field(max_length=32)  # add_project, update_project, …, replace
    item_id: str | None = Field(default=None, max_length=ID_LENGTH)
    source: str | None = Field(default=None, max_length=200)  # e.g. an imported file's name
    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    actor_username: str = Field(max_length=64)
    actor_role: Role = Field(sa_type=text_enum(Role))
    at: datetime = Field(sa_type=UTCDateTime)
    sha256: str = Field(max_length=64)  # the content's hash after the edit


class ContentVersion(SQLModel, table=True):
    """A frozen version of a plan's content. Never updated or deleted."""

    __tablename__ = "content_version"
    __table_args__ = (sa.UniqueConstraint("plan_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    number: int  # 1 = the first submission
    sha256: str = Field(max_length=64)
    body: str  # the canonical bytes, UTF-8
    # The submit record that froze it; no foreign key, as the records' own tables hold none
    # that would stop a hand edit of the chain from being found by `audit verify` instead.
    record_id: int
    frozen_at: datetime = Field(sa_type=UTCDateTime)


__all__ = [
    "ContentDraft",
    "ContentEdit",
    "ContentEquipment",
    "ContentProject",
    "ContentStrategy",
    "ContentVersion",
]
