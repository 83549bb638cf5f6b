"""Reminders of the transparency checklist (docs/domain.md "The transparency checklist"): one
append-only row per organization, ITA year and item reminded, written with its outbox message
in one transaction; the unique key makes each reminder once. Each row is an entry of the
history log (models/migrations/append_only.py)."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class ItaReminder(SQLModel, table=True):
    __tablename__ = "ita_reminder"
    __table_args__ = (sa.UniqueConstraint("organization_id", "ita_year", "item_code"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    ita_year: int  # BE
    item_code: str = Field(max_length=8)  # O11 …
    status: str = Field(max_length=16)  # the item's status when reminded: not_yet | missing
    legal_day: date  # the day (Asia/Bangkok) of the reminder
    window_start: date  # the evidence window's first day, as the data file said then
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor_username: str = Field(max_length=64)  # `system` (the scheduler's pass)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)  # title, links


__all__ = ["ItaReminder"]
