"""Commands end to end on a real SQLite file: clocks, guards, numbering, amendments, atomicity."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from models.audit import RefusedAttempt, TransitionRecord
from models.clock import FixedClock, bangkok_noon
from models.deadline import Deadline, DeadlineExtension
from models.enums import (
    Action,
    CountingMode,
    DeadlineKind,
    DeadlineStatus,
    PlanKind,
    PlanState,
    Role,
    TriggerKind,
)
from models.outbox import OutboxMessage
from models.plan import Plan
from tests.factories import Office, extend, make_office, new_annual, perform_action
from tests.helpers import PLACES, REASON, new_plan, reload, walk
from workflow import command_base, queries, uow
from workflow.audit import verify
from workflow.commands import Context, NewPlan, create_plan, extend_deadline, perform
from workflow.errors import DomainError
from workflow.policy import WorkflowPolicy


def run_action(
    engine: Engine,
    ctx: Context,
    plan: Plan,
    action: Action,
    actor: object,
    on: date | None = None,
    **kw: object,
) -> Plan:
    return perform_action(engine, ctx, plan, action, actor, effective_on=on, **kw)  # type: ignore[arg-type]


def refused(
    engine: Engine,
    ctx: Context,
    plan: Plan,
    action: Action,
    actor: object,
    on: date | None = None,
    **kw: object,
) -> DomainError:
    with pytest.raises(DomainError) as caught:
        run_action(engine, ctx, plan, action, actor, on, **kw)
    return caught.value


def deadlines_of(engine: Engine, plan_id: int) -> dict[DeadlineKind, Deadline]:
    with Session(engine) as s:
        return {DeadlineKind(d.kind): d for d in queries.list_deadlines(s, plan_id)}


def to_day(clock: FixedClock, day: date) -> None:
    clock.set(bangkok_noon(day))


def annual_plan(engine: Engine, ctx: Context, office: Office) -> Plan:
    return uow.run(
        engine, ctx.clock, lambda s: create_plan(s, ctx, new=new_annual(office), actor=office.staff)
    )


def test_full_lifecycle_keeps_the_three_clocks(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    plan = annual_plan(engine, ctx, office)
    prep = deadlines_of(engine, plan.id or 0)[DeadlineKind.PREPARATION]
    assert (prep.start_on, prep.due_on, prep.last_working_on) == (
        date(2018, 9, 20),
        date(2018, 10, 20),
        date(2018, 10, 19),
    )
    assert (prep.clause, prep.mode, prep.status) == (
        "ข้อ 27",
        CountingMode.STRICT,
        DeadlineStatus.OPEN,
    )
    to_day(clock, date(2018, 10, 26))
    plan = run_action(engine, ctx, plan, Action.SUBMIT, office.staff, date(2018, 10, 1))
    plan = run_action(engine, ctx, plan, Action.APPROVE, office.committee, date(2018, 10, 16))
    plan = run_action(engine, ctx, plan, Action.ANNOUNCE, office.executive, date(2018, 10, 19))
    found = deadlines_of(engine, plan.id or 0)
    assert found[DeadlineKind.PREPARATION].status is DeadlineStatus.MET
    assert found[DeadlineKind.POSTING].due_on == date(2018, 11, 3)
    plan = run_action(
        engine, ctx, plan, Action.POST, office.staff, date(2018, 10, 26), places=PLACES
    )
    found = deadlines_of(engine, plan.id or 0)
    assert found[DeadlineKind.POSTING].status is DeadlineStatus.MET
    minimum = found[DeadlineKind.MINIMUM_POSTING]
    assert (minimum.base_due_on, minimum.due_on) == (date(2018, 11, 25), date(2018, 11, 26))
    to_day(clock, date(2018, 11, 26))
    early = refused(engine, ctx, plan, Action.COMPLETE_POSTING, office.staff, date(2018, 11, 25))
    assert [r.code for r in early.reasons] == ["minimum_posting_not_satisfied"]
    plan = run_action(engine, ctx, plan, Action.COMPLETE_POSTING, office.staff)
    assert plan.state is PlanState.POSTING_COMPLETE
    assert plan.posting_complete_on == date(2018, 11, 26)
    assert all(d.status is DeadlineStatus.MET for d in deadlines_of(engine, plan.id or 0).values())
    with Session(engine) as s:
        history = queries.list_history(s, plan.id or 0)
        assert [r.action for r in history] == [
            "create",
            "submit",
            "approve",
            "announce",
            "post",
            "complete_posting",
        ]
        assert history[4].details["places"] == list(PLACES)
        assert verify(s).intact


def test_late_posting_is_allowed_recorded_and_flagged(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    due = deadlines_of(engine, plan.id or 0)[DeadlineKind.POSTING].due_on
    to_day(clock, due + timedelta(days=3))
    plan = run_action(engine, ctx, plan, Action.POST, office.staff, places=PLACES)
    assert deadlines_of(engine, plan.id or 0)[DeadlineKind.POSTING].status is DeadlineStatus.LATE
    with Session(engine) as s:
        record = queries.list_history(s, plan.id or 0)[-1]
        assert record.details["late"] == ["posting"]
        message = s.exec(
            select(OutboxMessage)
            .where(OutboxMessage.plan_id == plan.id)
            .order_by(col(OutboxMessage.id).desc())
        ).first()
        assert message is not None and message.kind == "transition.post"
        assert message.audience == ["executive"]
        assert message.idempotency_key == f"transition:{record.id}"


def test_civil_mode_moves_a_holiday_due_date(
    engine: Engine, clock: FixedClock, calendar: object, office: Office
) -> None:
    ctx = Context(WorkflowPolicy(counting_mode=CountingMode.CIVIL), clock, calendar)  # type: ignore[arg-type]
    plan = annual_plan(engine, ctx, office)
    prep = deadlines_of(engine, plan.id or 0)[DeadlineKind.PREPARATION]
    assert (prep.mode, prep.base_due_on, prep.due_on) == (
        CountingMode.CIVIL,
        date(2018, 10, 20),
        date(2018, 10, 22),
    )


def test_extensions_by_the_executive_only_and_always_later(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    plan = annual_plan(engine, ctx, office)
    to_day(clock, date(2018, 10, 18))

    def extend(actor: object, new_due: date, why: str = "รอผลการประชุมประชาคม") -> object:
        current = reload(engine, plan.id or 0)
        return uow.run(
            engine,
            clock,
            lambda s: extend_deadline(
                s,
                ctx,
                plan_id=plan.id or 0,
                kind=DeadlineKind.PREPARATION,
                actor=actor,  # type: ignore[arg-type]
                expected_version=current.version,
                new_due_on=new_due,
                reason_text=why,
            ),
        )

    for actor, code in ((office.staff, "forbidden"), (office.committee, "forbidden")):
        with pytest.raises(DomainError) as caught:
            extend(actor, date(2018, 11, 5))
        assert caught.value.code == code
    with pytest.raises(DomainError) as caught:
        extend(office.executive, date(2018, 10, 19))
    assert [r.code for r in caught.value.reasons] == ["extension_not_later"]
    with pytest.raises(DomainError) as caught:
        extend(office.executive, date(2018, 11, 5), why=" ")
    assert [r.code for r in caught.value.reasons] == ["reason_required"]
    extend(office.executive, date(2018, 11, 4))  # a Sunday: advice is Friday 2 Nov
    extend(office.executive, date(2018, 11, 20))
    prep = deadlines_of(engine, plan.id or 0)[DeadlineKind.PREPARATION]
    assert (prep.due_on, prep.extended, prep.last_working_on) == (
        date(2018, 11, 20),
        True,
        date(2018, 11, 20),
    )
    with Session(engine) as s:
        extensions = queries.list_extensions(s, prep.id or 0)
        assert [(e.previous_due_on, e.new_due_on) for e in extensions] == [
            (date(2018, 10, 20), date(2018, 11, 4)),
            (date(2018, 11, 4), date(2018, 11, 20)),
        ]
        history = queries.list_history(s, plan.id or 0)
        assert [r.action for r in history] == ["create", "extend_deadline", "extend_deadline"]
        assert history[1].from_state == history[1].to_state == "draft"
        assert verify(s).intact
    plan = walk_to_announced(
        engine, ctx, clock, office, reload(engine, plan.id or 0), date(2018, 11, 19)
    )
    assert deadlines_of(engine, plan.id or 0)[DeadlineKind.PREPARATION].status is DeadlineStatus.MET
    with pytest.raises(DomainError) as caught:
        extend(office.executive, date(2018, 12, 31))
    assert caught.value.code == "invalid_transition"  # the clock is closed


def walk_to_announced(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office, plan: Plan, on: date
) -> Plan:
    to_day(clock, on)
    plan = run_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    plan = run_action(engine, ctx, plan, Action.APPROVE, office.committee)
    return run_action(engine, ctx, plan, Action.ANNOUNCE, office.executive)


def test_legal_dates_never_in_the_future_nor_before_the_previous_action(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    plan = annual_plan(engine, ctx, office)  # created on 21 Sep 2018
    to_day(clock, date(2018, 10, 1))
    future = refused(engine, ctx, plan, Action.SUBMIT, office.staff, date(2018, 10, 2))
    assert [r.code for r in future.reasons] == ["effective_in_future"]
    before = refused(engine, ctx, plan, Action.SUBMIT, office.staff, date(2018, 9, 20))
    assert [r.code for r in before.reasons] == ["effective_before_previous"]
    same_day = run_action(engine, ctx, plan, Action.SUBMIT, office.staff, date(2018, 9, 21))
    assert same_day.last_effective_on == date(2018, 9, 21)
    reason_missing = refused(engine, ctx, same_day, Action.RETURN_FOR_REVISION, office.committee)
    assert [r.code for r in reason_missing.reasons] == ["reason_required"]


def test_stale_version_is_refused_and_recorded(
    engine: Engine, ctx: Context, office: Office
) -> None:
    plan = annual_plan(engine, ctx, office)
    run_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    error = refused(engine, ctx, plan, Action.WITHDRAW, office.executive, comment=REASON)
    assert error.code == "stale_version"
    with Session(engine) as s:
        attempt = s.exec(select(RefusedAttempt)).one()
        assert (attempt.code, attempt.action, attempt.actor_role) == (
            "stale_version",
            "withdraw",
            Role.EXECUTIVE,
        )
        assert attempt.organization_id == office.organization_id


def test_withdrawal_cancels_open_clocks_and_frees_the_annual_slot(
    engine: Engine, ctx: Context, office: Office
) -> None:
    plan = annual_plan(engine, ctx, office)
    with pytest.raises(DomainError) as caught:
        annual_plan(engine, ctx, office)
    assert [r.code for r in caught.value.reasons] == ["annual_plan_exists"]
    plan = run_action(engine, ctx, plan, Action.WITHDRAW, office.executive, comment=REASON)
    prep = deadlines_of(engine, plan.id or 0)[DeadlineKind.PREPARATION]
    assert (prep.status, prep.closed_on) == (DeadlineStatus.CANCELLED, plan.last_effective_on)
    second = annual_plan(engine, ctx, office)
    assert (second.number, second.fiscal_year_be) == (2, 2562)


def test_supplementary_plans_are_numbered_per_organization_year_and_kind(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    other = make_office(engine, clock, "6660604")
    numbers = []
    for org, trigger in (
        (office, TriggerKind.SUPPLEMENTARY_BUDGET),
        (office, TriggerKind.ACCUMULATED_FUNDS),
        (other, TriggerKind.AGENCY_PROJECTS),
        (office, TriggerKind.AGENCY_PROJECTS),
    ):
        new = NewPlan(
            org.organization_id,
            PlanKind.SUPPLEMENTARY,
            trigger,
            date(2018, 9, 20),
            "แผนเพิ่มเติม",
            fiscal_year_be=2562,
            budget_baht=Decimal("125000.50"),
        )
        plan = uow.run(
            engine, clock, lambda s, n=new, a=org.staff: create_plan(s, ctx, new=n, actor=a)
        )  # type: ignore[misc]
        numbers.append(plan.number)
    assert numbers == [1, 2, 1, 3]
    assert reload(engine, plan.id or 0).budget_baht == Decimal("125000.50")
    wrong = NewPlan(
        office.organization_id,
        PlanKind.SUPPLEMENTARY,
        TriggerKind.ANNUAL_BUDGET,
        date(2018, 9, 20),
        "ผิดประเภท",
        fiscal_year_be=2562,
    )
    with pytest.raises(DomainError) as caught:
        uow.run(engine, clock, lambda s: create_plan(s, ctx, new=wrong, actor=office.staff))
    assert (caught.value.code, caught.value.reasons[0].code) == (
        "guard_refused",  # fields that do not go together: 409, not a one-field rule
        "trigger_kind_invalid",
    )


def test_an_announced_amendment_supersedes_the_plan_it_amends(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    base = walk(engine, ctx, office, PlanKind.SUPPLEMENTARY, PlanState.POSTED)
    new = new_plan(office, PlanKind.AMENDMENT, amends=base.id)
    with pytest.raises(DomainError) as caught:  # staff may not start an amendment
        uow.run(engine, clock, lambda s: create_plan(s, ctx, new=new, actor=office.staff))
    assert caught.value.code == "forbidden"
    amendment = uow.run(
        engine, clock, lambda s: create_plan(s, ctx, new=new, actor=office.executive)
    )
    assert (amendment.fiscal_year_be, amendment.number) == (base.fiscal_year_be, 1)
    assert deadlines_of(engine, amendment.id or 0) == {}  # no preparation clock
    with pytest.raises(DomainError) as caught:
        uow.run(engine, clock, lambda s: create_plan(s, ctx, new=new, actor=office.executive))
    assert caught.value.reasons[0].code == "amendment_in_progress"
    amendment = run_action(engine, ctx, amendment, Action.SUBMIT, office.staff)
    assert amendment.state is PlanState.AWAITING_ANNOUNCEMENT  # no committee by default
    amendment = run_action(engine, ctx, amendment, Action.ANNOUNCE, office.executive)
    assert reload(engine, base.id or 0).superseded_by_plan_id == amendment.id
    with Session(engine) as s:
        assert (
            queries.list_history(s, amendment.id or 0)[-1].details["supersedes_plan_id"] == base.id
        )
    with pytest.raises(DomainError) as caught:
        uow.run(engine, clock, lambda s: create_plan(s, ctx, new=new, actor=office.executive))
    assert caught.value.reasons[0].code == "plan_not_amendable"


def test_refused_create_is_stored_with_its_organization(
    engine: Engine, ctx: Context, office: Office
) -> None:
    with pytest.raises(DomainError):
        uow.run(
            engine,
            ctx.clock,
            lambda s: create_plan(s, ctx, new=new_annual(office), actor=office.committee),
        )
    with Session(engine) as s:
        attempt = s.exec(select(RefusedAttempt)).one()
        assert (attempt.action, attempt.code, attempt.plan_id, attempt.organization_id) == (
            "create",
            "forbidden",
            None,
            office.organization_id,
        )
        assert s.exec(select(func.count()).select_from(Plan)).one() == 0


def test_a_failure_inside_a_command_leaves_nothing_half_written(
    engine: Engine, ctx: Context, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.AWAITING_ANNOUNCEMENT)

    def outbox_down(*_: object, **__: object) -> None:
        raise RuntimeError("outbox write failed")

    monkeypatch.setattr(command_base, "message", outbox_down)
    with pytest.raises(RuntimeError):
        run_action(engine, ctx, plan, Action.ANNOUNCE, office.executive)
    after = reload(engine, plan.id or 0)
    assert (after.state, after.version, after.head_hash) == (
        plan.state,
        plan.version,
        plan.head_hash,
    )
    found = deadlines_of(engine, plan.id or 0)
    assert DeadlineKind.POSTING not in found
    assert found[DeadlineKind.PREPARATION].status is DeadlineStatus.OPEN
    with Session(engine) as s:
        assert s.exec(select(func.count()).where(TransitionRecord.plan_id == plan.id)).one() == 3
        assert s.exec(select(func.count()).select_from(DeadlineExtension)).one() == 0


def test_state_at_any_past_instant(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    created_at = clock.now()
    plan = annual_plan(engine, ctx, office)
    clock.advance(timedelta(hours=5))
    plan = run_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    submitted_at = clock.now()
    with Session(engine) as s:
        assert queries.state_at(s, plan.id or 0, created_at - timedelta(seconds=1)) is None
        assert queries.state_at(s, plan.id or 0, created_at) is PlanState.DRAFT
        assert (
            queries.state_at(s, plan.id or 0, submitted_at - timedelta(microseconds=1))
            is PlanState.DRAFT
        )
        assert queries.state_at(s, plan.id or 0, submitted_at) is PlanState.COMMITTEE_REVIEW


def test_available_actions_follow_the_table_and_the_dates(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    with Session(engine) as s:
        staff = queries.available_actions(s, plan, office.staff, policy=ctx.policy, clock=clock)
        assert [o.action for o in staff] == [Action.COMPLETE_POSTING]
        assert [r.code for r in staff[0].blocked_by] == ["minimum_posting_not_satisfied"]
        assert (
            queries.available_actions(s, plan, office.executive, policy=ctx.policy, clock=clock)
            == []
        )
        clock.advance(timedelta(days=31))
        staff = queries.available_actions(s, plan, office.staff, policy=ctx.policy, clock=clock)
        assert staff[0].blocked_by == ()
    draft = walk(engine, ctx, office, PlanKind.SUPPLEMENTARY, PlanState.AWAITING_ANNOUNCEMENT)
    with Session(engine) as s:
        options = queries.available_actions(
            s, draft, office.executive, policy=ctx.policy, clock=clock
        )
        assert {o.action for o in options} == {Action.SEND_BACK, Action.ANNOUNCE, Action.WITHDRAW}
        assert (
            queries.available_actions(s, draft, office.auditor, policy=ctx.policy, clock=clock)
            == []
        )


def test_compliance_marks_each_clock(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    plan = annual_plan(engine, ctx, office)
    plan = walk_to_announced(engine, ctx, clock, office, plan, date(2018, 10, 25))
    to_day(clock, date(2018, 11, 12))
    with Session(engine) as s:
        (row,) = queries.compliance(s, fiscal_year_be=2562, clock=clock)
    assert (row.mode, row.trigger_on, row.announced_on) == (
        "strict",
        date(2018, 9, 20),
        date(2018, 10, 25),
    )
    assert [(c.kind, c.due_on, c.status) for c in row.clocks] == [
        (DeadlineKind.PREPARATION, date(2018, 10, 20), "late"),
        (DeadlineKind.POSTING, date(2018, 11, 9), "overdue"),
    ]


def test_only_the_preparation_clock_can_be_extended(
    engine: Engine, ctx: Context, office: Office
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    with pytest.raises(DomainError) as caught:
        extend(
            engine,
            ctx,
            plan,
            office.executive,
            kind=DeadlineKind.POSTING,
            new_due_on=date(2019, 1, 31),
            reason="ขอขยาย",
        )
    assert (caught.value.code, caught.value.reasons[0].code) == (
        "validation_error",
        "deadline_not_extendable",
    )


@pytest.mark.parametrize("plan_id", [0, -1, 2**63, 10**30])
def test_impossible_plan_ids_are_simply_not_found(
    engine: Engine, ctx: Context, office: Office, plan_id: int
) -> None:
    with pytest.raises(DomainError) as caught:
        uow.run(
            engine,
            ctx.clock,
            lambda s: perform(
                s,
                ctx,
                plan_id=plan_id,
                action=Action.SUBMIT,
                actor=office.staff,
                expected_version=1,
            ),
        )
    assert caught.value.code == "not_found"
