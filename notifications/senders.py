"""The channels in force for a deployment: in-app always, e-mail, webhook and LINE when
configured."""

from __future__ import annotations

from sqlalchemy import Engine

from models.alert import Channel
from models.clock import Clock
from notifications.channels.base import Sender
from notifications.channels.email import EmailSender, SmtpSettings
from notifications.channels.in_app import InAppSender
from notifications.channels.line import LineSender, LineSettings
from notifications.channels.webhook import WebhookSender, WebhookSettings


def build_senders(
    engine: Engine,
    clock: Clock,
    *,
    smtp: SmtpSettings | None = None,
    webhook: WebhookSettings | None = None,
    line: LineSettings | None = None,
) -> dict[Channel, Sender]:
    senders: dict[Channel, Sender] = {Channel.IN_APP: InAppSender(engine, clock)}
    if smtp is not None:
        senders[Channel.EMAIL] = EmailSender(smtp)
    if webhook is not None:
        senders[Channel.WEBHOOK] = WebhookSender(webhook)
    if line is not None:
        senders[Channel.LINE] = LineSender(line)
    return senders
