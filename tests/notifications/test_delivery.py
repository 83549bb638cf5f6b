"""Delivery end to end on a real database, real SMTP and webhook receivers on 127.0.0.1 and an
injected clock: who receives what, once; back-off, recovery, failure, retry, leases."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.alert import Channel, Delivery, InAppAlert
from models.clock import FixedClock
from models.db import write_session
from models.enums import OutboxStatus
from models.organization import User
from models.outbox import OutboxMessage
from notifications.admin import list_outbox, retry_failed
from notifications.channels.email import SmtpSettings
from notifications.channels.webhook import WebhookSettings
from notifications.contacts import set_email
from notifications.outbox import DeliveryPolicy, backoff, claim, fan_out, pump, send_due
from notifications.senders import build_senders
from tests.factories import Office
from tests.notifications.conftest import Hook, Mailbox, free_port
from tests.notifications.scenario import outbox, walk
from tests.workflow.test_sweeper import EXPECTED
from workflow.commands import Context
from workflow.sweeper import SweepSettings

CODE = "6660603"
S, C, E, A = (f"{r}-{CODE}" for r in ("staff", "committee", "executive", "auditor"))


def policy(hook: Hook | None = None, **kw: object) -> DeliveryPolicy:
    return DeliveryPolicy(webhook_url=hook.url if hook else None, **kw)  # type: ignore[arg-type]


def senders_for(
    engine: Engine, clock: FixedClock, hook: Hook | None, smtp_port: int | None
) -> dict[Channel, object]:
    return build_senders(  # type: ignore[return-value]
        engine,
        clock,
        smtp=SmtpSettings(
            host="127.0.0.1",
            port=smtp_port,
            starttls=False,
            sender="localplan@x.th",
            timeout_seconds=3,
        )
        if smtp_port
        else None,
        webhook=WebhookSettings(url=hook.url, secret=hook.secret) if hook else None,
    )


def give_emails(engine: Engine, clock: FixedClock, *usernames: str) -> None:
    with write_session(engine) as session:
        for username in usernames:
            set_email(session, username=username, email=f"{username}@laemrang.go.th", clock=clock)


def in_app(engine: Engine) -> list[tuple[date, str, str]]:
    """(legal day, kind, username) of every in-app alert, in order."""
    with Session(engine) as session:
        rows = session.exec(
            select(InAppAlert, User)
            .join(User, col(User.id) == col(InAppAlert.user_id))
            .order_by(col(InAppAlert.id))
        ).all()
    from models.clock import BANGKOK

    return [(a.created_at.astimezone(BANGKOK).date(), a.kind, u.username) for a, u in rows]


def test_a_plan_s_life_reaches_the_right_people_once_on_every_channel(
    engine: Engine, ctx: Context, office: Office, hook: Hook, mailbox: Mailbox
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    give_emails(engine, clock, S, E)
    senders = senders_for(engine, clock, hook, mailbox.port)

    def deliver(_day: date) -> None:
        report = pump(engine, clock, senders=senders, policy=policy(hook), owner="one")  # type: ignore[arg-type]
        assert report.errors == []

    walk(engine, ctx, office, settings=SweepSettings(), every_morning=deliver)
    deliver(date(2018, 12, 31))  # the last step's message
    roles = {"staff": [S], "committee": [C], "executive": [E], "auditor": [A]}
    expected = [
        (day, kind, person)
        for day, kind, audience in EXPECTED
        for person in sorted(p for r in audience for p in roles[r])
    ]
    # A message is delivered the morning after a person's action (the next delivery tick).
    got = in_app(engine)
    assert sorted((k, p) for _, k, p in got) == sorted((k, p) for _, k, p in expected)
    alerts = sorted((d, k, p) for d, k, p in got if k.startswith("alert."))
    assert alerts == sorted((d, k, p) for d, k, p in expected if k.startswith("alert."))
    assert sorted(hook.delivery_ids()) == sorted(f"m{m.id}:webhook" for m in outbox(engine))
    mailed = Counter(r[0].split("@")[0] for r in mailbox.recipients)
    assert mailed == Counter(p for _, _, p in expected if p in (S, E))
    overdue = [m for m in mailbox.messages if "เกินกำหนด" in str(m["Subject"])]
    assert len(overdue) == 2  # the escalated overdue alert, to staff and executive
    subject = str(overdue[0]["Subject"])  # Thai readers: a Thai subject only, with the title
    assert "Overdue" not in subject and subject.endswith("— แผนการดำเนินงาน ประจำปี 2562")
    with Session(engine) as session:
        statuses = Counter(d.status for d in session.exec(select(Delivery)))
    assert statuses == {OutboxStatus.SENT: len(got) + len(hook.accepted) + len(mailbox.messages)}


def test_a_channel_down_for_a_while_gets_every_message_once_when_it_recovers(
    engine: Engine, ctx: Context, office: Office, hook: Hook
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    give_emails(engine, clock, S)
    port = free_port()  # nothing listens here yet: the mail server is down
    senders = senders_for(engine, clock, hook, port)
    hook.up = False
    walk(engine, ctx, office, settings=SweepSettings(), steps={}, last_day=date(2018, 10, 21))
    rules = policy(hook, backoff_seconds=60, max_attempts=10)
    first = pump(engine, clock, senders=senders, policy=rules, owner="one")  # type: ignore[arg-type]
    assert (first.sent, first.retrying, first.failed) == (19, 12, 0)  # in-app works throughout
    idle = pump(engine, clock, senders=senders, policy=rules, owner="one")  # type: ignore[arg-type]
    assert (idle.sent, idle.retrying) == (0, 0)  # nothing is due before the back-off passes
    for attempt in range(1, 4):
        clock.advance(backoff(attempt, rules))
        report = pump(engine, clock, senders=senders, policy=rules, owner="one")  # type: ignore[arg-type]
        assert (report.sent, report.retrying) == (0, 12)
    assert [backoff(n, rules).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    clock.advance(backoff(4, rules))
    hook.up = True
    box = Mailbox(port)
    server = Controller(box, hostname="127.0.0.1", port=port)
    server.start()
    try:
        report = pump(engine, clock, senders=senders, policy=rules, owner="one")  # type: ignore[arg-type]
        again = pump(engine, clock, senders=senders, policy=rules, owner="one")  # type: ignore[arg-type]
    finally:
        server.stop()
    assert (report.sent, report.retrying, report.failed) == (12, 0, 0)
    assert again.sent == 0
    messages = list(outbox(engine))
    assert len(messages) == 6  # reminders 7/3/1/0, last working day, overdue
    assert sorted(hook.delivery_ids()) == sorted(f"m{m.id}:webhook" for m in messages)
    assert len(box.messages) == 6 and hook.attempts == 6 * 5
    with Session(engine) as session:
        mails = session.exec(select(Delivery).where(Delivery.channel == Channel.EMAIL)).all()
    assert {d.attempts for d in mails} == {5} and {d.status for d in mails} == {OutboxStatus.SENT}


def test_after_the_last_attempt_it_is_failed_shown_to_admins_and_can_be_retried(
    engine: Engine, ctx: Context, office: Office, hook: Hook
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    hook.up = False
    senders = senders_for(engine, clock, hook, None)
    walk(engine, ctx, office, settings=SweepSettings(), steps={}, last_day=date(2018, 10, 13))
    rules = policy(hook, max_attempts=3, backoff_seconds=10)
    for _ in range(3):
        pump(engine, clock, senders=senders, policy=rules, owner="one")  # type: ignore[arg-type]
        clock.advance(timedelta(hours=1))
    with Session(engine) as session:
        [failed] = list_outbox(session, status=OutboxStatus.FAILED)
    assert failed.type == "delivery" and failed.channel == "webhook"
    assert failed.attempts == 3 and failed.last_error == "webhook: HTTP 503"
    # The next pass sends only the admin's in-app notice of the failure; the webhook waits.
    assert pump(engine, clock, senders=senders, policy=rules, owner="one").sent == 1  # type: ignore[arg-type]
    assert hook.attempts == 3
    hook.up = True
    with write_session(engine) as session:
        assert retry_failed(session, clock=clock, delivery_ids=(failed.id,)) == 1
    assert pump(engine, clock, senders=senders, policy=rules, owner="one").sent == 1  # type: ignore[arg-type]
    assert len(hook.accepted) == 1
    with Session(engine) as session:
        assert list_outbox(session, status=OutboxStatus.FAILED) == []


def test_a_message_nobody_can_receive_is_failed_not_dropped(
    engine: Engine, ctx: Context, office: Office
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    with write_session(engine) as session:
        committee = session.exec(select(User).where(User.username == C)).one()
        committee.is_active = False
        session.add(committee)
    walk(engine, ctx, office, settings=SweepSettings(), last_day=date(2018, 10, 1))
    senders = senders_for(engine, clock, None, None)
    pump(engine, clock, senders=senders, policy=policy(), owner="one")  # type: ignore[arg-type]
    with Session(engine) as session:
        [message] = list_outbox(session, status=OutboxStatus.FAILED)
    assert message.type == "message" and message.kind == "transition.submit"
    assert message.last_error and "no active recipient for roles committee" in message.last_error


def test_a_lease_keeps_two_processes_from_sending_the_same_delivery(
    engine: Engine, ctx: Context, office: Office, hook: Hook
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    senders = senders_for(engine, clock, hook, None)
    walk(engine, ctx, office, settings=SweepSettings(), steps={}, last_day=date(2018, 10, 13))
    rules = policy(hook, lease_seconds=300)
    assert fan_out(engine, clock, channels=frozenset(senders), policy=rules) == 1
    crashed = claim(engine, clock, policy=rules, owner="crashed")  # claimed, then the process died
    assert crashed
    assert send_due(engine, clock, senders=senders, policy=rules, owner="other").sent == 0  # type: ignore[arg-type]
    clock.advance(timedelta(seconds=301))  # the lease runs out: another process takes over
    report = send_due(engine, clock, senders=senders, policy=rules, owner="other")  # type: ignore[arg-type]
    assert report.sent == len(crashed) == 4  # three in-app, one webhook
    assert len(hook.accepted) == 1


def test_an_unconfigured_channel_fails_at_once(
    engine: Engine, ctx: Context, office: Office, hook: Hook
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    walk(engine, ctx, office, settings=SweepSettings(), steps={}, last_day=date(2018, 10, 13))
    with_hook = senders_for(engine, clock, hook, None)
    rules = policy(hook)
    assert fan_out(engine, clock, channels=frozenset(with_hook), policy=rules) == 1
    without = senders_for(engine, clock, None, None)  # the webhook was switched off meanwhile
    report = send_due(engine, clock, senders=without, policy=rules, owner="one")  # type: ignore[arg-type]
    assert (report.sent, report.failed) == (3, 1)  # the in-app ones go, the webhook fails
    assert report.errors == [f"{_webhook_key(engine)}: channel webhook is not configured"]


def _webhook_key(engine: Engine) -> str:
    with Session(engine) as session:
        return session.exec(select(Delivery.key).where(Delivery.channel == Channel.WEBHOOK)).one()


def test_fan_out_is_idempotent(engine: Engine, ctx: Context, office: Office) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    walk(engine, ctx, office, settings=SweepSettings(), steps={}, last_day=date(2018, 10, 13))
    senders = senders_for(engine, clock, None, None)
    pump(engine, clock, senders=senders, policy=policy(), owner="one")  # type: ignore[arg-type]
    with write_session(engine) as session:  # as if the message had not been marked handed over
        message = session.exec(select(OutboxMessage)).one()
        message.status = OutboxStatus.PENDING
        session.add(message)
    report = pump(engine, clock, senders=senders, policy=policy(), owner="one")  # type: ignore[arg-type]
    assert (report.fanned_out, report.sent) == (1, 0)
    assert len(in_app(engine)) == 3
