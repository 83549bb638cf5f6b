"""Walking plans through the table in tests: paths are derived from the table, not typed in."""

from __future__ import annotations

import itertools
from collections import deque
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from models.clock import FixedClock, today_bangkok
from models.enums import Action, PlanKind, PlanState, Role, TriggerKind
from models.plan import Plan
from tests.conftest import Office
from workflow import uow
from workflow.commands import Context, NewPlan, create_plan, perform
from workflow.policy import WorkflowPolicy
from workflow.table import Rule, find_rule, rules_for

_annual_years = itertools.count()
REASON = "ขอให้ปรับปรุงรายละเอียดโครงการ"
PLACES = ("บอร์ดประชาสัมพันธ์ที่ทำการ อบต.", "เว็บไซต์ อบต.")


def path_to(kind: PlanKind, target: PlanState, policy: WorkflowPolicy) -> list[Rule] | None:
    """The shortest sequence of table rows from creation to `target` (None: unreachable)."""
    create = find_rule(kind, None, Action.CREATE, policy)
    assert create is not None
    queue: deque[tuple[PlanState, list[Rule]]] = deque([(create.dest, [create])])
    seen = {create.dest}
    while queue:
        state, path = queue.popleft()
        if state is target:
            return path
        for rule in rules_for(kind, policy):
            if rule.source is state and rule.dest not in seen:
                seen.add(rule.dest)
                queue.append((rule.dest, [*path, rule]))
    return None


def actor_for_rule(office: Office, rule: Rule) -> Role:
    for role in (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE):
        if role in rule.roles:
            return role
    raise AssertionError(f"no person may {rule.action}")


def inputs_for(rule: Rule) -> dict[str, object]:
    return {
        "comment": REASON if rule.reason_required else None,
        "places": PLACES if rule.needs_places else (),
    }


def tick(clock: FixedClock, days: int = 1) -> date:
    clock.advance(timedelta(days=days))
    return today_bangkok(clock)


def act(engine: Engine, ctx: Context, office: Office, plan: Plan, rule: Rule) -> Plan:
    """Perform `rule` on `plan` by the right person, today, with the inputs it needs."""
    assert plan.id is not None
    if rule.action is Action.COMPLETE_POSTING:
        tick(ctx.clock, 31)  # type: ignore[arg-type]
    actor = office.by_role(actor_for_rule(office, rule))
    kwargs = inputs_for(rule)
    return uow.run(
        engine,
        ctx.clock,
        lambda s: perform(
            s,
            ctx,
            plan_id=plan.id or 0,
            action=rule.action,
            actor=actor,
            expected_version=plan.version,
            comment=kwargs["comment"],  # type: ignore[arg-type]
            places=kwargs["places"],
        ),
    )  # type: ignore[arg-type]


def new_plan(
    office: Office,
    kind: PlanKind,
    *,
    amends: int | None = None,
    trigger_on: date = date(2018, 9, 20),
    year: int = 2562,
) -> NewPlan:
    trigger = {
        PlanKind.ANNUAL: TriggerKind.ANNUAL_BUDGET,
        PlanKind.SUPPLEMENTARY: TriggerKind.SUPPLEMENTARY_BUDGET,
        PlanKind.AMENDMENT: TriggerKind.AMENDMENT_DECISION,
    }[kind]
    return NewPlan(
        organization_id=office.organization_id,
        kind=kind,
        trigger_kind=trigger,
        trigger_on=trigger_on,
        title=f"แผน {kind.value}",
        fiscal_year_be=year,
        amends_plan_id=amends,
    )


def walk(engine: Engine, ctx: Context, office: Office, kind: PlanKind, target: PlanState) -> Plan:
    """A new plan of `kind` walked to `target`, one day per step (an amendment gets a freshly
    announced supplementary plan to amend)."""
    path = path_to(kind, target, ctx.policy)
    assert path is not None, f"{target} is unreachable for {kind}"
    amends = None
    if kind is PlanKind.AMENDMENT:
        amends = walk(engine, ctx, office, PlanKind.SUPPLEMENTARY, PlanState.ANNOUNCED).id
    create, *moves = path
    actor = office.by_role(actor_for_rule(office, create))
    year = 2562
    if kind is PlanKind.ANNUAL:  # one live annual plan per year: go back a year each time
        year = 2562 - next(_annual_years)
    new = new_plan(office, kind, amends=amends, year=year, trigger_on=date(year - 543 - 1, 9, 20))
    plan = uow.run(engine, ctx.clock, lambda s: create_plan(s, ctx, new=new, actor=actor))
    for rule in moves:
        tick(ctx.clock)  # type: ignore[arg-type]
        plan = act(engine, ctx, office, plan, rule)
    return plan


def reload(engine: Engine, plan_id: int) -> Plan:
    with Session(engine) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        return plan
