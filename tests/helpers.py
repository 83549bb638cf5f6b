"""Walking plans through the table in tests: paths are derived from the table, not typed in.

`walk` is the one way to get a plan at a given state."""

from __future__ import annotations

import itertools
from collections import deque
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from models.clock import FixedClock, today_bangkok
from models.enums import Action, PlanKind, PlanState, Role
from models.plan import Plan
from tests.factories import Office, create, new_plan, perform_action
from workflow.commands import Context
from workflow.policy import WorkflowPolicy
from workflow.table import Rule, find_rule, rules_for

_annual_years = itertools.count()
REASON = "ขอให้ปรับปรุงรายละเอียดโครงการ"
PLACES = ("บอร์ดประชาสัมพันธ์ที่ทำการ อบต.", "เว็บไซต์ อบต.")


def path_to(kind: PlanKind, target: PlanState, policy: WorkflowPolicy) -> list[Rule] | None:
    """The shortest sequence of table rows from creation to `target` (None: unreachable)."""
    first = find_rule(kind, None, Action.CREATE, policy)
    assert first is not None
    queue: deque[tuple[PlanState, list[Rule]]] = deque([(first.dest, [first])])
    seen = {first.dest}
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
    if rule.action is Action.COMPLETE_POSTING:
        tick(ctx.clock, 31)  # type: ignore[arg-type]
    actor = office.by_role(actor_for_rule(office, rule))
    return perform_action(engine, ctx, plan, rule.action, actor, **inputs_for(rule))  # type: ignore[arg-type]


def walk(engine: Engine, ctx: Context, office: Office, kind: PlanKind, target: PlanState) -> Plan:
    """A new plan of `kind` walked to `target`, one day per step (an amendment gets a freshly
    announced supplementary plan to amend)."""
    path = path_to(kind, target, ctx.policy)
    assert path is not None, f"{target} is unreachable for {kind}"
    amends = None
    if kind is PlanKind.AMENDMENT:
        amends = walk(engine, ctx, office, PlanKind.SUPPLEMENTARY, PlanState.ANNOUNCED).id
    first, *moves = path
    actor = office.by_role(actor_for_rule(office, first))
    year = 2562
    if kind is PlanKind.ANNUAL:  # one live annual plan per year: go back a year each time
        year = 2562 - next(_annual_years) % 19  # B.E. 2544–2562: legal dates start in 2000
    new = new_plan(office, kind, amends=amends, year=year, trigger_on=date(year - 543 - 1, 9, 20))
    plan = create(engine, ctx, new, actor)
    for rule in moves:
        tick(ctx.clock)  # type: ignore[arg-type]
        plan = act(engine, ctx, office, plan, rule)
    return plan


def reload(engine: Engine, plan_id: int) -> Plan:
    with Session(engine) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        return plan
