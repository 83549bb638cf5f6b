"""LINE through line-bot-sdk v3 against a real receiver on 127.0.0.1 that checks each request as
LINE's reference describes it: pushes, limits, the retry key, 429 with Retry-After, 5xx, a
permanent 4xx, and the outbox's deliveries to a linked person (in their language) and to the
office's group."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.alert import Channel, Delivery
from models.clock import FixedClock
from models.db import write_session
from models.enums import OutboxStatus
from notifications.channels.base import ChannelError, Outgoing
from notifications.channels.line import LineSender, LineSettings, retry_key, split_text
from notifications.contacts import set_language
from notifications.line_contacts import link, record_events
from notifications.outbox import DeliveryPolicy, pump
from notifications.senders import build_senders
from tests.factories import Office
from tests.notifications.line_fixtures import GROUP, USER, line, stand_in
from tests.notifications.scenario import walk
from workflow.commands import Context
from workflow.sweeper import SweepSettings

__all__ = ["line"]
CODE = "6660603"


def push(to: str, text: str, key: str = "m1:line:l1", org: str = "") -> Outgoing:
    return Outgoing(
        delivery_id=1,
        key=key,
        channel=Channel.LINE,
        kind="alert.reminder",
        address=to,
        user_id=None,
        plan_id=1,
        subject="s",
        text=text,
        html="",
        data={"org_code": org},
    )


def sender(host: str, tokens: dict[str, str] | None = None) -> LineSender:
    return LineSender(LineSettings(tokens=tokens or {"": "dev-token"}, host=host))


def test_a_push_is_what_line_s_reference_asks_for(line: tuple[Any, str]) -> None:
    receiver, host = line
    sender(host).send(push(USER, "เตือน: ปิดประกาศ\nhttps://localplan.example/plans/1"))
    assert receiver.problems == []
    [sent] = receiver.pushes
    assert sent["to"] == USER
    assert sent["messages"] == [
        {"type": "text", "text": "เตือน: ปิดประกาศ\nhttps://localplan.example/plans/1"}
    ]
    assert list(receiver.keys) == [retry_key("m1:line:l1")]  # the SDK sent X-Line-Retry-Key


def test_a_long_text_is_cut_to_line_s_limits(line: tuple[Any, str]) -> None:
    receiver, host = line
    long = "\n".join(f"บรรทัด {n}: " + "ก" * 90 for n in range(400))  # ~40 000 characters
    sender(host).send(push(GROUP, long))
    assert receiver.problems == []
    [sent] = receiver.pushes
    assert len(sent["messages"]) == 5
    assert all(len(m["text"]) <= 5000 for m in sent["messages"])
    assert sent["messages"][-1]["text"].endswith("…")
    assert split_text("สั้น") == ["สั้น"]


def test_the_same_delivery_twice_is_accepted_once(line: tuple[Any, str]) -> None:
    receiver, host = line
    channel = sender(host)
    channel.send(push(USER, "หนึ่ง"))
    channel.send(push(USER, "หนึ่ง"))  # a retry after a lost lease: LINE answers 409
    assert receiver.answered == [200] and len(receiver.pushes) == 1


@pytest.mark.parametrize(
    ("status", "permanent", "retry_after"),
    [(429, False, 7.0), (500, False, None), (400, True, None)],
)
def test_line_s_refusals_map_to_retry_wait_or_give_up(
    line: tuple[Any, str], status: int, permanent: bool, retry_after: float | None
) -> None:
    receiver, host = line
    receiver.script, receiver.retry_after = [status], 7
    with pytest.raises(ChannelError) as caught:
        sender(host).send(push(USER, "x"))
    assert caught.value.permanent is permanent
    assert caught.value.retry_after == retry_after
    assert f"HTTP {status}" in str(caught.value)


def test_a_wrong_token_or_no_token_fails_for_good(line: tuple[Any, str]) -> None:
    receiver, host = line
    with pytest.raises(ChannelError) as wrong:
        sender(host, {"": "not-the-token"}).send(push(USER, "x"))
    assert wrong.value.permanent and "HTTP 401" in str(wrong.value)
    with pytest.raises(ChannelError) as none:
        sender(host, {"1234567": "dev-token"}).send(push(USER, "x", org="7654321"))
    assert none.value.permanent and "no channel access token" in str(none.value)
    assert receiver.pushes == []


def test_per_organization_tokens_are_used_for_their_own_contacts(line: tuple[Any, str]) -> None:
    receiver, host = line
    sender(host, {CODE: "dev-token", "": "installation-token"}).send(push(USER, "x", org=CODE))
    assert len(receiver.pushes) == 1 and receiver.problems == []


def _link_contacts(engine: Engine, clock: FixedClock) -> None:
    events = [
        stand_in.event("follow", user=USER),
        stand_in.event("join", group=GROUP),
    ]
    with write_session(engine) as session:
        assert record_events(session, events, channel="", clock=clock) == 2
        link(session, line_id=USER, username=f"staff-{CODE}", clock=clock)
        link(session, line_id=GROUP, org_code=CODE, clock=clock)
        set_language(session, username=f"staff-{CODE}", language="en")


def test_the_outbox_pushes_to_the_person_in_their_language_and_to_the_office_group(
    engine: Engine, ctx: Context, office: Office, line: tuple[Any, str]
) -> None:
    receiver, host = line
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    _link_contacts(engine, clock)
    senders = build_senders(engine, clock, line=LineSettings(tokens={"": "dev-token"}, host=host))
    walk(engine, ctx, office, settings=SweepSettings(), steps={}, last_day=date(2018, 10, 13))
    rules = DeliveryPolicy(backoff_seconds=10, link_base="https://localplan.example")
    receiver.script, receiver.retry_after = [429], 120
    first = pump(engine, clock, senders=senders, policy=rules, owner="one")
    assert (first.sent, first.retrying) == (4, 1)  # 3 in-app, one LINE push; one told to wait
    with Session(engine) as session:
        [waiting] = session.exec(
            select(Delivery).where(Delivery.status == OutboxStatus.PENDING)
        ).all()
    assert waiting.available_at >= clock.now() + timedelta(seconds=120)  # Retry-After, not 10 s
    clock.advance(timedelta(seconds=60))
    assert pump(engine, clock, senders=senders, policy=rules, owner="one").sent == 0
    clock.advance(timedelta(seconds=61))
    assert pump(engine, clock, senders=senders, policy=rules, owner="one").sent == 1
    assert receiver.problems == [] and len(receiver.pushes) == 2
    by_to = {p["to"]: p["messages"][0]["text"] for p in receiver.pushes}
    assert by_to[USER].startswith("Reminder:") and "เตือน" not in by_to[USER]  # English reader
    assert by_to[GROUP].startswith("เตือน:") and "Reminder:" in by_to[GROUP]  # Thai, then English
    assert all(t.endswith("https://localplan.example/plans/1") for t in by_to.values())
    # Sent again by a second pass? Never: each push once.
    assert pump(engine, clock, senders=senders, policy=rules, owner="two").sent == 0
    assert len(receiver.pushes) == 2


def test_a_contact_that_left_gets_nothing(
    engine: Engine, ctx: Context, office: Office, line: tuple[Any, str]
) -> None:
    receiver, host = line
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    _link_contacts(engine, clock)
    with write_session(engine) as session:
        record_events(session, [stand_in.event("unfollow", user=USER)], channel="", clock=clock)
        record_events(session, [stand_in.event("leave", group=GROUP)], channel="", clock=clock)
    senders = build_senders(engine, clock, line=LineSettings(tokens={"": "dev-token"}, host=host))
    walk(engine, ctx, office, settings=SweepSettings(), steps={}, last_day=date(2018, 10, 13))
    assert pump(engine, clock, senders=senders, policy=DeliveryPolicy(), owner="one").sent == 3
    assert receiver.pushes == []
