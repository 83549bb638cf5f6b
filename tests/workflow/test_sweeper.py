"""The sweep over real deadlines in a real database, with an injected clock: the exact alert
sequence of a plan's life, restarts and downtime, idempotence, automatic completion."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from models.audit import RefusedAttempt, TransitionRecord
from models.clock import BANGKOK, FixedClock
from models.deadline import Deadline
from models.enums import Action, DeadlineKind, DeadlineStatus, PlanState, Role
from models.outbox import OutboxMessage
from models.plan import Plan
from tests.factories import Office, perform_action
from tests.notifications.scenario import STEPS, act, days, outbox, walk
from workflow import uow
from workflow.commands import Context, extend_deadline
from workflow.sweeper import SweepSettings, alert_day, sweep

SETTINGS = SweepSettings()
S, C, E, A = "staff", "committee", "executive", "auditor"

# (legal day the message was written, kind, audience): the whole life of the FY 2562 plan.
EXPECTED = [
    (date(2018, 10, 1), "transition.submit", [C]),
    (date(2018, 10, 10), "transition.approve", [E]),
    (date(2018, 10, 13), "alert.reminder", [S, C, E]),  # 7 days before Sat 20 Oct
    (date(2018, 10, 17), "alert.reminder", [S, C, E]),  # 3 days
    (date(2018, 10, 19), "alert.last_working_day", [S, C, E]),  # Fri 19 Oct: act by today
    (date(2018, 10, 19), "alert.reminder", [S, C, E]),  # 1 day
    (date(2018, 10, 20), "alert.reminder", [S, C, E]),  # due today (a Saturday)
    (date(2018, 10, 21), "alert.overdue", [S, C, E, A]),  # escalated
    (date(2018, 10, 25), "transition.announce", [S]),  # late: posting due Fri 9 Nov
    (date(2018, 11, 2), "alert.reminder", [S]),
    (date(2018, 11, 6), "alert.reminder", [S]),
    (date(2018, 11, 7), "transition.post", [E]),  # may come down from Sat 8 Dec
    (date(2018, 12, 8), "alert.may_come_down", [S]),
    (date(2018, 12, 8), "transition.complete_posting", [S, E]),  # by the scheduler
]


def sequence(engine: Engine) -> list[tuple[date, str, list[str]]]:
    out = []
    for m in outbox(engine):
        on = m.payload.get("emitted_on")
        day = date.fromisoformat(on) if on else _local_day(m)
        out.append((day, m.kind, list(m.audience)))
    return out


def _local_day(message: OutboxMessage) -> date:
    return alert_day(message.created_at, SETTINGS.alert_time)


def test_a_plan_walked_over_weeks_yields_exactly_the_expected_alerts(
    engine: Engine, ctx: Context, office: Office
) -> None:
    plan_id, reports = walk(engine, ctx, office, settings=SETTINGS)
    assert sequence(engine) == EXPECTED
    keys = [m.idempotency_key for m in outbox(engine) if m.kind.startswith("alert.")]
    prep, post, minimum = _deadline_ids(engine, plan_id)
    assert keys == [
        f"alert:{prep}:reminder:2018-10-20/7d",
        f"alert:{prep}:reminder:2018-10-20/3d",
        f"alert:{prep}:last_working_day:2018-10-20/2018-10-19",
        f"alert:{prep}:reminder:2018-10-20/1d",
        f"alert:{prep}:reminder:2018-10-20/0d",
        f"alert:{prep}:overdue:2018-10-20/w0",
        f"alert:{post}:reminder:2018-11-09/7d",
        f"alert:{post}:reminder:2018-11-09/3d",
        f"alert:{minimum}:may_come_down:2018-12-08",
    ]
    with Session(engine) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None and plan.state is PlanState.POSTING_COMPLETE
        assert plan.posting_complete_on == date(2018, 12, 8)
        last = session.exec(
            select(TransitionRecord)
            .where(TransitionRecord.plan_id == plan_id)
            .order_by(col(TransitionRecord.seq).desc())
        ).first()
        assert last is not None and last.action == Action.COMPLETE_POSTING
        assert last.actor_role == Role.SYSTEM and last.actor_username == "system"
        assert last.effective_on == date(2018, 12, 8)
        statuses = {
            d.kind: d.status
            for d in session.exec(select(Deadline).where(Deadline.plan_id == plan_id))
        }
    assert statuses == {
        DeadlineKind.PREPARATION: DeadlineStatus.LATE,
        DeadlineKind.POSTING: DeadlineStatus.MET,
        DeadlineKind.MINIMUM_POSTING: DeadlineStatus.MET,
    }
    completed = [r for r in reports if r.completed]
    assert [(r.day, r.completed) for r in completed] == [(date(2018, 12, 8), [plan_id])]


def test_sweeping_again_changes_nothing(engine: Engine, ctx: Context, office: Office) -> None:
    again: list[int] = []

    def twice(_day: date) -> None:
        before = _snapshot(engine)
        report = sweep(engine, ctx, settings=SETTINGS)
        again.append(report.swept)
        assert report.alerts == [] and report.completed == []
        assert _snapshot(engine) == before

    walk(engine, ctx, office, settings=SETTINGS, every_morning=twice)
    assert sequence(engine) == EXPECTED
    assert set(again) == {0}  # the cursor makes a second sweep of the same day a no-op


def _snapshot(engine: Engine) -> tuple[object, ...]:
    with Session(engine) as session:
        return (
            session.exec(select(func.count()).select_from(OutboxMessage)).one(),
            session.exec(select(func.count()).select_from(TransitionRecord)).one(),
            session.exec(select(func.count()).select_from(RefusedAttempt)).one(),
        )


def test_downtime_across_thresholds_sends_each_missed_series_once(
    engine: Engine, ctx: Context, office: Office
) -> None:
    # Down 12–23 Oct (preparation reminders, the working-day warning and the due date pass),
    # and 1–7 Nov (the posting reminders pass), and 5–10 Dec (the removal date passes).
    def down(day: date) -> bool:
        return (
            date(2018, 10, 12) <= day <= date(2018, 10, 23)
            or date(2018, 11, 1) <= day <= date(2018, 11, 7)
            or date(2018, 12, 5) <= day <= date(2018, 12, 10)
        )

    plan_id, _ = walk(engine, ctx, office, settings=SETTINGS, skip=down)
    assert sequence(engine) == [
        (date(2018, 10, 1), "transition.submit", [C]),
        (date(2018, 10, 10), "transition.approve", [E]),
        (date(2018, 10, 24), "alert.overdue", [S, C, E, A]),  # the latest missed: one alert
        (date(2018, 10, 25), "transition.announce", [S]),
        (date(2018, 11, 7), "transition.post", [E]),  # posted while down: no reminder owed
        (date(2018, 12, 11), "alert.may_come_down", [S]),
        (date(2018, 12, 11), "transition.complete_posting", [S, E]),
    ]
    with Session(engine) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None and plan.posting_complete_on == date(2018, 12, 8)


def test_a_restart_before_the_due_date_sends_the_latest_reminder_with_real_days_left(
    engine: Engine, ctx: Context, office: Office
) -> None:
    def down(day: date) -> bool:
        return date(2018, 11, 1) <= day <= date(2018, 11, 7)

    steps = {d: s for d, s in STEPS.items() if s[0] is not Action.POST}
    walk(
        engine, ctx, office, settings=SETTINGS, skip=down, steps=steps, last_day=date(2018, 11, 20)
    )
    posting = [m for m in outbox(engine) if m.payload.get("deadline_kind") == "posting"]
    assert [
        (m.payload["occurrence"], m.payload["emitted_on"], m.payload["days_left"]) for m in posting
    ] == [
        ("2018-11-09/1d", "2018-11-08", 1),
        ("2018-11-09/0d", "2018-11-09", 0),
        ("2018-11-09/w0", "2018-11-10", -1),
        ("2018-11-09/w1", "2018-11-17", -8),
    ]


def test_without_automatic_completion_the_alert_still_comes(
    engine: Engine, ctx: Context, office: Office
) -> None:
    manual = SweepSettings(auto_complete_posting=False)
    plan_id, _ = walk(engine, ctx, office, settings=manual)
    got = sequence(engine)
    assert got[-1] == (date(2018, 12, 8), "alert.may_come_down", [S])
    assert all(kind != "transition.complete_posting" for _, kind, _ in got)
    [message] = [m for m in outbox(engine) if m.kind == "alert.may_come_down"]
    assert message.payload["auto_complete"] is False
    with Session(engine) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None and plan.state is PlanState.POSTED
    act(engine, ctx, plan_id, Action.COMPLETE_POSTING, office.staff)  # a person completes it


def test_an_extension_restarts_the_reminders_for_the_new_due_date(
    engine: Engine, ctx: Context, office: Office
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)

    def extend(day: date) -> None:
        if day != date(2018, 10, 18):
            return
        with Session(engine) as session:
            plan = session.exec(select(Plan)).one()
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
                new_due_on=date(2018, 11, 5),
                reason_text="รองบประมาณเพิ่มเติม",
            ),
        )
        again = sweep(engine, ctx, settings=SETTINGS)  # the moved due date is swept again
        assert again.swept == 1 and again.alerts == []

    steps = {date(2018, 10, 1): STEPS[date(2018, 10, 1)]}
    walk(
        engine,
        ctx,
        office,
        settings=SETTINGS,
        every_morning=extend,
        steps=steps,
        last_day=date(2018, 11, 6),
    )
    prep = [
        (m.payload["emitted_on"], m.payload["occurrence"])
        for m in outbox(engine)
        if m.payload.get("deadline_kind") == "preparation"
    ]
    assert prep == [
        ("2018-10-13", "2018-10-20/7d"),
        ("2018-10-17", "2018-10-20/3d"),
        ("2018-10-29", "2018-11-05/7d"),
        ("2018-11-02", "2018-11-05/3d"),
        ("2018-11-04", "2018-11-05/1d"),
        ("2018-11-05", "2018-11-05/0d"),
        ("2018-11-06", "2018-11-05/w0"),
    ]
    assert [m.kind for m in outbox(engine)].count("deadline.extended") == 1


def test_a_withdrawn_plan_gets_no_more_alerts(engine: Engine, ctx: Context, office: Office) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)

    def withdraw(day: date) -> None:
        if day == date(2018, 10, 14):
            with Session(engine) as session:
                plan = session.exec(select(Plan)).one()
            perform_action(
                engine, ctx, plan, Action.WITHDRAW, office.executive, comment="ยกเลิกตามมติ"
            )

    walk(engine, ctx, office, settings=SETTINGS, every_morning=withdraw, steps={})
    assert [k for _, k, _ in sequence(engine)] == ["alert.reminder", "transition.withdraw"]


def test_alerts_of_a_day_wait_for_the_alert_time(
    engine: Engine, ctx: Context, office: Office
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    at_seven = SweepSettings(alert_time=time(7, 0))
    walk(engine, ctx, office, settings=at_seven, steps={}, last_day=date(2018, 10, 12))
    assert outbox(engine) == []
    clock.set(datetime(2018, 10, 13, 6, 59, tzinfo=BANGKOK))
    assert sweep(engine, ctx, settings=at_seven).alerts == []  # still the 12th's alerts
    clock.set(datetime(2018, 10, 13, 7, 0, tzinfo=BANGKOK))
    assert len(sweep(engine, ctx, settings=at_seven).alerts) == 1
    assert alert_day(datetime(2018, 10, 13, 0, 30, tzinfo=BANGKOK), time(0, 0)) == date(
        2018, 10, 13
    )


def _deadline_ids(engine: Engine, plan_id: int) -> tuple[int, int, int]:
    with Session(engine) as session:
        rows = {
            d.kind: d.id for d in session.exec(select(Deadline).where(Deadline.plan_id == plan_id))
        }
    return (
        rows[DeadlineKind.PREPARATION] or 0,
        rows[DeadlineKind.POSTING] or 0,
        rows[DeadlineKind.MINIMUM_POSTING] or 0,
    )


def test_days_helper_is_inclusive() -> None:
    assert days(date(2018, 10, 1), date(2018, 10, 3))[-1] == date(2018, 10, 3)
