"""Alerts on their way to people: the sweep's cursor, deliveries, in-app alerts, contacts and
the scheduler's heartbeat.

The workflow writes outbox messages (models.outbox); notifications fans each one out into one
delivery per (recipient, channel) and sends it. Deliveries carry their rendered text, so a retry
sends exactly what the first attempt tried to send.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import OutboxStatus
from models.types import UTCDateTime


class Channel(StrEnum):
    IN_APP = "in_app"
    EMAIL = "email"
    WEBHOOK = "webhook"
    LINE = "line"


class AlertCursor(SQLModel, table=True):
    """How far the sweep got with one open deadline: the legal day it last derived alerts for,
    and the dates it derived them from (a moved due date is swept again the same day)."""

    __tablename__ = "deadline_alert_state"

    deadline_id: int = Field(foreign_key="deadline.id", primary_key=True)
    swept_on: date
    due_on: date
    last_working_on: date
    # The day the sweep claimed the automatic completion of the posting (at most once a day).
    completion_tried_on: date | None = None
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Delivery(SQLModel, table=True):
    """One message (or digest) to one recipient over one channel; `key` makes it unique."""

    __table_args__ = (sa.Index("ix_delivery_status_available", "status", "available_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)  # also the delivery id receivers dedupe on
    message_id: int | None = Field(default=None, foreign_key="outbox_message.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    channel: Channel = Field(sa_type=text_enum(Channel))
    address: str = Field(default="", max_length=500)  # e-mail address or webhook URL
    kind: str = Field(max_length=64)  # the message kind, or "digest"
    plan_id: int | None = Field(default=None, foreign_key="plan.id")
    subject: str = Field(max_length=500)
    body_text: str
    body_html: str
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)  # the webhook body
    status: OutboxStatus = Field(sa_type=text_enum(OutboxStatus))
    attempts: int = Field(default=0)
    available_at: datetime = Field(sa_type=UTCDateTime)
    lease_owner: str | None = Field(default=None, max_length=100)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = None


class InAppAlert(SQLModel, table=True):
    """What `GET /api/v1/me/alerts` shows: written by the in-app channel, once per delivery."""

    __tablename__ = "in_app_alert"
    __table_args__ = (sa.Index("ix_in_app_alert_user_created", "user_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", unique=True)
    user_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=64)
    plan_id: int | None = Field(default=None, foreign_key="plan.id")
    subject: str = Field(max_length=500)
    body_text: str  # Thai, then English
    text_th: str = ""
    text_en: str = ""
    created_at: datetime = Field(sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UserContact(SQLModel, table=True):
    """Where a person receives e-mail (accounts need none to use the product)."""

    __tablename__ = "user_contact"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    email: str = Field(max_length=254)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class LineContact(SQLModel, table=True):
    """A LINE user or group the webhook saw (it added the account, joined it to a group or
    wrote there), and the person or office an admin linked it to (docs/operations.md "LINE").
    `channel` is the organization code of the channel whose secret signed the event ("" for
    the installation's channel)."""

    __tablename__ = "line_contact"

    id: int | None = Field(default=None, primary_key=True)
    line_id: str = Field(max_length=64, unique=True)  # U… (user), C… (group), R… (room)
    kind: str = Field(max_length=8)  # "user" | "group" | "room"
    channel: str = Field(default="", max_length=32)
    last_event: str = Field(max_length=32)  # follow, join, message, unfollow, leave, …
    active: bool = Field(default=True)  # False after unfollow or leave
    first_seen_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    linked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SchedulerHeartbeat(SQLModel, table=True):
    """One row per scheduler process: proof of life for /healthz and operators."""

    __tablename__ = "scheduler_heartbeat"

    instance_id: str = Field(max_length=100, primary_key=True)
    hostname: str = Field(max_length=255)
    pid: int
    started_at: datetime = Field(sa_type=UTCDateTime)
    beat_at: datetime = Field(sa_type=UTCDateTime)
    stopped_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_sweep_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_delivery_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = None


__all__ = [
    "AlertCursor",
    "Channel",
    "Delivery",
    "InAppAlert",
    "SchedulerHeartbeat",
    "UserContact",
]
