"""The daily digest: each person's open deadlines, most urgent first, by e-mail at a set local
time (default 08:30 Asia/Bangkok), and only when one of them is due within the horizon or
overdue. Auditors get the overdue deadlines of the organizations in their scope.

One digest per person and legal day (`digest:u<user>:<day>:email`): a late start sends the
day's digest once; several processes insert it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.alert import Channel, Delivery, UserContact
from models.clock import BANGKOK, Clock
from models.db import read_session, write_session
from models.deadline import Deadline
from models.enums import DeadlineStatus, OutboxStatus, Role
from models.organization import Organization, User
from models.plan import Plan
from models.visibility import user_scope, visible
from notifications.render import DigestItem, PlanFacts, render_digest
from notifications.templates import DUTIES


@dataclass(frozen=True)
class DigestPolicy:
    at: time = time(8, 30)
    horizon_days: int = 7
    link_base: str | None = None


def digest_key(user_id: int, day: date) -> str:
    return f"digest:u{user_id}:{day.isoformat()}:{Channel.EMAIL.value}"


def create_digests(engine: Engine, clock: Clock, *, policy: DigestPolicy) -> int:
    """Queue today's digests that are due and not yet queued; returns how many were added."""
    local = clock.now().astimezone(BANGKOK)
    if local.time() < policy.at:
        return 0
    day = local.date()
    with read_session(engine) as session:
        people = session.exec(
            select(User, UserContact.email)
            .join(UserContact, col(UserContact.user_id) == col(User.id))
            .where(User.is_active == True)  # noqa: E712
            .order_by(col(User.id))
        ).all()
        keys = [digest_key(u.id or 0, day) for u, _ in people]
        done = set(session.exec(select(Delivery.key).where(col(Delivery.key).in_(keys))).all())
        todo = [(u, e) for u, e in people if digest_key(u.id or 0, day) not in done]
    added = 0
    for user, email in todo:
        with write_session(engine) as session:
            added += _queue(session, user, email, day, clock, policy)
    return added


def items_for(session: Session, user: User, day: date) -> list[DigestItem]:
    """The open deadlines a person should hear about, in no particular order."""
    rows = session.exec(
        select(Deadline, Plan, Organization)
        .join(Plan, col(Plan.id) == col(Deadline.plan_id))
        .join(Organization, col(Organization.id) == col(Plan.organization_id))
        .where(
            Deadline.status == DeadlineStatus.OPEN,
            visible(user_scope(session, user, day), Plan.organization_id),
        )
    ).all()
    items = []
    for deadline, plan, org in rows:
        left = (deadline.due_on - day).days
        if user.role == Role.AUDITOR and left >= 0:
            continue
        duty_th, duty_en = DUTIES.get(str(deadline.kind), (str(deadline.kind),) * 2)
        items.append(
            DigestItem(
                organization_name=org.name,
                plan=PlanFacts(plan.title, str(plan.kind), plan.number, plan.fiscal_year_be),
                duty_th=duty_th,
                duty_en=duty_en,
                clause=deadline.clause,
                due_on=deadline.due_on,
                days_left=left,
            )
        )
    return items


def _queue(
    session: Session, user: User, email: str, day: date, clock: Clock, policy: DigestPolicy
) -> int:
    assert user.id is not None
    key = digest_key(user.id, day)
    if session.exec(select(Delivery.id).where(Delivery.key == key)).first() is not None:
        return 0
    items = items_for(session, user, day)
    if not any(i.days_left <= policy.horizon_days for i in items):
        return 0  # nothing to say today
    rendered = render_digest(
        day=day, items=items, link=policy.link_base, language=user.language
    )
    now = clock.now()
    session.add(
        Delivery(
            key=key,
            user_id=user.id,
            channel=Channel.EMAIL,
            address=email,
            kind="digest",
            subject=rendered.subject,
            body_text=rendered.text,
            body_html=rendered.html,
            data={"day": day.isoformat(), "items": len(items)},
            status=OutboxStatus.PENDING,
            available_at=now,
            created_at=now,
        )
    )
    return 1
