"""The admin-maintained holiday overlay and the log of every calendar change."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import OverlayKind
from models.types import UTCDateTime


class HolidayOverlay(SQLModel, table=True):
    """One day whose status differs from the `holidays` package seed."""

    __tablename__ = "holiday_overlay"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    kind: OverlayKind = Field(sa_type=text_enum(OverlayKind))
    name: str = Field(max_length=200)
    source: str = Field(max_length=300)  # e.g. the cabinet resolution
    created_by: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)


class CalendarChange(SQLModel, table=True):
    """Append-only log: what changed in the calendar and which open deadlines moved."""

    __tablename__ = "calendar_change"

    id: int | None = Field(default=None, primary_key=True)
    day: date
    change: str = Field(max_length=16)  # add | remove | clear
    name: str = Field(max_length=200)
    source: str = Field(max_length=300)
    actor_username: str = Field(max_length=64)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    moved: list[Any] = Field(default_factory=list, sa_type=sa.JSON)
