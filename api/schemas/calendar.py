"""The legal calendar: deadline explanations and the admin's holiday overlay."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import thai
from api.schemas.rules import text
from models.calendar import CalendarChange, HolidayOverlay
from models.enums import OverlayKind
from workflow import input_rules as rules


class DeadlineExplanation(BaseModel):
    """Exactly the JSON of `localplan deadlines --json`."""

    model_config = ConfigDict(extra="allow")

    rule: str
    start_on: date
    days: int
    mode: str
    due_on: date | None = None
    due_is_working_day: bool | None = None
    last_working_day_on: date | None = None
    civil_due_on: date | None = None
    satisfied_end_of: date | None = None
    earliest_removal_on: date | None = None
    conservative_removal_on: date | None = None


class HolidayPut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: OverlayKind = Field(description="add: a day off; remove: a working day after all")
    name: text("name", rules.HOLIDAY_NAME_MAX)  # type: ignore[valid-type]
    source: text("source", rules.SOURCE_MAX) = Field(  # type: ignore[valid-type]
        description="e.g. the cabinet resolution"
    )


HOLIDAY_EXAMPLES: dict[str, Any] = {
    "special_day": {
        "summary": "A cabinet special holiday the package lacks",
        "value": {"kind": "add", "name": "วันหยุดราชการเพิ่มเป็นกรณีพิเศษ", "source": "มติ ครม. 2562"},
    },
    "working_day": {
        "summary": "A listed day that is not a government day off",
        "value": {"kind": "remove", "name": "วันเด็กแห่งชาติ", "source": "ไม่ใช่วันหยุดราชการ"},
    },
}


class OverlayRead(BaseModel):
    day: date
    day_th: str | None
    kind: OverlayKind
    name: str
    source: str
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, row: HolidayOverlay) -> OverlayRead:
        return cls(
            day=row.day,
            day_th=thai(row.day),
            kind=OverlayKind(row.kind),
            name=row.name,
            source=row.source,
            created_by=row.created_by,
            created_at=row.created_at,
        )


class CalendarChangeRead(BaseModel):
    day: date
    change: str
    name: str
    source: str
    actor_username: str
    recorded_at: datetime
    moved: list[dict[str, Any]] = Field(description="open deadlines this change moved")

    @classmethod
    def of(cls, row: CalendarChange) -> CalendarChangeRead:
        return cls(
            day=row.day,
            change=row.change,
            name=row.name,
            source=row.source,
            actor_username=row.actor_username,
            recorded_at=row.recorded_at,
            moved=list(row.moved),
        )
