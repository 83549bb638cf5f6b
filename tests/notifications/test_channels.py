"""Each channel against a real receiver on 127.0.0.1, and the Protocol every channel keeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.alert import Channel, Delivery, InAppAlert
from models.clock import FixedClock
from models.enums import OutboxStatus
from notifications.channels.base import ChannelError, Outgoing, Sender
from notifications.channels.email import EmailSender, SmtpSettings
from notifications.channels.in_app import InAppSender
from notifications.channels.webhook import WebhookSender, WebhookSettings, body_of, sign
from tests.factories import Office
from tests.notifications.conftest import PASSWORD, USER, Hook, Mailbox, free_port, part

THAI_SUBJECT = "เตือน: ปิดประกาศโดยเปิดเผย เหลืออีก 3 วัน (ครบกำหนด 9 พ.ย. 2561)"


def outgoing(channel: Channel, address: str = "", user_id: int | None = None) -> Outgoing:
    return Outgoing(
        delivery_id=1,
        key=f"m1:{channel.value}:u{user_id or 0}",
        channel=channel,
        kind="alert.reminder",
        address=address,
        user_id=user_id,
        plan_id=None,
        subject=f"{THAI_SUBJECT} / Reminder: 3 day(s) left",
        text="องค์การบริหารส่วนตำบลแหลมรัง\nครบกำหนด 9 พ.ย. 2561\n\nLaem Rang SAO\n",
        html="<p>องค์การบริหารส่วนตำบลแหลมรัง</p><p>ครบกำหนด 9 พ.ย. 2561</p>",
        data={"payload": {"due_on": "2018-11-09"}},
    )


def test_every_channel_keeps_the_protocol(engine: Engine, clock: FixedClock) -> None:
    senders: list[Sender] = [
        InAppSender(engine, clock),
        EmailSender(SmtpSettings(host="127.0.0.1", sender="a@b.th")),
        WebhookSender(WebhookSettings(url="http://127.0.0.1:1/", secret="x")),
    ]
    assert [s.channel for s in senders] == [Channel.IN_APP, Channel.EMAIL, Channel.WEBHOOK]


def test_email_carries_thai_subject_text_and_html(mailbox: Mailbox) -> None:
    sender = EmailSender(
        SmtpSettings(host="127.0.0.1", port=mailbox.port, starttls=False, sender="localplan@x.th")
    )
    sender.send(outgoing(Channel.EMAIL, "somjai@laemrang.go.th"))
    [message] = mailbox.messages
    assert mailbox.recipients == [["somjai@laemrang.go.th"]]
    assert message["Subject"].startswith(THAI_SUBJECT)
    assert message["X-Localplan-Delivery"] == "m1:email:u0"
    assert "ครบกำหนด 9 พ.ย. 2561" in part(message, "plain")
    assert "<p>องค์การบริหารส่วนตำบลแหลมรัง</p>" in part(message, "html")
    assert message.get_content_type() == "multipart/alternative"


def test_email_over_starttls_with_login(
    secure_mailbox: Mailbox, tls_files: tuple[Path, Path]
) -> None:
    cert, _ = tls_files
    settings = SmtpSettings(
        host="127.0.0.1",
        port=secure_mailbox.port,
        sender="localplan@x.th",
        username=USER,
        password=PASSWORD,
        ca_file=str(cert),
        timeout_seconds=3,
    )
    EmailSender(settings).send(outgoing(Channel.EMAIL, "somjai@laemrang.go.th"))
    assert len(secure_mailbox.messages) == 1
    # (aiosmtpd answers the second mechanism smtplib tries only after the timeout)
    wrong = SmtpSettings(**{**settings.__dict__, "password": "wrong", "timeout_seconds": 1})
    with pytest.raises(ChannelError, match="smtp"):
        EmailSender(wrong).send(outgoing(Channel.EMAIL, "somjai@laemrang.go.th"))
    plain = SmtpSettings(**{**settings.__dict__, "starttls": False})
    with pytest.raises(ChannelError):  # the server requires STARTTLS first
        EmailSender(plain).send(outgoing(Channel.EMAIL, "somjai@laemrang.go.th"))
    assert len(secure_mailbox.messages) == 1


def test_email_to_a_server_that_is_down_raises_channel_error() -> None:
    sender = EmailSender(
        SmtpSettings(
            host="127.0.0.1", port=free_port(), starttls=False, sender="a@b.th", timeout_seconds=2
        )
    )
    with pytest.raises(ChannelError, match="ConnectionRefused"):
        sender.send(outgoing(Channel.EMAIL, "x@y.th"))


def test_webhook_is_signed_and_names_its_delivery(hook: Hook) -> None:
    out = outgoing(Channel.WEBHOOK, hook.url)
    WebhookSender(WebhookSettings(url=hook.url, secret=hook.secret)).send(out)
    [document] = hook.accepted
    assert document["delivery_id"] == out.key
    assert document["subject"].startswith(THAI_SUBJECT)
    assert document["data"] == {"payload": {"due_on": "2018-11-09"}}
    body = body_of(out)
    assert json.loads(body) == document
    assert sign(hook.secret, body).startswith("sha256=") and len(sign(hook.secret, body)) == 71


def test_webhook_with_a_wrong_secret_or_a_receiver_down_fails(hook: Hook) -> None:
    out = outgoing(Channel.WEBHOOK, hook.url)
    with pytest.raises(ChannelError, match="HTTP 401"):
        WebhookSender(WebhookSettings(url=hook.url, secret="not it")).send(out)
    assert hook.bad_signatures == 1
    hook.up = False
    with pytest.raises(ChannelError, match="HTTP 503"):
        WebhookSender(WebhookSettings(url=hook.url, secret=hook.secret)).send(out)
    with pytest.raises(ChannelError, match="URLError"):
        closed = f"http://127.0.0.1:{free_port()}/"
        WebhookSender(WebhookSettings(url=closed, secret=hook.secret, timeout_seconds=2)).send(
            outgoing(Channel.WEBHOOK, closed)
        )
    assert hook.accepted == []


def test_in_app_writes_one_row_per_delivery(
    engine: Engine, clock: FixedClock, office: Office
) -> None:
    with Session(engine) as session:
        session.add(
            Delivery(
                key="k",
                user_id=office.staff.user_id,
                channel=Channel.IN_APP,
                kind="alert.reminder",
                subject="s",
                body_text="t",
                body_html="h",
                status=OutboxStatus.PENDING,
                available_at=clock.now(),
                created_at=clock.now(),
            )
        )
        session.commit()
        delivery_id = session.exec(select(Delivery.id)).one()
    assert delivery_id is not None
    sender = InAppSender(engine, clock)
    out = Outgoing.of(_row(engine, delivery_id))
    sender.send(out)
    sender.send(out)  # a retry after a lost lease: still one alert
    with Session(engine) as session:
        rows = session.exec(select(InAppAlert)).all()
    assert [(r.user_id, r.subject) for r in rows] == [(office.staff.user_id, "s")]
    with pytest.raises(ChannelError):
        sender.send(outgoing(Channel.IN_APP))


def _row(engine: Engine, delivery_id: int) -> Delivery:
    with Session(engine) as session:
        row = session.get(Delivery, delivery_id)
        assert row is not None
        return row
