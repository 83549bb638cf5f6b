"""A person's in-app alerts: list them, mark them read."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.alert import Delivery, InAppAlert
from models.clock import Clock
from models.outbox import OutboxMessage


def list_alerts(
    session: Session, *, user_id: int, unread_only: bool = False, limit: int = 100
) -> list[InAppAlert]:
    """Newest first."""
    query = select(InAppAlert).where(InAppAlert.user_id == user_id)
    if unread_only:
        query = query.where(col(InAppAlert.read_at).is_(None))
    query = query.order_by(col(InAppAlert.created_at).desc(), col(InAppAlert.id).desc())
    return list(session.exec(query.limit(limit)).all())


def count_unread(session: Session, *, user_id: int) -> int:
    found = session.exec(
        select(func.count())
        .select_from(InAppAlert)
        .where(InAppAlert.user_id == user_id, col(InAppAlert.read_at).is_(None))
    ).one()
    return int(found)


def mark_read(
    session: Session, *, user_id: int, clock: Clock, alert_ids: tuple[int, ...] = ()
) -> int:
    """Mark the caller's alerts read (all unread ones when no id is given); others' alerts are
    never touched. Returns how many changed."""
    query = select(InAppAlert).where(
        InAppAlert.user_id == user_id, col(InAppAlert.read_at).is_(None)
    )
    if alert_ids:
        query = query.where(col(InAppAlert.id).in_(alert_ids))
    now = clock.now()
    rows = session.exec(query).all()
    for row in rows:
        row.read_at = now
        session.add(row)
    session.flush()
    return len(rows)


def reports_of(session: Session, alerts: list[InAppAlert]) -> dict[int, int]:
    """alert id → the monitoring report its message is about, for the alerts about one."""
    ids = [a.id for a in alerts if a.id is not None]
    if not ids:
        return {}
    rows = session.exec(
        select(InAppAlert.id, OutboxMessage.report_id)
        .join(Delivery, col(Delivery.id) == col(InAppAlert.delivery_id))
        .join(OutboxMessage, col(OutboxMessage.id) == col(Delivery.message_id))
        .where(col(InAppAlert.id).in_(ids), col(OutboxMessage.report_id).is_not(None))
    ).all()
    return {int(a or 0): int(r or 0) for a, r in rows}
