"""Progress of the plan in force (docs/domain.md "Progress"): one append-only row per entry,
each the next link of its plan's progress chain (seq 1, 2, …; `prev_hash` → `hash`), naming the
item (a project or equipment row by its stable id), its status, the budget committed and
disbursed, the dates started and finished, the note, the as-of date, the files it carries (in
the evidence store, models/blobs.py, by SHA-256), who and when. Entries of the history log
(migration 0014). The latest entry of each item is the `progress_latest` view."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import ItemKind, ProgressStatus, Role
from models.types import Satang, UTCDateTime


class ProgressEntry(SQLModel, table=True):
    __tablename__ = "progress_entry"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "seq"),
        sa.Index("ix_progress_entry_item", "plan_id", "item_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The annual plan of the plan in force: the chain's owner (docs/domain.md "Progress").
    plan_id: int = Field(foreign_key="plan.id")
    seq: int
    item_kind: ItemKind = Field(sa_type=text_enum(ItemKind))
    item_id: str = Field(max_length=64)
    status: ProgressStatus = Field(sa_type=text_enum(ProgressStatus))
    committed_baht: Decimal = Field(sa_type=Satang)
    disbursed_baht: Decimal = Field(sa_type=Satang)
    started_on: date | None = None
    finished_on: date | None = None
    as_of: date
    note: str | None = None
    files: list[Any] = Field(default_factory=list, sa_type=sa.JSON)  # [{sha256, media_type, size}]
    source: str | None = Field(default=None, max_length=200)  # e.g. "xlsx: progress.xlsx"
    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    actor_username: str = Field(max_length=64)
    actor_role: Role = Field(sa_type=text_enum(Role))
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


__all__ = ["ProgressEntry"]
