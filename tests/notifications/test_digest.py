"""The daily digest: at the configured local time, once per person and day, only when there is
something to say; auditors hear about overdue deadlines in their scope."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Engine

from models.clock import BANGKOK, FixedClock
from models.db import write_session
from models.enums import Action, Role
from notifications.contacts import set_language
from notifications.digest import DigestPolicy, create_digests
from notifications.outbox import DeliveryPolicy, pump
from notifications.senders import build_senders
from tests.factories import Office, make_office
from tests.notifications.conftest import Mailbox
from tests.notifications.scenario import STEPS, walk
from tests.notifications.test_delivery import give_emails, senders_for
from workflow.commands import Context
from workflow.sweeper import SweepSettings

CODE = "6660603"


def at(clock: FixedClock, day: date, hour: int, minute: int) -> None:
    clock.set(datetime(day.year, day.month, day.day, hour, minute, tzinfo=BANGKOK))


def test_digests_at_the_set_time_once_and_only_with_something_to_say(
    engine: Engine, ctx: Context, office: Office, mailbox: Mailbox
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    make_office(engine, clock, "6660604")  # same province, no plan: nothing more to say
    give_emails(engine, clock, f"staff-{CODE}", f"auditor-{CODE}", f"admin-{CODE}")
    steps = {d: s for d, s in STEPS.items() if s[0] is Action.SUBMIT}
    walk(engine, ctx, office, settings=SweepSettings(), steps=steps, last_day=date(2018, 9, 25))
    rules = DigestPolicy(at=time(8, 30), horizon_days=7)
    at(clock, date(2018, 9, 25), 9, 0)
    assert create_digests(engine, clock, policy=rules) == 0  # 25 days left: nothing to say
    at(clock, date(2018, 10, 14), 8, 29)
    assert create_digests(engine, clock, policy=rules) == 0  # not yet 08:30
    at(clock, date(2018, 10, 14), 8, 30)
    assert create_digests(engine, clock, policy=rules) == 1  # staff: 6 days left
    assert create_digests(engine, clock, policy=rules) == 0  # once a day
    with write_session(engine) as session:  # the auditor reads English
        set_language(session, username=f"auditor-{CODE}", language="en")
    at(clock, date(2018, 10, 22), 8, 45)
    assert create_digests(engine, clock, policy=rules) == 2  # staff, and the auditor (overdue)
    senders = senders_for(engine, clock, None, mailbox.port)
    report = pump(engine, clock, senders=senders, policy=DeliveryPolicy(), owner="t")  # type: ignore[arg-type]
    assert report.sent == 3 and report.errors == []
    subjects = [str(m["Subject"]) for m in mailbox.messages]
    assert subjects[0] == "สรุปกำหนดเวลาประจำวัน 14 ต.ค. 2561: 1 รายการ"  # Thai only
    assert "Daily digest 22 Oct 2018: 1 deadline(s)" in subjects  # the auditor's, in English
    assert sorted(r[0] for r in mailbox.recipients[1:]) == [
        f"auditor-{CODE}@laemrang.go.th",
        f"staff-{CODE}@laemrang.go.th",
    ]
    body = mailbox.messages[1].get_body(preferencelist=("plain",))
    assert body is not None and "เกิน 2 วัน" in str(body.get_content())
    assert office.by_role(Role.ADMIN).username == f"admin-{CODE}"  # admins get no digest


def test_no_digest_without_email(engine: Engine, ctx: Context, office: Office) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    walk(engine, ctx, office, settings=SweepSettings(), steps={}, last_day=date(2018, 10, 14))
    at(clock, date(2018, 10, 14), 9, 0)
    assert create_digests(engine, clock, policy=DigestPolicy()) == 0
    assert build_senders(engine, clock).keys() == {"in_app"}
