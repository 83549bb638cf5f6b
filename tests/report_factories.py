"""Monitoring reports for tests: a monitoring committee member, a report walked to a state by
the table's rows (workflow/table_reports.py), an attempt answering "ok" or the error code."""

from __future__ import annotations

from collections import deque
from datetime import timedelta
from itertools import count

from sqlalchemy import Engine
from sqlmodel import Session

from models.clock import FixedClock
from models.enums import Action, ReportRound, ReportState, Role
from models.organization import Organization
from models.report_store import REPORTS, ReportWithClocks
from tests.factories import Office
from workflow import uow
from workflow.accounts import actor_for, add_user
from workflow.actors import SYSTEM, Actor
from workflow.commands import Context
from workflow.errors import DomainError
from workflow.report_commands import create_report, perform_report
from workflow.table_reports import ReportRule, find_report_rule, report_rules_for

REASON = "เหตุผลการทดสอบ"
PLACES = ("บอร์ดประชาสัมพันธ์หน้าที่ทำการ",)
FINDINGS = {"findings": "ผลการติดตาม: ดำเนินการแล้วเสร็จร้อยละ 60",
            "recommendations": "ควรเร่งรัดการเบิกจ่าย"}
_YEARS = count(2600)


def monitoring_member(engine: Engine, clock: FixedClock, office: Office) -> Actor:
    """The office's member of the monitoring committee."""

    def seed(session: Session) -> Actor:
        org = session.get(Organization, office.organization_id)
        assert org is not None
        user = add_user(session, clock=clock, username=f"monitor-{org.code}",
                        role=Role.MONITORING_COMMITTEE, organization=org)
        return actor_for(session, user)

    return uow.run(engine, clock, seed)


def actor_of(office: Office, monitor: Actor, role: Role) -> Actor:
    if role is Role.MONITORING_COMMITTEE:
        return monitor
    return SYSTEM if role is Role.SYSTEM else office.by_role(role)


def path_to(round_: ReportRound, target: ReportState) -> list[ReportRule] | None:
    first = find_report_rule(round_, None, Action.CREATE)
    assert first is not None
    queue: deque[tuple[ReportState, list[ReportRule]]] = deque([(first.dest, [first])])
    seen = {first.dest}
    while queue:
        state, path = queue.popleft()
        if state is target:
            return path
        for rule in report_rules_for(round_):
            if rule.source is state and rule.dest not in seen:
                seen.add(rule.dest)
                queue.append((rule.dest, [*path, rule]))
    return None


def inputs_for(rule: ReportRule) -> dict[str, object]:
    kw: dict[str, object] = {"comment": REASON, "places": PLACES}
    return kw | FINDINGS if rule.findings_required else kw


def act(engine: Engine, ctx: Context, report: ReportWithClocks, action: Action, actor: Actor,
        **kw: object) -> ReportWithClocks:
    return uow.run(engine, ctx.clock, lambda s: perform_report(
        s, ctx, report_id=report.id, action=action, actor=actor,
        expected_version=report.version, **kw))  # type: ignore[arg-type]


def attempt(engine: Engine, ctx: Context, report: ReportWithClocks, action: Action,
            actor: Actor, **kw: object) -> str:
    try:
        act(engine, ctx, report, action, actor, **kw)
    except DomainError as error:
        return error.code
    return "ok"


def new_report(engine: Engine, ctx: Context, office: Office, round_: ReportRound,
               year: int | None = None) -> ReportWithClocks:
    fiscal_year = next(_YEARS) if year is None else year
    return uow.run(engine, ctx.clock, lambda s: create_report(
        s, ctx, organization_id=office.organization_id, fiscal_year_be=fiscal_year,
        round_=round_, actor=office.staff))


def walk(engine: Engine, ctx: Context, office: Office, monitor: Actor, round_: ReportRound,
         target: ReportState, *, year: int | None = None) -> ReportWithClocks:
    """A new report walked to `target` by the table's rows, each by a role its row names."""
    path = path_to(round_, target)
    assert path is not None
    report = new_report(engine, ctx, office, round_, year)
    for rule in path[1:]:
        if rule.action is Action.COMPLETE_POSTING:
            ctx.clock.advance(timedelta(days=31))  # type: ignore[attr-defined]
        role = sorted(rule.roles - {Role.SYSTEM})[0]
        report = act(engine, ctx, report, rule.action, actor_of(office, monitor, role),
                     **inputs_for(rule))
    return report


def reload(engine: Engine, report_id: int) -> ReportWithClocks:
    with engine.connect() as conn:
        found = REPORTS.read(conn, report_id)
    assert found is not None
    return found
