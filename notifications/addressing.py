"""One outbox message into its deliveries: each recipient gets the texts in their language on
every channel they can be reached on (in-app always; e-mail with an address; LINE with a linked
LINE user id), the office's linked LINE groups get one push (Thai, then English), and the
webhook one body per message. Keys are unique per (message, recipient, channel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from models.alert import Channel, Delivery, LineContact
from models.audit import TransitionRecord
from models.enums import Language, OutboxStatus
from models.organization import Organization, User
from models.outbox import OutboxMessage
from models.plan import Plan
from models.report import ReportRecord
from notifications import recipients
from notifications.render import MessageFacts, PlanFacts, Rendered, line_text, render

GROUP_KINDS = ("transition.", "alert.", "deadline.extended")  # what an office group hears


@dataclass(frozen=True)
class Addressing:
    """What a fan-out needs besides the message: the channels and links in force."""

    channels: frozenset[Channel]
    webhook_url: str | None
    link_base: str | None


def facts_of(
    session: Session,
    message: OutboxMessage,
    org: Organization | None,
    plan: Plan | None,
    link_base: str | None,
) -> MessageFacts:
    """The message's payload with its record's effective date and comment (the reason)."""
    payload: dict[str, Any] = dict(message.payload)
    record_id = payload.get("record_id")
    if record_id is not None:  # a report's message names a record of the report's own chain
        record: TransitionRecord | ReportRecord | None = (
            session.get(ReportRecord, int(record_id)) if message.kind.startswith("report.")
            else session.get(TransitionRecord, int(record_id))
        )  # fmt: skip
        if record is not None:
            payload.setdefault("effective_on", record.effective_on.isoformat())
            payload.setdefault("comment", record.comment)
    link = None  # a report's message links to its staff page, a plan's to the plan
    if link_base and message.report_id:
        link = f"{link_base.rstrip('/')}/reports/{message.report_id}"
    elif link_base and message.plan_id:
        link = f"{link_base.rstrip('/')}/plans/{message.plan_id}"
    return MessageFacts(
        kind=message.kind,
        organization_name=org.name if org else "",
        payload=payload,
        plan=PlanFacts(plan.title, str(plan.kind), plan.number, plan.fiscal_year_be)
        if plan
        else None,
        plan_id=message.plan_id,
        link=link,
        audience=tuple(str(a) for a in message.audience),
    )


def deliveries(
    session: Session,
    message: OutboxMessage,
    people: list[User],
    facts: MessageFacts,
    how: Addressing,
    org: Organization | None,
    now: datetime,
) -> list[Delivery]:
    texts = {lang: render(facts, lang) for lang in (Language.TH, Language.EN)}
    ids = [u.id for u in people if u.id is not None]
    addresses = recipients.emails(session, ids) if Channel.EMAIL in how.channels else {}
    lines = recipients.line_users(session, ids) if Channel.LINE in how.channels else {}
    rows: list[Delivery] = []
    for user in people:
        assert user.id is not None
        lang = Language.EN if user.language == Language.EN else Language.TH
        done = texts[lang]
        in_app = {"text_th": "\n".join(done.lines_th), "text_en": "\n".join(done.lines_en)}
        key = f"m{message.id}:{{}}:u{user.id}"
        rows.append(
            _row(message, done, key.format("in_app"), Channel.IN_APP, "", user.id, in_app, now)
        )
        if user.id in addresses:
            email = addresses[user.id]
            rows.append(
                _row(message, done, key.format("email"), Channel.EMAIL, email, user.id, {}, now)
            )
        for contact in lines.get(user.id, []):
            rows.append(
                _line_row(message, done, f"m{message.id}:line:l{contact.id}", contact, lang, now)
            )
    if Channel.LINE in how.channels and message.kind.startswith(GROUP_KINDS):
        for group in recipients.line_groups(session, message.organization_id):
            key = f"m{message.id}:line:l{group.id}"
            rows.append(_line_row(message, texts[Language.TH], key, group, None, now))
    if Channel.WEBHOOK in how.channels and how.webhook_url and people:
        data = _webhook_body(message, people, org)
        key = f"m{message.id}:{Channel.WEBHOOK.value}"
        rows.append(
            _row(
                message, texts[Language.TH], key, Channel.WEBHOOK, how.webhook_url, None, data, now
            )
        )
    return rows


def _webhook_body(
    message: OutboxMessage, people: list[User], org: Organization | None
) -> dict[str, Any]:
    return {
        "message_kind": message.kind,
        "idempotency_key": message.idempotency_key,
        "organization": {"code": org.code, "name": org.name} if org else None,
        "plan_id": message.plan_id,
        "audience": list(message.audience),
        "recipients": [u.username for u in people],
        "payload": message.payload,
    }


def _line_row(
    message: OutboxMessage,
    rendered: Rendered,
    key: str,
    contact: LineContact,
    language: str | None,
    now: datetime,
) -> Delivery:
    row = _row(
        message,
        rendered,
        key,
        Channel.LINE,
        contact.line_id,
        contact.user_id,
        {"org_code": contact.channel},
        now,
    )
    row.body_text, row.body_html = line_text(rendered, language), ""
    return row


def _row(
    message: OutboxMessage,
    rendered: Rendered,
    key: str,
    channel: Channel,
    address: str,
    user_id: int | None,
    data: dict[str, Any],
    now: datetime,
) -> Delivery:
    return Delivery(
        key=key,
        message_id=message.id,
        user_id=user_id,
        channel=channel,
        address=address,
        kind=message.kind,
        plan_id=message.plan_id,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        data=data,
        status=OutboxStatus.PENDING,
        available_at=now,
        created_at=now,
    )
