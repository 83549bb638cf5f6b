"""Corrections end to end on both engines (docs/domain.md "Corrections"): a record of its own,
the plan's column and the clocks moved in its transaction, nothing erased, verify clean."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from models.audit import RefusedAttempt, TransitionRecord
from models.clock import FixedClock, bangkok_noon
from models.correction import RecordCorrection
from models.deadline import Deadline
from models.enums import Action, DeadlineKind, DeadlineStatus, PlanKind
from models.outbox import OutboxMessage
from models.plan import Plan
from tests.factories import Office, correct, create, new_annual, perform_action
from tests.helpers import PLACES, new_plan, reload
from workflow.audit import verify
from workflow.commands import Context
from workflow.errors import DomainError


def posted(engine: Engine, ctx: Context, clock: FixedClock, office: Office) -> Plan:
    """The FY 2562 plan announced Fri 19 Oct 2018 and posted, wrongly, on Fri 9 Nov 2018
    (the notice went up on Fri 26 Oct); today is Mon 12 Nov 2018."""
    clock.set(bangkok_noon(date(2018, 9, 21)))
    plan = create(engine, ctx, new_annual(office), office.staff)
    clock.set(bangkok_noon(date(2018, 11, 12)))
    for action, actor, on in (
        (Action.SUBMIT, office.staff, date(2018, 10, 1)),
        (Action.APPROVE, office.committee, date(2018, 10, 16)),
        (Action.ANNOUNCE, office.executive, date(2018, 10, 19)),
    ):
        plan = perform_action(engine, ctx, plan, action, actor, effective_on=on)
    perform_action(
        engine, ctx, plan, Action.POST, office.staff, effective_on=date(2018, 11, 9), places=PLACES
    )
    return reload(engine, plan.id or 0)


def clocks(engine: Engine, plan_id: int) -> dict[DeadlineKind, Deadline]:
    with Session(engine) as s:
        rows = s.exec(select(Deadline).where(Deadline.plan_id == plan_id)).all()
        return {DeadlineKind(d.kind): d for d in rows}


def test_a_wrong_posting_date_is_corrected_by_a_record_of_its_own(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    plan = posted(engine, ctx, clock, office)
    before = clocks(engine, plan.id or 0)
    assert before[DeadlineKind.POSTING].status is DeadlineStatus.LATE  # 9 Nov > due 3 Nov
    assert before[DeadlineKind.MINIMUM_POSTING].due_on == date(2018, 12, 10)
    correct(
        engine, ctx, plan.id or 0, office.staff, seq=5, field="effective_on", value="26/10/2561"
    )
    after = clocks(engine, plan.id or 0)
    assert after[DeadlineKind.POSTING].status is DeadlineStatus.MET
    assert after[DeadlineKind.POSTING].closed_on == date(2018, 10, 26)
    minimum = after[DeadlineKind.MINIMUM_POSTING]
    assert (minimum.start_on, minimum.due_on) == (date(2018, 10, 26), date(2018, 11, 26))
    stored = reload(engine, plan.id or 0)
    assert (stored.posted_on, stored.last_effective_on) == (date(2018, 10, 26),) * 2
    assert stored.state == plan.state and stored.version == plan.version + 1
    with Session(engine) as s:
        records = s.exec(
            select(TransitionRecord)
            .where(TransitionRecord.plan_id == plan.id)
            .order_by(TransitionRecord.seq)
        ).all()
        (row,) = s.exec(select(RecordCorrection)).all()
        told = s.exec(select(OutboxMessage).where(OutboxMessage.kind == "transition.correct"))
        assert len(told.all()) == 1
    assert records[4].effective_on == date(2018, 11, 9)  # the original stays as it was
    last = records[-1]
    assert (last.action, last.comment) == ("correct", "บันทึกผิดจากเอกสารจริง")
    assert last.details["before"] == "2018-11-09" and last.details["after"] == "2018-10-26"
    assert (row.before, row.after, row.corrects_record_id) == (
        "2018-11-09",
        "2018-10-26",
        records[4].id,
    )
    with Session(engine) as s:
        report = verify(s, calendar=ctx.calendar)
    assert report.intact, [b.as_dict() for b in report.breaks]


def test_places_comment_and_trigger_are_corrected_and_verify_replays_them(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    clock.set(bangkok_noon(date(2018, 9, 25)))
    new = new_plan(office, PlanKind.SUPPLEMENTARY, trigger_on=date(2018, 9, 20))
    plan = create(engine, ctx, new, office.staff)
    correct(
        engine, ctx, plan.id or 0, office.staff, seq=1, field="trigger_on", value=date(2018, 9, 18)
    )
    prep = clocks(engine, plan.id or 0)[DeadlineKind.PREPARATION]
    assert (prep.start_on, prep.due_on) == (date(2018, 9, 18), date(2018, 10, 18))
    assert reload(engine, plan.id or 0).trigger_on == date(2018, 9, 18)
    perform_action(engine, ctx, plan.id or 0, Action.SUBMIT, office.staff, comment="ส่ง")
    correct(
        engine,
        ctx,
        plan.id or 0,
        office.executive,
        seq=3,
        field="comment",
        value="เสนอร่างแผนต่อคณะกรรมการ",
    )
    with Session(engine) as s:
        report = verify(s, calendar=ctx.calendar)
    assert report.intact, [b.as_dict() for b in report.breaks]
    posted_plan = posted(engine, ctx, clock, office)
    correct(
        engine,
        ctx,
        posted_plan.id or 0,
        office.executive,
        seq=5,
        field="places",
        value=["บอร์ดหน้าที่ทำการ อบต."],
    )
    assert reload(engine, posted_plan.id or 0).posting_places == ["บอร์ดหน้าที่ทำการ อบต."]
    with Session(engine) as s:
        report = verify(s, calendar=ctx.calendar)
    assert report.intact, [b.as_dict() for b in report.breaks]


@pytest.mark.parametrize(
    ("seq", "field", "value", "who", "code"),
    [
        (5, "effective_on", "26/10/2561", "committee", "forbidden"),  # not the role that acted
        (5, "effective_on", "26/10/2561", "auditor", "forbidden"),
        (4, "effective_on", "18/10/2561", "staff", "forbidden"),  # announcing is the executive's
        (5, "effective_on", "20/11/2561", "staff", "guard_refused"),  # in the future
        (5, "effective_on", "18/10/2561", "staff", "guard_refused"),  # before the announcement
        (5, "effective_on", "09/11/2561", "staff", "guard_refused"),  # unchanged
        (4, "effective_on", "18/10/2561", "executive", "guard_refused"),  # posting has closed
        (5, "places", [], "staff", "guard_refused"),  # a posting needs its places
        (2, "effective_on", "02/10/2561", "staff", "guard_refused"),  # not in the table
        (99, "comment", "x", "staff", "guard_refused"),  # no such record
        (5, "effective_on", "26/10/2018", "staff", "validation_error"),  # a CE year
        (5, "colour", "red", "staff", "validation_error"),
    ],
)
def test_a_correction_the_table_or_the_guards_refuse_leaves_only_the_refusal(
    engine: Engine,
    ctx: Context,
    clock: FixedClock,
    office: Office,
    seq: int,
    field: str,
    value: object,
    who: str,
    code: str,
) -> None:
    plan = posted(engine, ctx, clock, office)
    actor = getattr(office, who)
    with pytest.raises(DomainError) as caught:
        correct(engine, ctx, plan.id or 0, actor, seq=seq, field=field, value=value)
    assert caught.value.code == code
    assert reload(engine, plan.id or 0).version == plan.version
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(RecordCorrection)).one() == 0
        refusals = s.exec(select(RefusedAttempt).where(RefusedAttempt.action == "correct"))
        assert len(refusals.all()) == (0 if code == "validation_error" else 1)


def breaks(engine: Engine, ctx: Context) -> set[tuple[str, str, str | None]]:
    with Session(engine) as s:
        return {(b.problem, b.table, b.field) for b in verify(s, calendar=ctx.calendar).breaks}


@pytest.mark.parametrize(
    ("sql", "tables", "finding"),
    [
        (  # the correction's value changed in its row: the record in the chain says otherwise
            "UPDATE record_correction SET after = '\"2018-10-25\"'",
            ("record_correction",),
            ("field_mismatch", "record_correction", "after"),
        ),
        (  # its reason rewritten
            "UPDATE record_correction SET reason = 'x'",
            ("record_correction",),
            ("field_mismatch", "record_correction", "reason"),
        ),
        (  # the row deleted: the chain's correction has none
            "DELETE FROM record_correction",
            ("record_correction",),
            ("row_missing", "record_correction", None),
        ),
        (  # the plan's date put back to the wrong one: the correction in force says otherwise
            "UPDATE plan SET posted_on = '2018-11-09'",
            (),
            ("field_mismatch", "plan", "posted_on"),
        ),
        (  # the clock moved back to the wrong start
            "UPDATE deadline SET start_on = '2018-11-09' WHERE kind = 'minimum_posting'",
            (),
            ("field_mismatch", "deadline", "start_on"),
        ),
        (  # the correction's record rewritten: its hash no longer holds
            "UPDATE transition_record SET comment = 'x' WHERE action = 'correct'",
            ("transition_record",),
            ("hash_mismatch", "transition_record", None),
        ),
    ],
)
def test_tampering_with_a_correction_is_found(
    engine: Engine,
    ctx: Context,
    clock: FixedClock,
    office: Office,
    sql: str,
    tables: tuple[str, ...],
    finding: tuple[str, str, str | None],
) -> None:
    from tests.workflow.verify_world import tamper

    plan = posted(engine, ctx, clock, office)
    correct(
        engine, ctx, plan.id or 0, office.staff, seq=5, field="effective_on", value="26/10/2561"
    )
    assert breaks(engine, ctx) == set()
    tamper(engine, sql, tables=tables)
    assert finding in breaks(engine, ctx)
