"""A monitoring report's messages and refused actions name the report in a column (migration
0020), on both engines: the commands' messages, the sweep's alerts and the April reminder;
a refused action on a report, and a refused create (no report yet); a report's message links
to /reports/{id}; a refused attempt's leaf leaves out a NULL report id only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.audit import RefusedAttempt
from models.clock import FixedClock, bangkok_noon
from models.enums import Action, ReportRound, Role
from models.organization import Organization
from models.outbox import OutboxMessage
from notifications.addressing import facts_of
from notifications.render import render
from tests.factories import Office
from tests.report_factories import act, attempt, monitoring_member, new_report, reload
from workflow import log, uow
from workflow.commands import Context
from workflow.errors import DomainError
from workflow.report_commands import create_report
from workflow.sweeper import SweepSettings, sweep

BASE = "https://localplan.example"


def _messages(engine: Engine, prefix: str) -> list[OutboxMessage]:
    with Session(engine) as s:
        query = select(OutboxMessage).where(col(OutboxMessage.kind).startswith(prefix))
        return list(s.exec(query.order_by(col(OutboxMessage.id))).all())


def _refused(engine: Engine) -> list[RefusedAttempt]:
    with Session(engine) as s:
        return list(s.exec(select(RefusedAttempt).order_by(col(RefusedAttempt.id))).all())


def test_a_reports_messages_name_it_and_link_to_its_page(
    engine: Engine, clock: FixedClock, ctx: Context, office: Office
) -> None:
    report = new_report(engine, ctx, office, ReportRound.HALF, 2562)
    act(engine, ctx, report, Action.SUBMIT, office.staff)
    [submitted] = _messages(engine, "report.")
    assert submitted.kind == "report.submit"
    assert (submitted.report_id, submitted.plan_id) == (report.id, None)
    assert submitted.payload["report_id"] == report.id
    with Session(engine) as s:
        org = s.get(Organization, office.organization_id)
        facts = facts_of(s, submitted, org, None, BASE + "/")
    assert facts.link == f"{BASE}/reports/{report.id}"
    # In the table's words, and the record read from the report's own chain
    assert render(facts).subject == ("เสนอคณะกรรมการติดตามและประเมินผล: รายงานผลการติดตามและ"
                                     "ประเมินผลแผนพัฒนาท้องถิ่น รอบหกเดือน (ตุลาคม–มีนาคม) "
                                     "ปีงบประมาณ 2562 (มีผลวันที่ 21 ก.ย. 2561)")  # fmt: skip
    monitor = monitoring_member(engine, clock, office)
    submitted_report = reload(engine, report.id)
    act(engine, ctx, submitted_report, Action.RETURN_FOR_REVISION, monitor, comment="ขาดภาพถ่าย")
    returned = _messages(engine, "report.return_for_revision")[0]
    with Session(engine) as s:
        lines = render(facts_of(s, returned, org, None, BASE)).lines_th
    assert any("ขาดภาพถ่าย" in line for line in lines), lines


def test_the_sweeps_alerts_and_the_april_reminder_name_the_report(
    engine: Engine, clock: FixedClock, ctx: Context, office: Office
) -> None:
    clock.set(bangkok_noon(date(2019, 4, 10)))
    half = new_report(engine, ctx, office, ReportRound.HALF, 2562)  # begun, not announced
    clock.set(bangkok_noon(date(2019, 4, 15)))
    done = sweep(engine, ctx, settings=SweepSettings(open_yearly_floors=True,
                                                     half_report_reminder_day=15))
    (floor_id,) = done.opened  # FY 2561's annual report, overdue since December
    [overdue] = _messages(engine, "alert.")
    assert (overdue.report_id, overdue.plan_id) == (floor_id, None)
    [reminder] = _messages(engine, "report.half_reminder")
    assert reminder.report_id == half.id


def test_a_refused_action_on_a_report_names_it(
    engine: Engine, clock: FixedClock, ctx: Context, office: Office
) -> None:
    monitor = monitoring_member(engine, clock, office)
    report = new_report(engine, ctx, office, ReportRound.HALF, 2562)
    assert attempt(engine, ctx, report, Action.APPROVE, monitor) == "invalid_transition"
    assert attempt(engine, ctx, report, Action.SUBMIT, office.executive) == "forbidden"
    with pytest.raises(DomainError):  # the same round again: no report to name
        uow.run(engine, clock, lambda s: create_report(
            s, ctx, organization_id=office.organization_id, fiscal_year_be=2562,
            round_=ReportRound.HALF, actor=office.staff))
    approve, submit, create = _refused(engine)
    assert [(r.action, r.report_id, r.plan_id) for r in (approve, submit, create)] == [
        ("approve", report.id, None), ("submit", report.id, None), ("create", None, None)]
    assert approve.actor_role is Role.MONITORING_COMMITTEE
    assert {r.organization_id for r in (approve, submit, create)} == {office.organization_id}


def test_a_null_report_id_leaves_the_leaf_as_before_migration_0020() -> None:
    row = {"id": 7, "plan_id": 3, "action": "submit", "code": "forbidden"}
    assert log.leaf_of("refused_attempt", {**row, "report_id": None}) == log.leaf_of(
        "refused_attempt", row)
    assert log.leaf_of("refused_attempt", {**row, "report_id": 5}) != log.leaf_of(
        "refused_attempt", row)
    # Only the column added later is left out, only in its table.
    assert log.leaf_of("refused_attempt", {**row, "plan_id": None}) != log.leaf_of(
        "refused_attempt", {k: v for k, v in row.items() if k != "plan_id"})
    assert log.leaf_of("transition_record", {**row, "report_id": None}) != log.leaf_of(
        "transition_record", row)
