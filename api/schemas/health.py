"""GET /healthz: the database, its migrations, the scheduler and checkpoint signing."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Signing(BaseModel):
    """Whether this process signs the log's checkpoints; never the key or its file's path."""

    signs: bool
    key_name: str | None = None
    key_id: str | None = Field(default=None, description="4-byte key hash, hex")
    reason: str | None = Field(default=None, description="why not, when it does not sign")


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
    signing: Signing
    # Non-empty: status "degraded" (still 200; the other deadlines are swept as usual).
    set_aside: list[SetAside] = Field(default_factory=list)
