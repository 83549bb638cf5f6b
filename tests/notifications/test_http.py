"""Over HTTP: the caller's in-app alerts with mark-as-read, the admins' outbox, the scheduler
in /healthz and in the app's lifespan."""

from __future__ import annotations

import time
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.app import create_app
from api.scheduler import build_ticks
from api.settings import Settings
from models.alert import SchedulerHeartbeat
from models.clock import FixedClock
from models.db import write_session
from models.enums import Role
from notifications.outbox import DeliveryPolicy, pump
from notifications.senders import build_senders
from tests.api import conftest as api_fixtures
from tests.api.conftest import Team, problem
from tests.notifications.conftest import Hook
from tests.notifications.scenario import walk
from tests.notifications.test_delivery import senders_for
from workflow.calendar import WorkingCalendar
from workflow.commands import Context
from workflow.sweeper import SweepSettings

# The HTTP fixtures of tests/api (the real app, two offices with bearer tokens).
app, client, settings = api_fixtures.app, api_fixtures.client, api_fixtures.settings
home, away = api_fixtures.home, api_fixtures.away


def alerts_for(engine: Engine, ctx: Context, team: Team, last_day: date) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    senders = build_senders(engine, clock)
    walk(
        engine,
        ctx,
        team.office,
        settings=SweepSettings(),
        steps={},
        last_day=last_day,
        every_morning=lambda _d: pump(  # type: ignore[arg-type,return-value]
            engine, clock, senders=senders, policy=DeliveryPolicy(), owner="t"
        ),
    )


def test_my_alerts_and_marking_them_read(
    client: TestClient, engine: Engine, ctx: Context, home: Team, away: Team
) -> None:
    alerts_for(engine, ctx, home, date(2018, 10, 17))  # the 7- and 3-day reminders
    staff = home.headers(Role.STAFF)
    body = client.get("/api/v1/me/alerts", headers=staff).json()
    assert [a["kind"] for a in body["items"]] == ["alert.reminder", "alert.reminder"]
    newest = body["items"][0]
    assert newest["text_th"].startswith("เตือน: จัดทำแผนการดำเนินงานให้แล้วเสร็จ เหลืออีก 3 วัน")
    assert "(ครบกำหนด 20 ต.ค. 2561)" in newest["text_th"]
    assert newest["text_en"].startswith("Reminder: Finish (announce) the plan, 3 day(s) left")
    assert newest["read_at"] is None and "Reminder" not in newest["subject"]  # Thai only
    assert client.get("/api/v1/me/alerts", headers=away.headers(Role.STAFF)).json() == {"items": []}
    # Someone else's alert id is never marked.
    foreign = client.post(
        "/api/v1/me/alerts/read", json={"ids": [newest["id"]]}, headers=away.headers(Role.STAFF)
    )
    assert foreign.json() == {"marked": 0, "unread": 0}
    marked = client.post("/api/v1/me/alerts/read", json={"ids": [newest["id"]]}, headers=staff)
    assert marked.json() == {"marked": 1, "unread": 1}
    unread = client.get("/api/v1/me/alerts?unread=true", headers=staff).json()["items"]
    assert [a["id"] for a in unread] == [body["items"][1]["id"]]
    assert client.post("/api/v1/me/alerts/read", json={}, headers=staff).json() == {
        "marked": 1,
        "unread": 0,
    }
    executive = client.get("/api/v1/me/alerts", headers=home.headers(Role.EXECUTIVE)).json()
    assert len(executive["items"]) == 2 and executive["items"][0]["read_at"] is None
    problem(client.get("/api/v1/me/alerts?limit=0", headers=staff), 422, "validation_error")
    problem(
        client.post("/api/v1/me/alerts/read", json={"x": 1}, headers=staff), 422, "validation_error"
    )


def test_admins_see_failed_deliveries_and_retry_them(
    client: TestClient, engine: Engine, ctx: Context, home: Team, hook: Hook
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    hook.up = False
    walk(engine, ctx, home.office, settings=SweepSettings(), steps={}, last_day=date(2018, 10, 13))
    senders = senders_for(engine, clock, hook, None)
    once = DeliveryPolicy(webhook_url=hook.url, max_attempts=1)
    pump(engine, clock, senders=senders, policy=once, owner="t")  # type: ignore[arg-type]
    admin = home.headers(Role.ADMIN)
    failed = client.get("/api/v1/admin/outbox?status=failed", headers=admin).json()["items"]
    assert [(f["type"], f["channel"], f["attempts"], f["last_error"]) for f in failed] == [
        ("delivery", "webhook", 1, "webhook: HTTP 503")
    ]
    sent = client.get("/api/v1/admin/outbox?status=sent", headers=admin).json()["items"]
    assert {s["channel"] for s in sent} == {"in_app", None}  # deliveries, and the message
    problem(client.get("/api/v1/admin/outbox", headers=home.headers(Role.STAFF)), 403, "forbidden")
    problem(client.get("/api/v1/admin/outbox?status=lost", headers=admin), 422, "validation_error")
    hook.up = True
    retried = client.post(
        "/api/v1/admin/outbox/retry", json={"delivery_ids": [failed[0]["id"]]}, headers=admin
    )
    assert retried.json() == {"queued": 1}
    # The webhook, and the admin's in-app notice of its failure (queued by the first pass).
    assert pump(engine, clock, senders=senders, policy=once, owner="t").sent == 2  # type: ignore[arg-type]
    assert client.get("/api/v1/admin/outbox", headers=admin).json() == {"items": []}
    assert len(hook.accepted) == 1


def test_healthz_shows_the_scheduler_heartbeat(
    client: TestClient,
    engine: Engine,
    settings: Settings,
    clock: FixedClock,
) -> None:
    assert client.get("/healthz").json()["scheduler"] == "not configured"
    gone = clock.now() - timedelta(days=40)  # a process that died long ago
    with write_session(engine) as session:
        session.add(
            SchedulerHeartbeat(
                instance_id="old", hostname="h", pid=1, started_at=gone, beat_at=gone
            )
        )
    assert client.get("/healthz").json()["scheduler"].startswith("stale: last beat at 2018-08")
    ticks = build_ticks(settings, engine, clock=clock)
    ticks.beat()
    assert client.get("/healthz").json()["scheduler"] == "ok: 1 running, last beat 0 s ago"
    with Session(engine) as session:
        assert [b.instance_id for b in session.exec(select(SchedulerHeartbeat))] == [
            ticks.instance_id
        ]
    ticks.beat(stopped=True)
    assert client.get("/healthz").json()["scheduler"].startswith("not running: stopped at")


def test_the_app_runs_the_scheduler_in_its_lifespan_when_asked(
    engine: Engine, db_url: str, clock: FixedClock, calendar: WorkingCalendar
) -> None:
    cfg = Settings(database_url=db_url, heartbeat_interval_seconds=0.2)
    with TestClient(create_app(cfg, engine=engine, clock=clock, calendar=calendar)) as c:
        assert c.get("/healthz").json()["scheduler"] == "not configured"
    app_ = create_app(cfg, engine=engine, clock=clock, calendar=calendar, run_scheduler=True)
    with TestClient(app_) as c:
        assert c.get("/healthz").json()["scheduler"].startswith("ok: 1 running")
        time.sleep(0.3)
    with Session(engine) as session:
        [beat] = session.exec(select(SchedulerHeartbeat)).all()
    assert beat.stopped_at is not None and beat.last_sweep_at is not None
