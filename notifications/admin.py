"""What admins see and do about delivery: failed (or pending) messages and deliveries, and a
retry that puts failed ones back in the queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from models.alert import Delivery
from models.clock import Clock
from models.enums import OutboxStatus
from models.outbox import OutboxMessage


@dataclass(frozen=True)
class OutboxEntry:
    """A message that could not be handed over, or one delivery of a message."""

    type: str  # "message" | "delivery"
    id: int
    key: str
    kind: str
    status: OutboxStatus
    channel: str | None
    address: str | None
    user_id: int | None
    plan_id: int | None
    attempts: int
    last_error: str | None
    created_at: datetime
    available_at: datetime
    sent_at: datetime | None
    report_id: int | None = None  # the monitoring report it is about (a delivery: its message's)


def list_outbox(
    session: Session, *, status: OutboxStatus = OutboxStatus.FAILED, limit: int = 200
) -> list[OutboxEntry]:
    """Messages and deliveries with this status, newest first."""
    messages = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.status == status)
        .order_by(col(OutboxMessage.id).desc())
        .limit(limit)
    ).all()
    deliveries = session.exec(
        select(Delivery)
        .where(Delivery.status == status)
        .order_by(col(Delivery.id).desc())
        .limit(limit)
    ).all()
    entries = [
        OutboxEntry(
            "message",
            m.id or 0,
            m.idempotency_key,
            m.kind,
            OutboxStatus(m.status),
            None,
            None,
            None,
            m.plan_id,
            m.attempts,
            m.last_error,
            m.created_at,
            m.available_at,
            m.sent_at,
            m.report_id,
        )
        for m in messages
    ]
    reports = _reports_of(session, {d.message_id for d in deliveries if d.message_id})
    entries += [
        OutboxEntry(
            "delivery",
            d.id or 0,
            d.key,
            d.kind,
            OutboxStatus(d.status),
            str(d.channel),
            d.address or None,
            d.user_id,
            d.plan_id,
            d.attempts,
            d.last_error,
            d.created_at,
            d.available_at,
            d.sent_at,
            reports.get(d.message_id or 0),
        )
        for d in deliveries
    ]
    return sorted(entries, key=lambda e: e.created_at, reverse=True)[:limit]


def _reports_of(session: Session, message_ids: set[int]) -> dict[int, int]:
    """The report each of these messages is about, for those about one."""
    if not message_ids:
        return {}
    rows = session.exec(
        select(OutboxMessage.id, OutboxMessage.report_id).where(
            col(OutboxMessage.id).in_(message_ids), col(OutboxMessage.report_id).is_not(None)
        )
    ).all()
    return {int(m or 0): int(r or 0) for m, r in rows}


def retry_failed(
    session: Session,
    *,
    clock: Clock,
    delivery_ids: tuple[int, ...] = (),
    message_ids: tuple[int, ...] = (),
    everything: bool = False,
) -> int:
    """Queue failed deliveries and messages again (attempts start over; the last error stays
    for the record until the next attempt). Returns how many were queued."""
    now = clock.now()
    count = 0
    query = select(Delivery).where(Delivery.status == OutboxStatus.FAILED)
    if not everything:
        query = query.where(col(Delivery.id).in_(delivery_ids))
    for row in session.exec(query).all():
        row.status, row.attempts, row.available_at = OutboxStatus.PENDING, 0, now
        row.lease_owner, row.lease_until = None, None
        session.add(row)
        count += 1
    mquery = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    if not everything:
        mquery = mquery.where(col(OutboxMessage.id).in_(message_ids))
    for message in session.exec(mquery).all():
        message.status, message.attempts, message.available_at = OutboxStatus.PENDING, 0, now
        session.add(message)
        count += 1
    session.flush()
    return count


@dataclass(frozen=True)
class OutboxPage:
    """One page of the outbox for a status, newest first, and how many there are in all."""

    entries: list[OutboxEntry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def page_outbox(
    session: Session, *, status: OutboxStatus, page: int = 1, per_page: int = 50
) -> OutboxPage:
    """Page `page` (from 1) of the messages and deliveries with this status, newest first:
    what the admin's outbox page lists."""
    total = sum(
        session.exec(select(func.count()).select_from(table).where(table.status == status)).one()
        for table in (OutboxMessage, Delivery)
    )
    upto = list_outbox(session, status=status, limit=page * per_page)
    return OutboxPage(upto[(page - 1) * per_page :], total, page, per_page)
