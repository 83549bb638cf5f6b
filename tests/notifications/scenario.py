"""A plan walked day by day with an injected clock: the sweep runs every morning, people act
during the day. Shared by the sweep and delivery tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.clock import FixedClock, bangkok_noon
from models.enums import Action, Role
from models.outbox import OutboxMessage
from models.plan import Plan
from tests.factories import Office, new_annual, perform_action
from workflow import uow
from workflow.actors import Actor
from workflow.commands import Context, create_plan
from workflow.sweeper import SweepReport, SweepSettings, sweep

PLACES = ("บอร์ดประชาสัมพันธ์ที่ทำการ อบต.", "เว็บไซต์ อบต.")

# The FY 2562 annual plan: budget announced Thu 20 Sep 2018 (preparation due Sat 20 Oct, act by
# Fri 19 Oct); announced late on Thu 25 Oct (posting due Fri 9 Nov); posted Wed 7 Nov (may come
# down from Sat 8 Dec 2018).
STEPS: dict[date, tuple[Action, Role]] = {
    date(2018, 10, 1): (Action.SUBMIT, Role.STAFF),
    date(2018, 10, 10): (Action.APPROVE, Role.COMMITTEE),
    date(2018, 10, 25): (Action.ANNOUNCE, Role.EXECUTIVE),
    date(2018, 11, 7): (Action.POST, Role.STAFF),
}
FIRST_DAY, LAST_DAY = date(2018, 9, 21), date(2018, 12, 31)


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def act(engine: Engine, ctx: Context, plan_id: int, action: Action, actor: Actor) -> Plan:
    places = PLACES if action is Action.POST else ()
    return perform_action(engine, ctx, plan_id, action, actor, places=places)


def create_annual(engine: Engine, ctx: Context, office: Office) -> int:
    plan = uow.run(
        engine,
        ctx.clock,
        lambda s: create_plan(s, ctx, new=new_annual(office), actor=office.staff),
    )
    assert plan.id is not None
    return plan.id


def walk(
    engine: Engine,
    ctx: Context,
    office: Office,
    *,
    settings: SweepSettings,
    every_morning: Callable[[date], None] | None = None,
    skip: Callable[[date], bool] = lambda _: False,
    steps: dict[date, tuple[Action, Role]] | None = None,
    last_day: date = LAST_DAY,
) -> tuple[int, list[SweepReport]]:
    """Create the plan on FIRST_DAY and live through every day to `last_day`: each morning the
    sweep (unless `skip` says the scheduler is down), then `every_morning`, then the day's step."""
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    clock.set(bangkok_noon(FIRST_DAY))
    plan_id = create_annual(engine, ctx, office)
    reports = []
    for day in days(FIRST_DAY, last_day):
        clock.set(bangkok_noon(day) - timedelta(hours=4))  # 08:00 in Bangkok
        if not skip(day):
            reports.append(sweep(engine, ctx, settings=settings))
            if every_morning is not None:
                every_morning(day)
        step = (steps if steps is not None else STEPS).get(day)
        if step is not None:
            clock.set(bangkok_noon(day))
            act(engine, ctx, plan_id, step[0], office.by_role(step[1]))
    return plan_id, reports


def outbox(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())
