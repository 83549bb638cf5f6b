"""Corrections: a field of an earlier record set right by a record of its own (docs/domain.md
"Corrections"). Never updated or deleted (database triggers refuse it)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class RecordCorrection(SQLModel, table=True):
    """One correction: the record it corrects, the field, the value before and after (JSON:
    an ISO date, a text, or a list of places) and the reason. `record_id` is the correction's
    own record in the plan's hash chain, which says the same."""

    __tablename__ = "record_correction"
    __table_args__ = (sa.UniqueConstraint("record_id"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    record_id: int = Field(foreign_key="transition_record.id")
    corrects_record_id: int = Field(foreign_key="transition_record.id")
    field: str = Field(max_length=32)
    before: Any = Field(default=None, sa_type=sa.JSON)
    after: Any = Field(default=None, sa_type=sa.JSON)
    reason: str
    recorded_at: datetime = Field(sa_type=UTCDateTime)
