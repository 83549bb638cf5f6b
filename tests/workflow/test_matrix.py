"""The whole state × action × role matrix, derived from the table, for each kind and policy.

Every allowed move works; every other one is refused with the right error and leaves no trace
but the refused-attempt record.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from models.audit import RefusedAttempt, TransitionRecord
from models.clock import FixedClock
from models.enums import Action, PlanKind, PlanState, Role
from models.outbox import OutboxMessage
from tests.factories import Office, attempt, make_office
from tests.helpers import PLACES, REASON, path_to, reload, tick, walk
from workflow.actors import SYSTEM
from workflow.calendar import WorkingCalendar
from workflow.commands import Context
from workflow.policy import WorkflowPolicy
from workflow.table import RULES, Rule

POLICIES = {"default": WorkflowPolicy(),
            "committee": WorkflowPolicy(amendment_requires_committee=True)}  # fmt: skip
# Every action of a plan row (a report's own: tests/workflow/test_report_matrix.py).
MOVES = [a for a in Action if a not in (Action.CREATE, Action.EXTEND_DEADLINE, Action.CORRECT)
         and any(r.action is a for r in RULES)]
ROLES = [Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN, Role.SYSTEM]
CASES = [
    (kind, name, state)
    for kind in PlanKind
    for name, policy in POLICIES.items()
    for state in PlanState
    if path_to(kind, state, policy) is not None
    and not (kind is not PlanKind.AMENDMENT and name == "committee")  # policy is amendment-only
]


# What a move answers, from three facts about the table's rows for the plan's kind and policy:
# is there a row for (this state, this action, this role)? for (this state, this action), by
# any role? for (this action, this role), from any state? Written out as the regulation reads,
# not derived from the order of the command's checks.
OUTCOMES = {
    # row here for me, row here, row for me elsewhere: outcome
    (True, True, True): "ok",
    (False, True, True): "forbidden",  # the move exists here, but for another role
    (False, True, False): "forbidden",
    (False, False, True): "invalid_transition",  # my action, but not from this state
    (False, False, False): "forbidden",  # my role never takes this action
}


def rows(kind: PlanKind, policy: WorkflowPolicy, action: Action) -> list[Rule]:
    return [rule for rule in RULES if rule.action is action and rule.applies(kind, policy)]


def expected(kind: PlanKind, state: PlanState, action: Action, role: Role,
             policy: WorkflowPolicy) -> str:  # fmt: skip
    """What the table says should happen: 'ok' or the error code."""
    if role is Role.ADMIN:
        return "not_found"  # admins manage users and holidays; plans are not theirs to see
    of_action = rows(kind, policy, action)
    here = [rule for rule in of_action if rule.source is state]
    facts = (
        any(role in rule.roles for rule in here),
        bool(here),
        any(role in rule.roles for rule in of_action),
    )
    return OUTCOMES[facts]


def destination(kind: PlanKind, state: PlanState, action: Action,
                policy: WorkflowPolicy) -> PlanState:  # fmt: skip
    """The state the table's one row for this move leads to."""
    (rule,) = [rule for rule in rows(kind, policy, action) if rule.source is state]
    return rule.dest


def counts(engine: Engine, plan_id: int) -> tuple[int, int, int]:
    with Session(engine) as s:
        records = s.exec(select(func.count()).where(TransitionRecord.plan_id == plan_id)).one()
        refused = s.exec(select(func.count()).where(RefusedAttempt.plan_id == plan_id)).one()
        outbox = s.exec(select(func.count()).select_from(OutboxMessage)).one()
    return records, refused, outbox


@pytest.mark.parametrize(("kind", "policy_name", "state"), CASES,
                         ids=[f"{k.value}-{p}-{s.value}" for k, p, s in CASES])  # fmt: skip
def test_matrix(engine: Engine, clock: FixedClock, calendar: WorkingCalendar, office: Office,
                kind: PlanKind, policy_name: str, state: PlanState) -> None:  # fmt: skip
    policy = POLICIES[policy_name]
    ctx = Context(policy=policy, clock=clock, calendar=calendar)
    plan = walk(engine, ctx, office, kind, state)
    assert plan.state is state
    tick(clock, 31)  # far enough for every date guard (minimum posting period included)
    assert plan.id is not None
    seen = 0
    for action in MOVES:
        for role in ROLES:
            actor = SYSTEM if role is Role.SYSTEM else office.by_role(role)
            want = expected(kind, state, action, role, policy)
            if want == "ok":
                fresh = walk(engine, ctx, office, kind, state)
                tick(clock, 31)
                assert fresh.id is not None
                got = attempt(engine, ctx, fresh, action, actor, comment=REASON, places=PLACES)
                after = reload(engine, fresh.id)
                dest = destination(kind, state, action, policy)
                assert (got, after.state, after.version) == ("ok", dest, fresh.version + 1)
            else:
                before = counts(engine, plan.id)
                got = attempt(engine, ctx, plan, action, actor, comment=REASON, places=PLACES)
                assert got == want, (action, role)
                records, refused, outbox = counts(engine, plan.id)
                assert (records, outbox) == (before[0], before[2])  # no trace in the history
                # the refusal is stored, but not on a plan the actor may not see (the API
                # counts those against the caller, api/throttling.py)
                assert refused == before[1] + (0 if want == "not_found" else 1)
                assert reload(engine, plan.id).state is state
            seen += 1
    assert seen == len(MOVES) * len(ROLES)


def test_matrix_covers_every_row() -> None:
    """Every non-create row of the table is exercised as an 'ok' case somewhere above."""
    covered = {
        (rule.action, rule.source, rule.dest)
        for kind, name, state in CASES
        for rule in RULES
        if rule.source is state and rule.applies(kind, POLICIES[name])
    }
    rows = {(r.action, r.source, r.dest) for r in RULES if r.source is not None}
    assert covered == rows


def test_foreign_organization_sees_nothing(engine: Engine, clock: FixedClock, ctx: Context,
                                           office: Office) -> None:  # fmt: skip
    other = make_office(engine, clock, "6660604", province="นครสวรรค์")
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.DRAFT)
    assert plan.id is not None
    for role in (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR):
        actor = other.by_role(role)
        code = attempt(engine, ctx, plan, Action.SUBMIT, actor, comment=REASON, places=PLACES)
        assert code == "not_found"
    assert counts(engine, plan.id)[1] == 0  # and writes nothing into the plan's trail
