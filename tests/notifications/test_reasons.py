"""A return for revision reaches the clerk with the committee's reason and the plan's title, in
the clerk's language, through the real workflow and outbox."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from models.alert import InAppAlert
from models.clock import FixedClock, bangkok_noon
from models.db import write_session
from models.enums import Action
from models.plan import Plan
from notifications.contacts import set_language
from notifications.outbox import DeliveryPolicy, pump
from notifications.senders import build_senders
from tests.factories import Office, perform_action
from tests.notifications.scenario import create_annual
from workflow.commands import Context

REASON = "งบประมาณโครงการที่ 3 ไม่ตรงกับเทศบัญญัติ"


def test_a_return_carries_the_reason_and_the_title(
    engine: Engine, ctx: Context, office: Office
) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    clock.set(bangkok_noon(date(2018, 10, 1)))
    plan_id = create_annual(engine, ctx, office)
    perform_action(engine, ctx, plan_id, Action.SUBMIT, office.staff)
    perform_action(
        engine, ctx, plan_id, Action.RETURN_FOR_REVISION, office.committee, comment=REASON
    )
    with write_session(engine) as session:
        set_language(session, username=office.executive.username, language="en")
    pump(engine, clock, senders=build_senders(engine, clock), policy=DeliveryPolicy(), owner="t")
    with Session(engine) as session:
        title = session.exec(select(Plan.title).where(Plan.id == plan_id)).one()
        told = session.exec(
            select(InAppAlert).where(InAppAlert.kind == "transition.return_for_revision")
        ).all()
    assert told
    for alert in told:
        assert f"«{title}»" in alert.subject and "แผน #" not in alert.subject
        assert f"เหตุผล: {REASON}" in alert.text_th and f"Reason: {REASON}" in alert.text_en
    subjects = {a.subject.split(":")[0] for a in told}
    assert "ส่งกลับให้แก้ไข" in subjects  # Thai readers
