"""Calendar changes move open deadlines, never closed ones, and are logged with what moved."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.calendar import CalendarChange
from models.clock import FixedClock, bangkok_noon
from models.enums import Action, CountingMode, DeadlineKind, DeadlineStatus, OverlayKind
from tests.factories import Office, new_annual, perform_action
from tests.helpers import PLACES
from workflow import queries, uow
from workflow.calendar import WorkingCalendar
from workflow.commands import Context, create_plan
from workflow.errors import DomainError
from workflow.overlay import OverlayEntry, change_overlay, load_calendar
from workflow.policy import WorkflowPolicy


@pytest.fixture
def db_ctx(clock: FixedClock) -> Context:
    """The calendar from the database (package seed + overlay), civil counting."""
    return Context(WorkflowPolicy(counting_mode=CountingMode.CIVIL), clock)


def change(engine: Engine, ctx: Context, office: Office, entry: OverlayEntry) -> CalendarChange:
    return uow.run(
        engine,
        ctx.clock,
        lambda s: change_overlay(
            s, entry=entry, actor=office.admin, clock=ctx.clock, policy=ctx.policy
        ),
    )


def due(engine: Engine, plan_id: int, kind: DeadlineKind) -> tuple[date, date, DeadlineStatus]:
    with Session(engine) as s:
        (d,) = [d for d in queries.list_deadlines(s, plan_id) if d.kind is kind]
    return d.due_on, d.last_working_on, DeadlineStatus(d.status)


def test_overlay_change_moves_open_deadlines_only(
    engine: Engine, db_ctx: Context, clock: FixedClock, office: Office
) -> None:
    ctx = db_ctx
    clock.set(bangkok_noon(date(2019, 3, 28)))
    open_plan = uow.run(
        engine,
        clock,
        lambda s: create_plan(
            s,
            ctx,
            new=new_annual(office, trigger_on=date(2019, 3, 28), year=2562),
            actor=office.staff,
        ),
    )
    assert due(engine, open_plan.id or 0, DeadlineKind.PREPARATION)[:2] == (
        date(2019, 4, 29),
        date(2019, 4, 29),
    )
    # A second, closed clock in another plan must not move.
    other = uow.run(
        engine,
        clock,
        lambda s: create_plan(
            s,
            ctx,
            new=new_annual(office, trigger_on=date(2019, 3, 28), year=2563),
            actor=office.staff,
        ),
    )
    other = perform_action(engine, ctx, other, Action.WITHDRAW, office.executive, comment="ยกเลิก")
    closed_before = due(engine, other.id or 0, DeadlineKind.PREPARATION)

    logged = change(
        engine,
        ctx,
        office,
        OverlayEntry(date(2019, 4, 29), OverlayKind.ADD, "วันหยุดพิเศษ (ทดสอบ)", "มติคณะรัฐมนตรี"),
    )
    assert due(engine, open_plan.id or 0, DeadlineKind.PREPARATION) == (
        date(2019, 4, 30),
        date(2019, 4, 30),
        DeadlineStatus.OPEN,
    )
    assert due(engine, other.id or 0, DeadlineKind.PREPARATION) == closed_before
    assert logged.moved == [
        {
            "deadline_id": logged.moved[0]["deadline_id"],
            "plan_id": open_plan.id,
            "kind": "preparation",
            "due_on_before": "2019-04-29",
            "due_on_after": "2019-04-30",
            "last_working_on_before": "2019-04-29",
            "last_working_on_after": "2019-04-30",
        }
    ]

    cleared = change(engine, ctx, office, OverlayEntry(date(2019, 4, 29), None, "", ""))
    assert due(engine, open_plan.id or 0, DeadlineKind.PREPARATION)[0] == date(2019, 4, 29)
    assert cleared.change == "clear" and len(cleared.moved) == 1
    with Session(engine) as s:
        assert [c.change for c in s.exec(select(CalendarChange))] == ["add", "clear"]


def test_extended_deadlines_keep_their_date_but_update_the_advice(
    engine: Engine, db_ctx: Context, clock: FixedClock, office: Office
) -> None:
    from workflow.commands import extend_deadline

    ctx = db_ctx
    plan = uow.run(
        engine, clock, lambda s: create_plan(s, ctx, new=new_annual(office), actor=office.staff)
    )
    uow.run(
        engine,
        clock,
        lambda s: extend_deadline(
            s,
            ctx,
            plan_id=plan.id or 0,
            kind=DeadlineKind.PREPARATION,
            actor=office.executive,
            expected_version=plan.version,
            new_due_on=date(2018, 11, 20),
            reason_text="เหตุจำเป็น",
        ),
    )
    change(engine, ctx, office, OverlayEntry(date(2018, 11, 20), OverlayKind.ADD, "พิเศษ", "ครม."))
    assert due(engine, plan.id or 0, DeadlineKind.PREPARATION)[:2] == (
        date(2018, 11, 20),
        date(2018, 11, 19),
    )


def test_only_admins_change_the_calendar_and_need_a_source(
    engine: Engine, db_ctx: Context, office: Office
) -> None:
    entry = OverlayEntry(date(2019, 4, 12), OverlayKind.ADD, "วันหยุดพิเศษ", "มติ ครม.")
    for actor in (office.staff, office.executive, office.auditor):
        with pytest.raises(DomainError) as caught:
            uow.run(
                engine,
                db_ctx.clock,
                lambda s, a=actor: change_overlay(  # type: ignore[misc]
                    s, entry=entry, actor=a, clock=db_ctx.clock, policy=db_ctx.policy
                ),
            )
        assert caught.value.code == "forbidden"
    with pytest.raises(DomainError) as caught:
        change(engine, db_ctx, office, OverlayEntry(date(2019, 4, 12), OverlayKind.ADD, "x", " "))
    assert caught.value.code == "validation_error"
    with Session(engine) as s:
        assert load_calendar(s).is_working_day(date(2019, 4, 12))


def test_minimum_posting_with_the_conservative_option(
    engine: Engine, clock: FixedClock, office: Office
) -> None:
    from models.enums import PlanKind, PlanState
    from tests.helpers import walk

    ctx = Context(
        WorkflowPolicy(conservative_minimum_posting=True), clock, WorkingCalendar.from_days(())
    )
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    clock.set(bangkok_noon(date(2018, 10, 26)))
    plan = perform_action(engine, ctx, plan, Action.POST, office.staff, places=PLACES)
    # P+30 is Sunday 25 Nov: kept up through Monday 26, removal from Tuesday 27 Nov 2018.
    assert due(engine, plan.id or 0, DeadlineKind.MINIMUM_POSTING)[0] == date(2018, 11, 27)
