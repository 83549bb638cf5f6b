"""In-app alerts: a row per delivery, read through GET /api/v1/me/alerts."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import select

from models.alert import Channel, InAppAlert
from models.clock import Clock
from models.db import write_session
from notifications.channels.base import ChannelError, Outgoing


class InAppSender:
    channel = Channel.IN_APP

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine, self.clock = engine, clock

    def send(self, out: Outgoing) -> None:
        if out.user_id is None:
            raise ChannelError("an in-app alert needs a user")
        with write_session(self.engine) as session:
            found = session.exec(
                select(InAppAlert.id).where(InAppAlert.delivery_id == out.delivery_id)
            ).first()
            if found is not None:
                return  # sent before (a retry after a lost lease): once is enough
            session.add(
                InAppAlert(
                    delivery_id=out.delivery_id,
                    user_id=out.user_id,
                    kind=out.kind,
                    plan_id=out.plan_id,
                    subject=out.subject,
                    body_text=out.text,
                    text_th=str(out.data.get("text_th", "")),
                    text_en=str(out.data.get("text_en", "")),
                    created_at=self.clock.now(),
                )
            )
