"""The one interface every channel implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from models.alert import Channel, Delivery


class ChannelError(Exception):
    """A send failed; the message is kept and tried again later, after `retry_after` seconds
    at the least when the receiver asked for that (HTTP 429 Retry-After), or never when
    `permanent` (the receiver refused it for good: a 4xx other than 429)."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    """One claimed delivery, detached from the session: what a channel sends."""

    delivery_id: int
    key: str  # unique per (message, recipient, channel): receivers drop duplicates by it
    channel: Channel
    kind: str
    address: str
    user_id: int | None
    plan_id: int | None
    subject: str
    text: str
    html: str
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, row: Delivery) -> Outgoing:
        assert row.id is not None
        return cls(
            delivery_id=row.id,
            key=row.key,
            channel=Channel(row.channel),
            kind=row.kind,
            address=row.address,
            user_id=row.user_id,
            plan_id=row.plan_id,
            subject=row.subject,
            text=row.body_text,
            html=row.body_html,
            data=dict(row.data),
        )


class Sender(Protocol):
    """A channel. `send` returns when the receiver has accepted the message, or raises
    ChannelError; it must be safe to call again with the same delivery (same key)."""

    channel: Channel

    def send(self, out: Outgoing) -> None: ...
