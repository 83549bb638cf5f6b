"""GET /healthz: the database, its migrations, the scheduler and checkpoint signing."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Signing(BaseModel):
    """Whether this process signs the log's checkpoints; never the key or its file's path."""

    signs: bool
    key_name: str | None = None
    key_id: str | None = Field(default=None, description="4-byte key hash, hex")
    reason: str | None = Field(default=None, description="why not, when it does not sign")


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    database: str
    migrations_current: bool
    scheduler: str = Field(examples=["not configured"])
    signing: Signing
