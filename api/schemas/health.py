"""GET /healthz: the database, its migrations and the scheduler."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class SetAside(BaseModel):
    """A deadline the sweep could not process and now passes over (docs/operations.md
    "Set-aside deadlines")."""

    deadline_id: int
    plan_id: int
    error: str = Field(examples=["OverflowError: date value out of range"])
    since: datetime
    tries: int


class Health(BaseModel):
    status: str = Field(examples=["ok", "degraded", "unavailable"])
    database: str
    migrations_current: bool
    scheduler: str = Field(examples=["not configured"])
    # Non-empty: status "degraded" (still 200; the other deadlines are swept as usual).
    set_aside: list[SetAside] = Field(default_factory=list)
