"""Admins are told of deliveries that failed for good (one notice per pass, none about their own
notices) and of a degraded scheduler (a failing job, a silent process) once per episode."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.alert import Channel, Delivery, InAppAlert, SchedulerHeartbeat
from models.clock import FixedClock
from models.db import write_session
from models.enums import Role
from models.organization import User
from notifications.admin_alerts import DEGRADED, FAILED, Episodes, tell_stale
from notifications.outbox import pump
from tests.factories import Office
from tests.notifications.conftest import Hook
from tests.notifications.scenario import walk
from tests.notifications.test_delivery import policy, senders_for
from workflow.commands import Context
from workflow.sweeper import SweepSettings

CHANNELS = frozenset({Channel.IN_APP})


def notices(engine: Engine, kind: str) -> list[Delivery]:
    with Session(engine) as session:
        return list(session.exec(select(Delivery).where(Delivery.kind == kind)))


def admins(engine: Engine) -> set[int]:
    with Session(engine) as session:
        return {u.id for u in session.exec(select(User).where(User.role == Role.ADMIN)) if u.id}


def test_admins_hear_of_deliveries_that_failed_for_good_once(
    engine: Engine, ctx: Context, office: Office, hook: Hook
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    hook.up = False
    senders = senders_for(engine, clock, hook, None)
    walk(engine, ctx, office, settings=SweepSettings(), steps={}, last_day=date(2018, 10, 13))
    rules = policy(hook, max_attempts=1)
    first = pump(engine, clock, senders=senders, policy=rules, owner="one")  # type: ignore[arg-type]
    assert first.failed == 1
    [notice] = notices(engine, FAILED)
    assert {notice.user_id} == admins(engine) and notice.channel == Channel.IN_APP
    assert notice.subject == "ส่งการแจ้งเตือนไม่สำเร็จ 1 รายการ และเลิกพยายามแล้ว"
    assert ":webhook" in notice.body_text and "webhook: HTTP 503" in notice.body_text
    clock.advance(timedelta(minutes=5))
    again = pump(engine, clock, senders=senders, policy=rules, owner="one")  # type: ignore[arg-type]
    assert again.sent == 1 and again.failed == 0  # the notice itself, in-app
    with Session(engine) as session:
        shown = session.exec(select(InAppAlert).where(InAppAlert.kind == FAILED)).all()
    assert len(shown) == 1 and len(notices(engine, FAILED)) == 1


def test_a_failing_job_is_told_once_per_episode(
    engine: Engine, clock: FixedClock, office: Office
) -> None:
    episodes = Episodes(engine, clock, "host:1:abc", CHANNELS)
    episodes.saw("deliver", "OperationalError: the database went away")
    clock.advance(timedelta(minutes=1))
    episodes.saw("deliver", "OperationalError: the database went away")  # the same episode
    assert len(notices(engine, DEGRADED)) == 1
    episodes.saw("deliver", None)  # recovered
    clock.advance(timedelta(minutes=1))
    episodes.saw("deliver", "OperationalError: again")
    told = notices(engine, DEGRADED)
    assert len(told) == 2 and "deliver: OperationalError" in told[1].body_text


def test_a_scheduler_that_stopped_beating_is_told_once(
    engine: Engine, clock: FixedClock, office: Office
) -> None:
    now = clock.now()
    with write_session(engine) as session:
        for instance, beat in (("gone:1:x", now - timedelta(minutes=10)), ("me:2:y", now)):
            session.add(
                SchedulerHeartbeat(
                    instance_id=instance, hostname="h", pid=1, started_at=beat, beat_at=beat
                )
            )
    for _ in range(3):  # three heartbeat ticks of the live process
        tell_stale(engine, clock, me="me:2:y", stale_after_seconds=90, channels=CHANNELS)
    [told] = notices(engine, DEGRADED)
    assert told.subject.startswith("ตัวจัดกำหนดการ gone:1:x ทำงานผิดปกติ: no heartbeat since")
    with write_session(engine) as session:  # an admin who reads English gets English
        for user in session.exec(select(User).where(col(User.role) == Role.ADMIN)):
            user.language = "en"
            session.add(user)
    clock.advance(timedelta(minutes=5))
    tell_stale(engine, clock, me="other", stale_after_seconds=90, channels=CHANNELS)
    english = [d for d in notices(engine, DEGRADED) if "me:2:y" in d.subject]
    assert english and english[0].subject.startswith("The scheduler me:2:y is degraded")
