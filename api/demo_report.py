"""The demo's monitoring report (docs/domain.md "Monitoring reports"): the 6-month round of
FY 2562 of อบต.แหลมรัง, its figures the demo plan's progress as of 31 มี.ค. 2562
(api/demo_progress.py), walked through the reports' table by the demo's people in April and
May 2019: drafted and submitted by staff, reported on by the monitoring committee with
findings drawn from those figures, presented and announced by the executive within the 15
days, posted by staff and taken down on its earliest removal date, so no clock is left open.
Skipped when the progress is (the clock given is before the fiscal year's end)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from api.demo_progress import HALF_YEAR, YEAR_END
from models.clock import today_bangkok
from models.enums import Action, DeadlineKind, ProgressStatus, ReportRound
from models.organization import User
from models.report_store import ReportWithClocks
from workflow import uow
from workflow.accounts import actor_for
from workflow.actors import Actor
from workflow.command_base import Context
from workflow.report_commands import create_report, perform_report
from workflow.report_figures import report_figures

FISCAL_YEAR = 2562
COMMENT = "ตัวอย่างสาธิต / demo data"
PLACES = ("บอร์ดประชาสัมพันธ์ อบต.แหลมรัง", "เว็บไซต์ อบต.แหลมรัง")
# Mon 1 Apr 2019 drafted; Wed 3 Apr submitted; Wed 10 Apr the committee's result; Thu 18 Apr
# presented to the council (the 15 days end Fri 3 May); announced Thu 25 Apr; posted Fri 26 Apr.
STEPS = (
    (Action.SUBMIT, "laemrang.staff", date(2019, 4, 3)),
    (Action.APPROVE, "laemrang.monitoring", date(2019, 4, 10)),
    (Action.PRESENT, "laemrang.executive", date(2019, 4, 18)),
    (Action.ANNOUNCE, "laemrang.executive", date(2019, 4, 25)),
    (Action.POST, "laemrang.staff", date(2019, 4, 26)),
)
CREATED_ON = date(2019, 4, 1)
RECOMMENDATIONS = (
    "ควรเร่งรัดการก่อหนี้ผูกพันและการเบิกจ่ายของโครงการที่ยังไม่ได้ดำเนินการ "
    "ให้เป็นไปตามระยะเวลาในแผนการดำเนินงาน และรายงานความก้าวหน้าทุกเดือน"
)


def findings_of(engine: Engine, plan_id: int) -> str:
    """The committee's findings: the plan's figures as of 31 March (never typed)."""
    with Session(engine) as session:
        overall = report_figures(session, plan_id, HALF_YEAR).overall
    doing = overall.status(ProgressStatus.IN_PROGRESS).count
    done = overall.status(ProgressStatus.COMPLETED).count
    share = f"ร้อยละ {overall.disbursed_of_planned}" if overall.disbursed_of_planned else "-"
    return (
        f"ณ วันที่ 31 มีนาคม 2562 โครงการตามแผนการดำเนินงาน {overall.items} โครงการ "
        f"ดำเนินการแล้วเสร็จ {done} โครงการ อยู่ระหว่างดำเนินการ {doing} โครงการ "
        f"ก่อหนี้ผูกพันแล้ว {overall.committed_baht:,.2f} บาท "
        f"เบิกจ่ายแล้ว {overall.disbursed_baht:,.2f} บาท ({share} ของงบประมาณตามแผน)"
    )


def seed_report(engine: Engine, ctx: Context, plan_id: int) -> int | None:
    """The 6-month report walked to `posting_complete`; its id (None: skipped)."""
    if today_bangkok(ctx.clock) < YEAR_END:
        return None
    report = uow.run(engine, ctx.clock, lambda s: create_report(
        s, ctx, organization_id=_org(s), fiscal_year_be=FISCAL_YEAR, round_=ReportRound.HALF,
        actor=_actor(s, "laemrang.staff"), plan_id=plan_id, effective_on=CREATED_ON))
    findings = findings_of(engine, plan_id)
    for action, username, on in STEPS:
        report = _act(engine, ctx, report, action, username, on, findings)
    posting = report.clock(DeadlineKind.MINIMUM_POSTING)
    assert posting is not None
    report = _act(engine, ctx, report, Action.COMPLETE_POSTING, "laemrang.staff",
                  posting.due_on, findings)
    return report.id


def _org(session: Session) -> int:
    user = session.exec(select(User).where(User.username == "laemrang.staff")).one()
    assert user.organization_id is not None
    return user.organization_id


def _actor(session: Session, username: str) -> Actor:
    return actor_for(session, session.exec(select(User).where(User.username == username)).one())


def _act(engine: Engine, ctx: Context, report: ReportWithClocks, action: Action,
         username: str, on: date, findings: str) -> ReportWithClocks:
    extra: dict[str, object] = {}
    if action is Action.APPROVE:
        extra = {"findings": findings, "recommendations": RECOMMENDATIONS}
    if action is Action.POST:
        extra = {"places": PLACES}
    return uow.run(engine, ctx.clock, lambda s: perform_report(
        s, ctx, report_id=report.id, action=action, actor=_actor(s, username),
        expected_version=report.version, effective_on=on, comment=COMMENT,
        **extra))  # type: ignore[arg-type]
