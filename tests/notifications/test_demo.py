"""The demo shows more than the inbox: its people have e-mail addresses, so with a local SMTP
server configured its alerts arrive there (docs/operations.md)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from api.demo import USERS, demo_email, seed
from models.clock import FixedClock
from notifications.channels.email import SmtpSettings
from notifications.contacts import list_emails
from notifications.outbox import DeliveryPolicy, pump
from notifications.senders import build_senders
from tests.notifications.conftest import Mailbox
from workflow.commands import Context


def test_demo_people_have_addresses_and_their_alerts_reach_a_local_smtp_server(
    engine: Engine, ctx: Context, mailbox: Mailbox
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(2019, 1, 7, 3, 0, tzinfo=UTC))  # after the demo's steps
    seed(engine, ctx)
    seed(engine, ctx)  # a second run keeps the addresses
    with Session(engine) as session:
        assert dict(list_emails(session)) == {u: demo_email(u) for u, _, _ in USERS}
    assert demo_email("laemrang.staff") == "laemrang-staff@laemrang.example"
    smtp = SmtpSettings(host="127.0.0.1", port=mailbox.port, starttls=False, sender="lp@x.th")
    senders = build_senders(engine, clock, smtp=smtp)
    pump(engine, clock, senders=senders, policy=DeliveryPolicy(), owner="demo")
    got = {r for rs in mailbox.recipients for r in rs}
    assert "laemrang-committee@laemrang.example" in got  # the submission, to the committee
    assert all(r.endswith("@laemrang.example") for r in got)
