"""An action through `uow.run_unit` (a `WriteUnit`: no ORM session unless a step asks for one)
does all an action does through `uow.run`, in one transaction: the plan, its hash-chained
record, its clocks and its outbox message, or, refused, nothing but the refused attempt."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from models.audit import RefusedAttempt, TransitionRecord
from models.db import WriteUnit
from models.enums import Action, DeadlineKind, DeadlineStatus, PlanKind, PlanState
from models.outbox import OutboxMessage
from models.store import PlanWithClocks
from tests.factories import Office
from tests.helpers import PLACES, walk
from workflow import uow
from workflow.audit import canonical, verify
from workflow.commands import Context, perform
from workflow.errors import DomainError


def test_an_approve_writes_its_record_and_message_without_a_session(
    engine: Engine, ctx: Context, office: Office
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.COMMITTEE_REVIEW)
    assert plan.id is not None
    units: list[WriteUnit] = []

    def command(unit: WriteUnit) -> PlanWithClocks:
        units.append(unit)
        return perform(
            unit, ctx, plan_id=plan.id or 0, action=Action.APPROVE, actor=office.committee,
            expected_version=plan.version,
        )

    moved = uow.run_unit(engine, ctx.clock, command)
    assert units[0]._session is None  # the whole action ran on the connection alone
    assert (moved.state, moved.version) == (PlanState.AWAITING_ANNOUNCEMENT, plan.version + 1)
    with Session(engine) as s:
        record = s.exec(
            select(TransitionRecord).where(TransitionRecord.plan_id == plan.id)
            .order_by(col(TransitionRecord.seq).desc())
        ).first()
        assert record is not None and record.hash == moved.head_hash
        message = s.exec(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == f"transition:{record.id}")
        ).one()
        # the payload spliced around the details' one encoding is the same JSON value
        assert message.payload == {
            "record_id": record.id, "action": "approve", "details": record.details
        }
        assert [c["kind"] for c in record.details["deadlines"]] == ["preparation"]
        stored = s.connection().execute(
            sa.text("SELECT details FROM transition_record WHERE id = :i"), {"i": record.id}
        ).scalar_one()
        if isinstance(stored, str):  # SQLite: the column holds the very text that was hashed
            assert stored == canonical(record.details)
        else:  # PostgreSQL's driver parses a json column
            assert stored == record.details
        report = verify(s, plan_ids=[plan.id])
    assert report.intact, report.breaks


def test_a_post_through_a_unit_starts_its_clock_and_verifies(
    engine: Engine, ctx: Context, office: Office
) -> None:
    """Posting starts the minimum posting period: the unit makes a session for the calendar
    only when the context has none, and the chain still verifies."""
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    moved = uow.run_unit(
        engine, ctx.clock,
        lambda u: perform(u, ctx, plan_id=plan.id or 0, action=Action.POST,
                          actor=office.staff, expected_version=plan.version, places=PLACES),
    )
    minimum = moved.clock(DeadlineKind.MINIMUM_POSTING)
    assert minimum is not None and minimum.status is DeadlineStatus.OPEN
    assert moved.posting_places == tuple(PLACES)
    with Session(engine) as s:
        assert verify(s, plan_ids=[plan.id or 0]).intact


def test_a_refused_action_in_a_unit_leaves_only_its_refusal(
    engine: Engine, ctx: Context, office: Office
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.COMMITTEE_REVIEW)
    with Session(engine) as s:
        records = s.exec(select(func.count()).select_from(TransitionRecord)).one()
        messages = s.exec(select(func.count()).select_from(OutboxMessage)).one()
    with pytest.raises(DomainError) as caught:
        uow.run_unit(
            engine, ctx.clock,
            lambda u: perform(u, ctx, plan_id=plan.id or 0, action=Action.APPROVE,
                              actor=office.committee, expected_version=plan.version - 1),
        )
    assert caught.value.code == "stale_version"
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(TransitionRecord)).one() == records
        assert s.exec(select(func.count()).select_from(OutboxMessage)).one() == messages
        refusal = s.exec(select(RefusedAttempt).where(RefusedAttempt.plan_id == plan.id)).one()
        assert refusal.code == "stale_version"
        assert refusal.organization_id == office.organization_id
