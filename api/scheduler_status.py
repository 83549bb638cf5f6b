"""What /healthz says of the scheduler processes: read from their heartbeats
(api/scheduler.py writes them)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from api.settings import Settings
from models.alert import SchedulerHeartbeat
from models.clock import Clock
from models.db import read_session


def scheduler_status(
    engine: Engine,
    clock: Clock,
    *,
    settings: Settings | None = None,
    stale_after: timedelta | None = None,
) -> str:
    """One line for /healthz: how many scheduler processes beat recently, and when.

    "not configured" until a scheduler has ever run on this database; "ok: N running …";
    "stale: …" when none beat within three heartbeat intervals (90 s at least); "not running"
    when every one stopped cleanly."""
    if stale_after is None:
        beat = settings.heartbeat_interval_seconds if settings is not None else 30.0
        stale_after = timedelta(seconds=max(3 * beat, 90.0))
    now = clock.now()
    try:
        with read_session(engine) as session:
            rows = session.exec(
                select(SchedulerHeartbeat).order_by(col(SchedulerHeartbeat.beat_at).desc())
            ).all()
    except SQLAlchemyError as err:  # an unmigrated or unreachable database: /healthz says so
        return f"unknown: {type(err).__name__}"
    if not rows:
        return "not configured"
    running = [r for r in rows if r.stopped_at is None]
    live = [r for r in running if now - r.beat_at <= stale_after]
    if live:
        age = max(int((now - live[0].beat_at).total_seconds()), 0)
        return f"ok: {len(live)} running, last beat {age} s ago"
    if running:
        return f"stale: last beat at {running[0].beat_at.isoformat()}"
    return f"not running: stopped at {rows[0].beat_at.isoformat()}"
