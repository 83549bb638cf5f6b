"""Messages waiting to leave the process. The workflow writes them; notifications delivers."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import OutboxStatus
from models.types import UTCDateTime


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_message_status_available", "status", "available_at"),)

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=64)
    organization_id: int = Field(foreign_key="organization.id")
    plan_id: int | None = Field(default=None, foreign_key="plan.id")
    report_id: int | None = Field(default=None, foreign_key="monitoring_report.id")  # 0020
    deadline_id: int | None = Field(default=None, foreign_key="deadline.id")
    audience: list[Any] = Field(default_factory=list, sa_type=sa.JSON)  # role codes
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    status: OutboxStatus = Field(sa_type=text_enum(OutboxStatus))
    attempts: int = Field(default=0)
    available_at: datetime = Field(sa_type=UTCDateTime)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = None
