"""Every correction row of the workflow table × every role (docs/domain.md "Corrections"):
the roles the row names correct, every other role is refused and leaves only the refusal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.audit import TransitionRecord
from models.enums import Action, PlanKind, PlanState, Role
from models.plan import Plan
from tests.factories import Office, correct, extend, perform_action
from tests.helpers import REASON, reload, walk
from workflow.actors import SYSTEM
from workflow.commands import Context
from workflow.errors import DomainError
from workflow.table_corrections import CORRECTIONS, Correction

ROLES = [Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN, Role.SYSTEM]
# The state a plan is walked to so that it holds a record of the action, then what is done
# on top (a return, a send-back, a withdrawal or an extension records its reason).
SETUP: dict[Action, tuple[PlanState, Action | None]] = {
    Action.CREATE: (PlanState.DRAFT, None),
    Action.SUBMIT: (PlanState.COMMITTEE_REVIEW, None),
    Action.RETURN_FOR_REVISION: (PlanState.COMMITTEE_REVIEW, Action.RETURN_FOR_REVISION),
    Action.APPROVE: (PlanState.AWAITING_ANNOUNCEMENT, None),
    Action.SEND_BACK: (PlanState.AWAITING_ANNOUNCEMENT, Action.SEND_BACK),
    Action.ANNOUNCE: (PlanState.ANNOUNCED, None),
    Action.POST: (PlanState.POSTED, None),
    Action.COMPLETE_POSTING: (PlanState.POSTING_COMPLETE, None),
    Action.WITHDRAW: (PlanState.DRAFT, Action.WITHDRAW),
    Action.EXTEND_DEADLINE: (PlanState.DRAFT, Action.EXTEND_DEADLINE),
}


def expected(row: Correction, role: Role) -> str:
    """What the table says a correction by `role` answers."""
    if role is Role.ADMIN:
        return "not_found"  # admins manage users and holidays; plans are not theirs to see
    return "ok" if role in row.roles else "forbidden"


def plan_with(engine: Engine, ctx: Context, office: Office, action: Action) -> Plan:
    state, then = SETUP[action]
    plan = walk(engine, ctx, office, PlanKind.SUPPLEMENTARY, state)
    if then is Action.EXTEND_DEADLINE:
        extend(engine, ctx, plan, office.executive, new_due_on=date(2018, 12, 1))
    elif then is not None:
        who = office.committee if then is Action.RETURN_FOR_REVISION else office.executive
        perform_action(engine, ctx, plan, then, who, comment=REASON)
    return reload(engine, plan.id or 0)


def values(row: Correction, record: TransitionRecord, role: Role) -> object:
    """A value that differs from the one in force for each role in turn."""
    if row.field == "comment":
        return f"แก้ไขโดย {role.value}"
    if row.field == "places":
        return [f"บอร์ด {role.value}"]
    on = record.effective_on
    if row.field == "trigger_on":
        on = date.fromisoformat(record.details["trigger"]["on"])
    return on - timedelta(days=1) if role is Role.STAFF or row.roles == {Role.EXECUTIVE} else on


@pytest.mark.parametrize("row", CORRECTIONS, ids=lambda r: f"{r.action.value}-{r.field}")
def test_each_role_may_correct_what_the_table_says(
    engine: Engine, ctx: Context, office: Office, row: Correction
) -> None:
    plan = plan_with(engine, ctx, office, row.action)
    with Session(engine) as s:
        query = select(TransitionRecord).where(
            TransitionRecord.plan_id == plan.id, TransitionRecord.action == row.action.value
        )
        record = s.exec(query).first()
    assert record is not None
    outcomes = {}
    for role in sorted(ROLES, key=lambda r: expected(row, r) == "ok"):  # refusals first
        actor = SYSTEM if role is Role.SYSTEM else office.by_role(role)
        value = values(row, record, role)
        try:
            correct(engine, ctx, plan.id or 0, actor, seq=record.seq, field=row.field, value=value)
            outcomes[role] = "ok"
        except DomainError as error:
            outcomes[role] = error.code
    assert outcomes == {role: expected(row, role) for role in ROLES}
    corrections = sum(1 for role in ROLES if expected(row, role) == "ok")
    assert reload(engine, plan.id or 0).version == plan.version + corrections
