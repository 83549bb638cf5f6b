"""GET /healthz: the database, its migrations and the scheduler."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    database: str
    migrations_current: bool
    scheduler: str = Field(examples=["not configured"])
