"""What admins are told without asking: deliveries that failed for good, and a scheduler that is
degraded (a job failing, or a process that stopped beating). Each notice has a key naming its
episode, so it is queued once however many ticks see the same trouble (docs/operations.md
"Alerts"). Notices go to every active admin: in-app, e-mail with an address, LINE when linked.
Notices about notices are never made (a failed `admin.*` delivery is only listed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import col, select

from models.alert import Channel, Delivery, SchedulerHeartbeat
from models.clock import Clock
from models.db import read_session, write_session
from models.enums import Language, OutboxStatus, Role
from models.organization import User
from notifications import recipients
from notifications.render import Rendered, line_text, render_lines

FAILED = "admin.delivery_failed"
DEGRADED = "admin.scheduler_degraded"
SHOWN = 10  # failed deliveries named in one notice


def tell_admins(
    engine: Engine,
    clock: Clock,
    *,
    key: str,
    kind: str,
    th: Sequence[str],
    en: Sequence[str],
    channels: frozenset[Channel],
) -> int:
    """Queue one notice per admin and channel, once per `key`; how many were queued."""
    now, added = clock.now(), 0
    with write_session(engine) as session:
        admins = session.exec(
            select(User).where(User.role == Role.ADMIN, User.is_active == True)  # noqa: E712
        ).all()
        ids = [a.id for a in admins if a.id is not None]
        emails = recipients.emails(session, ids) if Channel.EMAIL in channels else {}
        lines = recipients.line_users(session, ids) if Channel.LINE in channels else {}
        for admin in admins:
            assert admin.id is not None
            lang = Language.EN if admin.language == Language.EN else Language.TH
            text = render_lines(th, en, lang)
            targets = [(Channel.IN_APP, "", "")]
            if admin.id in emails:
                targets.append((Channel.EMAIL, emails[admin.id], ""))
            targets += [(Channel.LINE, c.line_id, c.channel) for c in lines.get(admin.id, [])]
            for channel, address, org_code in targets:
                row_key = f"{key}:{channel.value}:u{admin.id}:{address}"[:200]
                found = session.exec(select(Delivery.id).where(Delivery.key == row_key)).first()
                if found is not None:
                    continue
                session.add(
                    _row(row_key, kind, admin.id, channel, address, org_code, text, lang, now)
                )
                added += 1
    return added


def _row(
    key: str,
    kind: str,
    user_id: int,
    channel: Channel,
    address: str,
    org_code: str,
    text: Rendered,
    lang: str,
    now: datetime,
) -> Delivery:
    data: dict[str, object] = {}
    if channel is Channel.IN_APP:
        data = {"text_th": "\n".join(text.lines_th), "text_en": "\n".join(text.lines_en)}
    if channel is Channel.LINE:
        data = {"org_code": org_code}
    return Delivery(
        key=key,
        user_id=user_id,
        channel=channel,
        address=address,
        kind=kind,
        subject=text.subject,
        body_text=line_text(text, lang) if channel is Channel.LINE else text.text,
        body_html="" if channel is Channel.LINE else text.html,
        data=data,
        status=OutboxStatus.PENDING,
        available_at=now,
        created_at=now,
    )


def failed_notice(failed: Sequence[tuple[str, str, str]]) -> tuple[list[str], list[str]]:
    """The texts about (key, channel, error) of deliveries that failed for good."""
    th = [f"ส่งการแจ้งเตือนไม่สำเร็จ {len(failed)} รายการ และเลิกพยายามแล้ว"]
    en = [f"{len(failed)} alert deliveries failed for good"]
    for key, channel, error in failed[:SHOWN]:
        th.append(f"• {channel} {key}: {error}")
        en.append(f"• {channel} {key}: {error}")
    th.append("ตรวจสอบแล้วส่งใหม่ได้ด้วย localplan outbox list และ localplan outbox retry")
    en.append("Check and resend with `localplan outbox list` and `localplan outbox retry`.")
    return th, en


def degraded_notice(instance: str, trouble: str) -> tuple[list[str], list[str]]:
    return (
        [
            f"ตัวจัดกำหนดการ {instance} ทำงานผิดปกติ: {trouble}",
            "การเตือนและการส่งอาจล่าช้า ตรวจสอบ /healthz และบันทึกของโปรแกรม",
        ],
        [
            f"The scheduler {instance} is degraded: {trouble}",
            "Alerts and deliveries may be late; check /healthz and the process's log.",
        ],
    )


def stale_schedulers(engine: Engine, clock: Clock, *, stale_after_seconds: float) -> list[str]:
    """`instance@last-beat` of each running scheduler that stopped beating (an episode each)."""
    since = clock.now().timestamp() - stale_after_seconds
    with read_session(engine) as session:
        rows = session.exec(
            select(SchedulerHeartbeat).where(col(SchedulerHeartbeat.stopped_at).is_(None))
        ).all()
    return [
        f"{r.instance_id}@{r.beat_at.isoformat()}" for r in rows if r.beat_at.timestamp() < since
    ]


def tell_degraded(
    engine: Engine,
    clock: Clock,
    *,
    instance: str,
    trouble: str,
    episode: str,
    channels: frozenset[Channel],
) -> int:
    """Admins hear of a degraded scheduler once per `episode` of that process."""
    th, en = degraded_notice(instance, trouble)
    key = f"{DEGRADED}:{instance}:{episode}"
    return tell_admins(engine, clock, key=key, kind=DEGRADED, th=th, en=en, channels=channels)


def tell_stale(
    engine: Engine,
    clock: Clock,
    *,
    me: str,
    stale_after_seconds: float,
    channels: frozenset[Channel],
) -> int:
    """Admins hear of each other scheduler that stopped beating, once per silence."""
    added = 0
    for episode in stale_schedulers(engine, clock, stale_after_seconds=stale_after_seconds):
        instance, since = episode.rsplit("@", 1)
        if instance != me:
            added += tell_degraded(
                engine,
                clock,
                instance=instance,
                trouble=f"no heartbeat since {since}",
                episode=f"stale:{since}",
                channels=channels,
            )
    return added


class Episodes:
    """The jobs of one scheduler process that fail, since when: admins hear of each episode
    (the first failure after a success) once, not of every failed tick."""

    def __init__(
        self, engine: Engine, clock: Clock, instance: str, channels: frozenset[Channel]
    ) -> None:
        self.engine, self.clock, self.instance, self.channels = engine, clock, instance, channels
        self.failing: dict[str, datetime] = {}

    def saw(self, job: str, error: str | None) -> None:
        """A job failed (`error`) or ran (None)."""
        if error is None:
            self.failing.pop(job, None)
            return
        if job in self.failing:
            return
        self.failing[job] = since = self.clock.now()
        tell_degraded(
            self.engine,
            self.clock,
            instance=self.instance,
            trouble=f"{job}: {error}",
            episode=f"{job}:{since.isoformat()}",
            channels=self.channels,
        )
