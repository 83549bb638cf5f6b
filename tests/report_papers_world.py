"""A monitoring report of tests/report_world.py's plan walked to its announcement with the
report papers' renderer (documents/pdf_report_papers.py), and posted if asked: the office's
executive, full name and posting places set first, so the ประกาศ prints them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import Engine

from documents.pdf_report_papers import report_announce_renderer
from models.clock import FixedClock, bangkok_noon
from models.enums import Action, ReportRound
from models.organization import Organization
from models.report_store import ReportWithClocks
from tests.factories import Office
from tests.report_factories import FINDINGS, PLACES, act, monitoring_member, new_report
from tests.report_world import build_world
from workflow import uow
from workflow.commands import Context
from workflow.org_settings import set_settings

ORG = "องค์การบริหารส่วนตำบลแหลมรัง"
EXECUTIVE = "นายสมชาย ใจดี"
OFFICE_PLACES = [f"ป้ายประกาศ ที่ทำการ{ORG}", "ที่ทำการผู้ใหญ่บ้านทุกหมู่บ้าน"]
PUBLIC_URL = "https://plan.example.go.th"


def set_office(engine: Engine, clock: FixedClock, office: Office) -> None:
    def command(s: object) -> object:
        org = s.get(Organization, office.organization_id)  # type: ignore[attr-defined]
        return set_settings(s, code=org.code, actor=office.admin, clock=clock,  # type: ignore[arg-type]
                            changes={"full_name": ORG, "executive_name": EXECUTIVE,
                                     "posting_places": OFFICE_PLACES})

    uow.run(engine, clock, command)


def announced_report(engine: Engine, ctx: Context, clock: FixedClock, office: Office, *,
                     posted: bool = True, papers: bool = True) -> ReportWithClocks:
    """The FY 2562 half-round report: presented on 3 June 2019, announced on 5 June (with
    its papers when `papers`), posted on 6 June when `posted`."""
    set_office(engine, clock, office)
    build_world(engine, ctx, clock, office, posted=True)
    monitor = monitoring_member(engine, clock, office)
    report = new_report(engine, ctx, office, ReportRound.HALF, 2562)
    report = act(engine, ctx, report, Action.SUBMIT, office.staff)
    report = act(engine, ctx, report, Action.APPROVE, monitor, **FINDINGS)
    clock.set(bangkok_noon(date(2019, 6, 3)))
    report = act(engine, ctx, report, Action.PRESENT, office.executive)
    clock.set(bangkok_noon(date(2019, 6, 5)))
    made = replace(ctx, report_renderer=report_announce_renderer(PUBLIC_URL)) if papers else ctx
    report = act(engine, made, report, Action.ANNOUNCE, office.executive)
    if posted:
        clock.set(bangkok_noon(date(2019, 6, 6)))
        report = act(engine, ctx, report, Action.POST, office.staff, places=PLACES)
    return report
