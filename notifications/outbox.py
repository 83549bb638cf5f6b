"""Delivery (docs/architecture.md "The three flows", 3): fan outbox messages into deliveries, then
claim deliveries with a lease, send, and mark them sent, or back off and try again.

1. **Fan-out**, one message per write transaction: resolve the recipients, render the texts
   once, insert one delivery per (recipient, channel) with a unique key, and mark the message
   sent (handed over). A message nobody can receive is marked failed, never dropped.
2. **Send**: claim due deliveries (a lease: `lease_owner`, `lease_until`; `FOR UPDATE SKIP
   LOCKED` on PostgreSQL, the write lock on SQLite), send outside any transaction, then mark
   sent if the lease is still ours. On failure record the error and retry after
   `backoff × 2^(attempts-1)` (capped); after `max_attempts` mark failed, for admins to see
   (`localplan outbox list`, `GET /api/v1/admin/outbox?status=failed`) and retry.

A lease outlives any send (timeouts are shorter), so two processes never send the same
delivery; should a lease expire mid-send anyway, the receiver can drop the duplicate by its
delivery id (the key), which the in-app channel does itself.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, or_, select

from models.alert import Channel, Delivery
from models.clock import Clock
from models.db import read_session, write_session
from models.enums import OutboxStatus
from models.organization import Organization
from models.outbox import OutboxMessage
from models.plan import Plan
from notifications import recipients
from notifications.addressing import Addressing, deliveries, facts_of
from notifications.admin_alerts import FAILED, failed_notice, tell_admins
from notifications.channels.base import ChannelError, Outgoing, Sender

log = logging.getLogger(__name__)
ERROR_LIMIT = 2000


@dataclass(frozen=True)
class DeliveryPolicy:
    max_attempts: int = 8
    backoff_seconds: float = 60.0
    backoff_max_seconds: float = 6 * 3600.0
    lease_seconds: float = 300.0
    batch_size: int = 100
    webhook_url: str | None = None  # one webhook delivery per message when set
    link_base: str | None = None  # e.g. https://localplan.example.go.th: links in texts


@dataclass
class DeliveryReport:
    fanned_out: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int, policy: DeliveryPolicy) -> timedelta:
    """The wait after the `attempts`-th failed attempt: exponential, capped."""
    seconds = policy.backoff_seconds * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, policy.backoff_max_seconds))


def pump(
    engine: Engine,
    clock: Clock,
    *,
    senders: Mapping[Channel, Sender],
    policy: DeliveryPolicy,
    owner: str,
) -> DeliveryReport:
    """One delivery tick: fan out pending messages, then send due deliveries."""
    report = DeliveryReport()
    report.fanned_out = fan_out(engine, clock, channels=frozenset(senders), policy=policy)
    send_due(engine, clock, senders=senders, policy=policy, owner=owner, report=report)
    return report


def drain(
    engine: Engine,
    clock: Clock,
    *,
    senders: Mapping[Channel, Sender],
    policy: DeliveryPolicy,
    owner: str,
    max_passes: int = 100,
) -> DeliveryReport:
    """Ticks until one finds less than a batch to do: a burst (a sweep's morning alerts, many
    commits) goes out now, not a batch per tick. The report adds up the passes."""
    total = DeliveryReport()
    for _ in range(max_passes):
        report = pump(engine, clock, senders=senders, policy=policy, owner=owner)
        total.fanned_out += report.fanned_out
        total.sent += report.sent
        total.retrying += report.retrying
        total.failed += report.failed
        total.errors += report.errors
        handled = report.sent + report.retrying + report.failed
        if report.fanned_out < policy.batch_size and handled < policy.batch_size:
            break
    return total


# --- fan-out --------------------------------------------------------------------------------


def fan_out(
    engine: Engine, clock: Clock, *, channels: frozenset[Channel], policy: DeliveryPolicy
) -> int:
    now = clock.now()
    with read_session(engine) as session:
        ids = session.exec(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.available_at <= now)
            .order_by(col(OutboxMessage.id))
            .limit(policy.batch_size)
        ).all()
    done = 0
    for message_id in ids:
        assert message_id is not None
        try:
            with write_session(engine) as session:
                done += _fan_out_one(session, message_id, now, channels, policy)
        except Exception as err:  # a bug or bad data in one message must not stop the others
            log.exception("fan-out of outbox message %s failed", message_id)
            with write_session(engine) as session:
                _message_failed(session, message_id, now, f"{type(err).__name__}: {err}", policy)
    return done


def _fan_out_one(
    session: Session,
    message_id: int,
    now: datetime,
    channels: frozenset[Channel],
    policy: DeliveryPolicy,
) -> int:
    message = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
        .with_for_update(skip_locked=True)
    ).first()
    if message is None:
        return 0  # handed over by another process meanwhile
    people = recipients.resolve(
        session, organization_id=message.organization_id, audience=message.audience
    )
    org = session.get(Organization, message.organization_id)
    plan = session.get(Plan, message.plan_id) if message.plan_id else None
    facts = facts_of(session, message, org, plan, policy.link_base)
    how = Addressing(channels, policy.webhook_url, policy.link_base)
    rows = deliveries(session, message, people, facts, how, org, now)
    if not rows:
        message.status, message.last_error = OutboxStatus.FAILED, _no_recipient(message)
        message.attempts += 1
        session.add(message)
        log.warning("outbox message %s: %s", message.id, message.last_error)
        return 0
    known = set(
        session.exec(select(Delivery.key).where(col(Delivery.key).in_([r.key for r in rows]))).all()
    )
    for row in rows:
        if row.key not in known:
            session.add(row)
    message.status, message.sent_at, message.last_error = OutboxStatus.SENT, now, None
    message.attempts += 1
    session.add(message)
    return 1


def _no_recipient(message: OutboxMessage) -> str:
    roles = ", ".join(str(a) for a in message.audience) or "-"
    return f"no active recipient for roles {roles} in organization {message.organization_id}"


def _message_failed(
    session: Session, message_id: int, now: datetime, error: str, policy: DeliveryPolicy
) -> None:
    message = session.get(OutboxMessage, message_id)
    if message is None or message.status != OutboxStatus.PENDING:
        return
    message.attempts += 1
    message.last_error = error[:ERROR_LIMIT]
    if message.attempts >= policy.max_attempts:
        message.status = OutboxStatus.FAILED
    else:
        message.available_at = now + backoff(message.attempts, policy)
    session.add(message)


# --- send -----------------------------------------------------------------------------------


def send_due(
    engine: Engine,
    clock: Clock,
    *,
    senders: Mapping[Channel, Sender],
    policy: DeliveryPolicy,
    owner: str,
    report: DeliveryReport | None = None,
) -> DeliveryReport:
    report = report if report is not None else DeliveryReport()
    gave_up: list[tuple[str, str, str]] = []
    for out in claim(engine, clock, policy=policy, owner=owner):
        sender = senders.get(out.channel)
        try:
            if sender is None:
                raise ChannelError(f"channel {out.channel.value} is not configured")
            sender.send(out)
        except Exception as err:  # every failure is recorded and retried, never swallowed
            known = err if isinstance(err, ChannelError) else None
            error = str(err) if known else f"{type(err).__name__}: {err}"
            final = _mark_failed(
                engine,
                clock,
                out,
                owner,
                error,
                policy,
                give_up=sender is None or bool(known and known.permanent),
                retry_after=known.retry_after if known else None,
            )
            report.errors.append(f"{out.key}: {error}")
            if final:
                report.failed += 1
                if not out.kind.startswith("admin."):
                    gave_up.append((out.key, out.channel.value, error[:300]))
            else:
                report.retrying += 1
            continue
        if _mark_sent(engine, clock, out, owner):
            report.sent += 1
    if gave_up:  # one notice per pass that gave up on some, not one per delivery
        th, en = failed_notice(gave_up)
        key = f"{FAILED}:{owner}:{clock.now().isoformat()}"
        tell_admins(engine, clock, key=key, kind=FAILED, th=th, en=en, channels=frozenset(senders))
    return report


def claim(engine: Engine, clock: Clock, *, policy: DeliveryPolicy, owner: str) -> list[Outgoing]:
    """Lease up to a batch of due deliveries to `owner`."""
    now = clock.now()
    due = (
        Delivery.status == OutboxStatus.PENDING,
        Delivery.available_at <= now,
        or_(col(Delivery.lease_until).is_(None), col(Delivery.lease_until) < now),
    )
    with read_session(engine) as session:  # an idle tick takes no write lock
        if session.exec(select(Delivery.id).where(*due).limit(1)).first() is None:
            return []
    with write_session(engine) as session:
        rows = session.exec(
            select(Delivery)
            .where(*due)
            .order_by(col(Delivery.available_at), col(Delivery.id))
            .limit(policy.batch_size)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.lease_owner = owner
            row.lease_until = now + timedelta(seconds=policy.lease_seconds)
            session.add(row)
        return [Outgoing.of(row) for row in rows]


def _leased(session: Session, out: Outgoing, owner: str) -> Delivery | None:
    return session.exec(
        select(Delivery)
        .where(
            Delivery.id == out.delivery_id,
            Delivery.status == OutboxStatus.PENDING,
            Delivery.lease_owner == owner,
        )
        .with_for_update()
    ).first()


def _mark_sent(engine: Engine, clock: Clock, out: Outgoing, owner: str) -> bool:
    with write_session(engine) as session:
        row = _leased(session, out, owner)
        if row is None:
            log.warning("delivery %s was sent after its lease passed to another process", out.key)
            return False
        row.status, row.sent_at = OutboxStatus.SENT, clock.now()
        row.attempts += 1
        row.lease_owner, row.lease_until, row.last_error = None, None, None
        session.add(row)
        return True


def _mark_failed(
    engine: Engine,
    clock: Clock,
    out: Outgoing,
    owner: str,
    error: str,
    policy: DeliveryPolicy,
    *,
    give_up: bool = False,
    retry_after: float | None = None,
) -> bool:
    """Record a failed attempt; True when the delivery is now failed for good. The next
    attempt waits the back-off, or the receiver's Retry-After when that is longer."""
    now = clock.now()
    with write_session(engine) as session:
        row = _leased(session, out, owner)
        if row is None:
            return False
        row.attempts += 1
        row.last_error = error[:ERROR_LIMIT]
        row.lease_owner, row.lease_until = None, None
        final = give_up or row.attempts >= policy.max_attempts
        if final:
            row.status = OutboxStatus.FAILED
            log.error("delivery %s failed for good: %s", out.key, error)
        else:
            wait = max(backoff(row.attempts, policy), timedelta(seconds=retry_after or 0))
            row.available_at = now + wait
            log.warning("delivery %s failed (attempt %d): %s", out.key, row.attempts, error)
        session.add(row)
        return final
