"""models.store on both engines: every field round-trips, and what each command returns is what
a fresh read finds, after every action of the workflow table."""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from models import store
from models.clock import FixedClock
from models.db import write_session
from models.enums import (
    Action,
    CountingMode,
    DeadlineKind,
    DeadlineStatus,
    PlanKind,
    PlanState,
    TriggerKind,
)
from models.store import NEW, ClockRow, Codec, PlanRow, PlanWithClocks
from tests.factories import Office, make_office
from tests.helpers import actor_for_rule, inputs_for, new_plan, path_to, tick
from workflow import uow
from workflow.commands import Context, create_plan, extend_deadline, perform
from workflow.policy import WorkflowPolicy
from workflow.table import RULES, Rule, rules_for

AT = datetime(2018, 9, 21, 5, 6, 7, 123456, tzinfo=UTC)


def _plan(office: Office) -> PlanWithClocks:
    return PlanWithClocks(
        id=NEW,
        organization_id=office.organization_id,
        fiscal_year_be=2562,
        kind=PlanKind.SUPPLEMENTARY,
        number=3,
        title="แผนการดำเนินงานเพิ่มเติม ครั้งที่ 3/2562",
        state=PlanState.POSTED,
        version=4,
        head_hash="ab" * 32,
        trigger_kind=TriggerKind.ACCUMULATED_FUNDS,
        trigger_on=date(2018, 9, 20),
        trigger_note="จ่ายขาดเงินสะสม",
        budget_baht=Decimal("1250000.75"),
        amends_plan_id=None,
        superseded_by_plan_id=None,
        last_effective_on=date(2018, 10, 26),
        announced_on=date(2018, 10, 19),
        posted_on=date(2018, 10, 26),
        posting_places=("บอร์ดประชาสัมพันธ์ อบต.", "เว็บไซต์ อบต."),
        posting_complete_on=None,
        created_at=AT,
        updated_at=AT.replace(microsecond=1),
    )


def _clock(plan_id: int) -> ClockRow:
    return ClockRow(
        id=NEW,
        plan_id=plan_id,
        report_id=None,
        kind=DeadlineKind.POSTING,
        start_on=date(2018, 10, 19),
        days=15,
        mode=CountingMode.CIVIL,
        conservative=True,
        clause="ข้อ 26 (2)",
        base_due_on=date(2018, 11, 3),
        due_on=date(2018, 11, 5),
        last_working_on=date(2018, 11, 2),
        extended=True,
        status=DeadlineStatus.LATE,
        closed_on=date(2018, 11, 9),
        created_at=AT,
        closed_at=AT.replace(hour=9),
        alert_on=date(2018, 11, 1),
    )


def _fresh(engine: Engine, plan_id: int) -> PlanWithClocks | None:
    with engine.connect() as conn:
        return store.PLANS.read(conn, plan_id)


def test_every_field_of_a_plan_and_its_clock_round_trips(engine: Engine, office: Office) -> None:
    with write_session(engine) as session:
        conn = session.connection()
        plan = store.PLANS.insert(conn, _plan(office))
        clock = store.CLOCK.insert_row(conn, _clock(plan.id))
    assert plan.id != NEW and clock.id != NEW
    assert plan == replace(_plan(office), id=plan.id)
    assert clock == replace(_clock(plan.id), id=clock.id)
    found = _fresh(engine, plan.id)
    assert found == replace(plan, clocks=(clock,))
    assert found is not None and found.created_at.tzinfo is not None
    assert found.budget_baht == Decimal("1250000.75")


def test_an_update_writes_every_field_that_changed(
    engine: Engine, office: Office, clock: FixedClock
) -> None:
    other = make_office(engine, clock, "6660604")
    with write_session(engine) as session:
        plan = store.PLANS.insert(session.connection(), _plan(office))
    changed = replace(
        plan,
        organization_id=other.organization_id,
        fiscal_year_be=2563,
        kind=PlanKind.ANNUAL,
        number=4,
        title="ชื่อใหม่",
        state=PlanState.POSTING_COMPLETE,
        version=5,
        head_hash="cd" * 32,
        trigger_kind=TriggerKind.ANNUAL_BUDGET,
        trigger_on=date(2018, 9, 1),
        trigger_note=None,
        budget_baht=Decimal("0.01"),
        amends_plan_id=plan.id,
        superseded_by_plan_id=plan.id,
        last_effective_on=date(2018, 11, 26),
        announced_on=date(2018, 10, 18),
        posted_on=date(2018, 10, 25),
        posting_places=("ที่ใหม่",),
        posting_complete_on=date(2018, 11, 26),
        created_at=AT.replace(year=2017),
        updated_at=AT.replace(month=11),
    )
    differs = [f.name for f in dataclasses.fields(PlanRow) if f.name != "id"]
    assert [n for n in differs if getattr(plan, n) == getattr(changed, n)] == []  # all move
    with write_session(engine) as session:
        store.PLANS.update(session.connection(), plan, changed)
    assert _fresh(engine, plan.id) == changed


def test_an_update_on_a_moved_version_writes_nothing(engine: Engine, office: Office) -> None:
    with write_session(engine) as session:
        plan = store.PLANS.insert(session.connection(), _plan(office))
    stale = replace(plan, version=plan.version - 1)
    with pytest.raises(RuntimeError), write_session(engine) as session:
        store.PLANS.update(session.connection(), stale, replace(stale, title="x"))
    assert _fresh(engine, plan.id) == plan


def test_a_moved_clock_is_swept_again(engine: Engine, office: Office) -> None:
    with write_session(engine) as session:
        conn = session.connection()
        plan = store.PLANS.insert(conn, _plan(office))
        clock = store.CLOCK.insert_row(conn, _clock(plan.id))
        moved = store.move_clock(conn, clock, replace(clock, due_on=date(2018, 11, 30)))
    assert moved.alert_on == store.SWEEP_NOW  # as the database trigger sets it
    found = _fresh(engine, plan.id)
    assert found is not None and found.clocks == (moved,)


def test_a_codec_refuses_a_row_type_that_misses_a_column() -> None:
    @dataclasses.dataclass(frozen=True)
    class Short:
        id: int

    with pytest.raises(TypeError, match="columns"):
        Codec(store.PLAN, Short)
    with pytest.raises(TypeError):
        Codec(sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer)), PlanRow)


# --- commands return what a fresh read finds -------------------------------------------------

_years = itertools.count()


def _expect_fresh(engine: Engine, returned: PlanWithClocks) -> PlanWithClocks:
    assert isinstance(returned, PlanWithClocks)
    assert returned == _fresh(engine, returned.id)
    return returned


def _create(engine: Engine, ctx: Context, office: Office, kind: PlanKind) -> PlanWithClocks:
    amends = None
    if kind is PlanKind.AMENDMENT:  # a freshly announced supplementary plan to amend
        target = _walk(engine, ctx, office, PlanKind.SUPPLEMENTARY, PlanState.ANNOUNCED)
        amends = target.id
    year = 2562 - next(_years) % 19 if kind is PlanKind.ANNUAL else 2562
    new = new_plan(office, kind, amends=amends, year=year, trigger_on=date(year - 544, 9, 20))
    create = next(r for r in rules_for(kind, ctx.policy) if r.source is None)
    actor = office.by_role(actor_for_rule(office, create))
    plan = uow.run(engine, ctx.clock, lambda s: create_plan(s, ctx, new=new, actor=actor))
    return _expect_fresh(engine, plan)


def _act(
    engine: Engine, ctx: Context, office: Office, plan: PlanWithClocks, rule: Rule
) -> PlanWithClocks:
    tick(ctx.clock, 31 if rule.action is Action.COMPLETE_POSTING else 1)  # type: ignore[arg-type]
    actor = office.by_role(actor_for_rule(office, rule))
    inputs = inputs_for(rule)
    returned = uow.run(
        engine,
        ctx.clock,
        lambda s: perform(
            s,
            ctx,
            plan_id=plan.id,
            action=rule.action,
            actor=actor,
            expected_version=plan.version,
            comment=inputs["comment"],  # type: ignore[arg-type]
            places=inputs["places"],  # type: ignore[arg-type]
        ),
    )
    return _expect_fresh(engine, returned)


def _walk(
    engine: Engine, ctx: Context, office: Office, kind: PlanKind, target: PlanState
) -> PlanWithClocks:
    path = path_to(kind, target, ctx.policy)
    assert path is not None
    plan = _create(engine, ctx, office, kind)
    for rule in path[1:]:
        plan = _act(engine, ctx, office, plan, rule)
    return plan


@pytest.mark.parametrize("committee", [True, False], ids=["committee", "no-committee"])
def test_what_each_action_returns_is_what_a_fresh_read_finds(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office, committee: bool
) -> None:
    ctx = replace(ctx, policy=WorkflowPolicy(amendment_requires_committee=committee))
    kinds = list(PlanKind) if committee else [PlanKind.AMENDMENT]  # the rows that differ
    done = set()
    for kind in kinds:
        for rule in rules_for(kind, ctx.policy):
            if rule.source is None or path_to(kind, rule.source, ctx.policy) is None:
                continue  # creation, or a row this policy never reaches
            plan = _walk(engine, ctx, office, kind, rule.source)
            after = _act(engine, ctx, office, plan, rule)
            assert after.state is rule.dest and after.version == plan.version + 1
            done.add(rule.action)
    if committee:  # the table's rows reach every action but creation (and extensions, below)
        assert done == {r.action for r in RULES if r.source is not None}  # every move of the table


def test_an_extension_returns_what_a_fresh_read_finds(
    engine: Engine, ctx: Context, office: Office
) -> None:
    plan = _create(engine, ctx, office, PlanKind.SUPPLEMENTARY)
    prep = plan.clock(DeadlineKind.PREPARATION)
    assert prep is not None
    for days in (5, 9):
        returned = uow.run(
            engine,
            ctx.clock,
            lambda s, p=plan, d=days: extend_deadline(
                s,
                ctx,
                plan_id=p.id,
                kind=DeadlineKind.PREPARATION,
                actor=office.executive,
                expected_version=p.version,
                new_due_on=prep.due_on + timedelta(days=d),
                reason_text="รอผลการพิจารณา",
            ),
        )
        plan = _expect_fresh(engine, returned)
    extended = plan.clock(DeadlineKind.PREPARATION)
    assert extended is not None and extended.extended and extended.alert_on == store.SWEEP_NOW
