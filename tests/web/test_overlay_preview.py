"""workflow.overlay.preview_overlay_change: what a holiday change would move, computed without
writing, and equal to what change_overlay then records."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from models.calendar import CalendarChange
from models.clock import FixedClock
from models.deadline import Deadline
from models.enums import CountingMode, DeadlineKind, DeadlineStatus, OverlayKind
from tests.factories import Office, create, new_annual
from workflow import uow
from workflow.calendar import WorkingCalendar
from workflow.commands import Context
from workflow.overlay import OverlayEntry, change_overlay, moves, preview_overlay_change, with_entry
from workflow.policy import WorkflowPolicy

ADD_19_OCT = OverlayEntry(date(2018, 10, 19), OverlayKind.ADD, "วันหยุดพิเศษ", "มติ ครม.")


def preparation(**kw: object) -> Deadline:
    values: dict[str, object] = {
        "id": 1,
        "plan_id": 7,
        "kind": DeadlineKind.PREPARATION,
        "start_on": date(2018, 9, 20),
        "days": 30,
        "mode": CountingMode.STRICT,
        "clause": "ข้อ 27",
        "base_due_on": date(2018, 10, 20),
        "due_on": date(2018, 10, 20),  # a Saturday: strict counting keeps it
        "last_working_on": date(2018, 10, 19),
        "status": DeadlineStatus.OPEN,
        "created_at": datetime(2018, 9, 20, tzinfo=UTC),
        **kw,
    }
    return Deadline(**values)


def test_a_new_day_off_moves_the_last_working_day_of_an_open_deadline() -> None:
    calendar = with_entry(WorkingCalendar.from_days([]), ADD_19_OCT)
    found = moves([preparation()], policy=WorkflowPolicy(), calendar=calendar)
    assert [(m.due_on_after, m.last_working_on_after) for m in found] == [
        (date(2018, 10, 20), date(2018, 10, 18))
    ]


def test_closed_deadlines_and_unaffected_ones_do_not_move() -> None:
    calendar = with_entry(WorkingCalendar.from_days([]), ADD_19_OCT)
    closed = preparation(status=DeadlineStatus.MET)
    civil = preparation(
        mode=CountingMode.CIVIL, due_on=date(2018, 10, 22), last_working_on=date(2018, 10, 22)
    )
    assert moves([closed, civil], policy=WorkflowPolicy(), calendar=calendar) == []


def test_removing_an_overlay_day_returns_to_the_seed() -> None:
    base = with_entry(WorkingCalendar.from_days([]), ADD_19_OCT)
    cleared = with_entry(base, OverlayEntry(date(2018, 10, 19), None, "", ""))
    assert cleared.is_working_day(date(2018, 10, 19))
    removed = with_entry(base, OverlayEntry(date(2018, 10, 19), OverlayKind.REMOVE, "x", "y"))
    assert date(2018, 10, 19) in removed.overlay.removed


def test_the_preview_writes_nothing_and_equals_what_the_change_records(
    engine: Engine, ctx: Context, office: Office, clock: FixedClock
) -> None:
    plan = create(engine, ctx, new_annual(office), office.staff)
    with Session(engine) as session:
        preview = preview_overlay_change(session, entry=ADD_19_OCT, policy=ctx.policy)
        assert session.exec(select(CalendarChange)).first() is None
    assert [m.plan_id for m in preview] == [plan.id]
    change = uow.run(
        engine,
        clock,
        lambda s: change_overlay(
            s, entry=ADD_19_OCT, actor=office.admin, clock=clock, policy=ctx.policy
        ),
    )
    assert [
        (m["deadline_id"], m["due_on_after"], m["last_working_on_after"]) for m in change.moved
    ] == [
        (m.deadline_id, m.due_on_after.isoformat(), m.last_working_on_after.isoformat())
        for m in preview
    ]
