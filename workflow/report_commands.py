"""The monitoring reports' commands (docs/domain.md "Monitoring reports"; the rows of
workflow/table_reports.py), through the one command path: the report locked and visible, the
role and the version checked, the guards, the machine's move, the dates, the clocks, the
hash-chained record and the outbox, in the caller's one transaction (workflow.uow)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from models.clock import today_bangkok
from models.deadline import SWEEP_NOW
from models.enums import Action, DeadlineKind, DeadlineStatus, ReportRound, ReportState
from models.report_store import REPORTS, ReportWithClocks, insert_record, live_report
from models.store import CLOCK, NEW, ClockRow, insert_values, move_clock
from models.store import OUTBOX as OUTBOX_TABLE
from workflow import input_rules as rules
from workflow.actors import Actor
from workflow.command_base import (
    MAX_ID,
    Context,
    check_guards,
    check_version,
    in_role,
    refuse,
    sees,
)
from workflow.deadlines import closed_status, terms
from workflow.errors import Conflict, Forbidden, InvalidTransition, NotFound, Refusal, reason
from workflow.guards import ALWAYS, GUARDS, ActionInput
from workflow.machine import NoSuchMove, fire_report
from workflow.notices import message
from workflow.report_audit import GENESIS, next_report_record
from workflow.report_papers import announce_report_papers
from workflow.table_reports import (
    REPORT_RULES,
    REPORT_STATE_LABELS,
    ROUND_LABELS,
    ReportRule,
    find_report_rule,
)

TEXT_MAX = 20000


def fiscal_year_end(fiscal_year_be: int) -> date:
    """30 September of the fiscal year (BE 2570 runs October 2026 to September 2027)."""
    return date(fiscal_year_be - 543, 9, 30)


def create_report(
    session: Session,
    ctx: Context,
    *,
    organization_id: int,
    fiscal_year_be: int,
    round_: ReportRound,
    actor: Actor,
    plan_id: int | None = None,
    effective_on: date | None = None,
    request_id: str | None = None,
) -> ReportWithClocks:
    """Draft a report (its create row); the annual round starts the yearly floor clock on
    the fiscal year's last day (clause 30 (5): due 31 December)."""
    today = today_bangkok(ctx.clock)
    on = rules.optional_date(effective_on, field="effective_on") or today
    refusal = Refusal(Action.CREATE.value, actor.user_id, actor.username, actor.role,
                      organization_id=organization_id, effective_on=on, request_id=request_id)
    rule = find_report_rule(round_, None, Action.CREATE)
    assert rule is not None
    actor, refusal = in_role(actor, refusal, rule.roles, organization_id)  # Memberships
    if actor.role not in rule.roles or not actor.belongs_to(organization_id):
        raise refuse(refusal, Forbidden, _role_reason(actor, rule))
    check_guards([GUARDS["not_in_future"](ActionInput(on, today, None))], refusal)
    conn = session.connection()
    if live_report(conn, organization_id, fiscal_year_be, round_) is not None:
        raise refuse(refusal, Conflict, reason(
            "report_exists", "มีรายงานของปีงบประมาณและรอบนี้อยู่แล้ว",
            "the organization already has a report of this fiscal year and round"))
    now = ctx.clock.now()
    blank = ReportWithClocks(
        id=NEW, organization_id=organization_id, fiscal_year_be=fiscal_year_be, round=round_,
        plan_id=plan_id if plan_id is not None else _plan_in_force(session, organization_id,
                                                                   fiscal_year_be),
        state=ReportState.DRAFT, version=0, head_hash=GENESIS, last_effective_on=on,
        presented_on=None, announced_on=None, posted_on=None, posting_places=(),
        posting_complete_on=None, findings=None, recommendations=None, created_at=now,
        updated_at=now,
    )
    report = REPORTS.insert(conn, blank)
    start_on = fiscal_year_end(fiscal_year_be)
    clocks = tuple(_start(session, conn, ctx, report.id, k, start_on, rule) for k in rule.starts)
    details = {"round": round_.value, "plan_id": report.plan_id,
               "deadlines": [_snap(c) for c in clocks]}
    return _record(conn, report, replace(report, clocks=clocks), rule, actor, on, now, None,
                   request_id, details, from_state=None)


def _plan_in_force(session: Session, organization_id: int, fiscal_year_be: int) -> int | None:
    from workflow.in_force import announced_plans

    plans = announced_plans(session, organization_id=organization_id,
                            fiscal_year_be=fiscal_year_be)
    return plans[0].id if plans else None


def perform_report(
    session: Session,
    ctx: Context,
    *,
    report_id: int,
    action: Action,
    actor: Actor,
    expected_version: int,
    effective_on: date | None = None,
    comment: str | None = None,
    places: tuple[str, ...] = (),
    findings: str | None = None,
    recommendations: str | None = None,
    request_id: str | None = None,
) -> ReportWithClocks:
    """Perform one row of the reports' table on a report, atomically with its record."""
    on_given = rules.optional_date(effective_on, field="effective_on")
    comment = rules.optional_text(comment, field="comment", max_length=rules.COMMENT_MAX,
                                  multiline=True)
    findings = rules.optional_text(findings, field="findings", max_length=TEXT_MAX,
                                   multiline=True)
    recommendations = rules.optional_text(recommendations, field="recommendations",
                                          max_length=TEXT_MAX, multiline=True)
    places = rules.places(places)
    today = today_bangkok(ctx.clock)
    on = on_given or today
    refusal = Refusal(action.value, actor.user_id, actor.username, actor.role,
                      effective_on=on, request_id=request_id)
    conn, report = _load(session, report_id, actor, refusal)
    refusal = replace(refusal, organization_id=report.organization_id, report_id=report.id)
    permitted = {role for r in REPORT_RULES if r.action is action and r.applies(report.round)
                 for role in r.roles}
    actor, refusal = in_role(actor, refusal, permitted, report.organization_id)  # Memberships
    rule = _rule_for(report, action, actor, refusal)
    check_version(report.version, expected_version, refusal)
    minimum = report.clock(DeadlineKind.MINIMUM_POSTING)
    inp = ActionInput(on, today, report.last_effective_on, comment=comment, places=places,
                      removal_on=minimum.due_on if minimum else None)
    check_guards([*_guards(rule, inp), *_findings(rule, findings, recommendations)], refusal)
    try:
        state = fire_report(report.state, report.round, action)
    except NoSuchMove as err:
        raise refuse(refusal, InvalidTransition, reason(
            "invalid_transition", "ไม่สามารถทำขั้นตอนนี้ได้", str(err))) from err
    now = ctx.clock.now()
    moved = replace(report, state=state, last_effective_on=on, updated_at=now)
    details: dict[str, Any] = {}
    if rule.sets_date is not None:
        dates: dict[str, Any] = {rule.sets_date: on}  # a date column of the report
        moved = replace(moved, **dates)
    if rule.needs_places:
        moved = replace(moved, posting_places=tuple(p for p in places if p.strip()))
        details["places"] = list(moved.posting_places)
    if rule.findings_required:
        moved = replace(moved, findings=findings, recommendations=recommendations)
        details |= {"findings": findings, "recommendations": recommendations}
    clocks, late = _close(conn, rule, report.clocks, on, now)
    clocks += tuple(_start(session, conn, ctx, report.id, k, on, rule) for k in rule.starts)
    details["deadlines"] = [_snap(c) for c in clocks]
    if late:
        details["late"] = late
    if action is Action.ANNOUNCE:  # the ประกาศ and the report, frozen (workflow/report_papers)
        details |= announce_report_papers(session, ctx.report_renderer, report=moved,
                                          announced_on=on, now=now)
    return _record(conn, report, replace(moved, clocks=clocks), rule, actor, on, now, comment,
                   request_id, details, from_state=report.state)


def _load(session: Session, report_id: int, actor: Actor,
          refusal: Refusal) -> tuple[Connection, ReportWithClocks]:
    if session.new or session.dirty or session.deleted:
        session.flush()
    conn = session.connection()
    report = REPORTS.lock(conn, report_id) if 0 < report_id <= MAX_ID else None
    if report is None or not sees(actor, session, report.organization_id):
        raise NotFound([reason("report_not_found", "ไม่พบรายงาน", "no such report")])
    return conn, report


def _role_reason(actor: Actor, rule: ReportRule) -> Any:
    roles = ", ".join(sorted(r.value for r in rule.roles))
    return reason(
        "role_not_allowed",
        f"บทบาท {actor.role.value} ไม่มีสิทธิ์ทำขั้นตอนนี้ (ต้องเป็น {roles})",
        f"role {actor.role.value} may not {rule.action.value} (needs {roles})",
    )


def _rule_for(report: ReportWithClocks, action: Action, actor: Actor,
              refusal: Refusal) -> ReportRule:
    candidates = [r for r in REPORT_RULES if r.action is action and r.applies(report.round)]
    if candidates and not any(actor.role in r.roles for r in candidates):
        raise refuse(refusal, Forbidden, _role_reason(actor, candidates[0]))
    rule = find_report_rule(report.round, report.state, action)
    if rule is None or rule.source is None:
        raise refuse(refusal, InvalidTransition, reason(
            "invalid_transition",
            f"ทำขั้นตอน «{candidates[0].label_th if candidates else action.value}» "
            f"จากสถานะ «{REPORT_STATE_LABELS[report.state][0]}» ไม่ได้",
            f"{action.value} is not possible from {report.state.value} for a report"))
    if actor.role not in rule.roles or not actor.belongs_to(report.organization_id):
        raise refuse(refusal, Forbidden, _role_reason(actor, rule))
    return rule


def _guards(rule: ReportRule, inp: ActionInput) -> list[Any]:
    names = (*ALWAYS, *("reason_given",) * rule.reason_required,
             *("places_given",) * rule.needs_places, *rule.guards)
    return [GUARDS[name](inp) for name in names if name != "not_before_trigger"]


def _findings(rule: ReportRule, findings: str | None, recommendations: str | None) -> list[Any]:
    """Clause 29 (3): the committee reports its result with findings and recommendations."""
    if not rule.findings_required:
        return []
    found = []
    if not (findings and findings.strip()):
        found.append(reason("findings_required", "ต้องระบุผลการติดตามและประเมินผล",
                            "the committee's findings are required"))
    if not (recommendations and recommendations.strip()):
        found.append(reason("recommendations_required", "ต้องระบุความเห็นและข้อเสนอแนะ",
                            "the committee's recommendations are required"))
    return found


def _start(session: Session, conn: Connection, ctx: Context, report_id: int,
           kind: DeadlineKind, start_on: date, rule: ReportRule) -> ClockRow:
    t = terms(kind, start_on, policy=ctx.policy, calendar=ctx.calendar_for(session))
    row = ClockRow(
        id=NEW, plan_id=None, report_id=report_id, kind=kind, start_on=start_on, days=t.days,
        mode=ctx.policy.counting_mode, conservative=ctx.policy.conservative_minimum_posting,
        clause=rule.clause, base_due_on=t.base_due_on, due_on=t.due_on,
        last_working_on=t.last_working_on, extended=False, status=DeadlineStatus.OPEN,
        closed_on=None, created_at=ctx.clock.now(), closed_at=None, alert_on=SWEEP_NOW,
    )
    return CLOCK.insert_row(conn, row)


def _close(conn: Connection, rule: ReportRule, clocks: tuple[ClockRow, ...], on: date,
           now: datetime) -> tuple[tuple[ClockRow, ...], list[str]]:
    by_kind = {c.kind: c for c in clocks}
    late: list[str] = []
    for kind, clock in list(by_kind.items()):
        if clock.status is not DeadlineStatus.OPEN:
            continue
        if kind in rule.closes:
            status = closed_status(kind, clock.due_on, on)
            late += [kind.value] if status is DeadlineStatus.LATE else []
        elif rule.cancels_open:
            status = DeadlineStatus.CANCELLED
        else:
            continue
        by_kind[kind] = move_clock(conn, clock, replace(clock, status=status, closed_on=on,
                                                        closed_at=now))
    return tuple(by_kind.values()), late


def _snap(clock: ClockRow) -> dict[str, Any]:
    return {
        "kind": clock.kind.value, "start_on": clock.start_on.isoformat(),
        "due_on": clock.due_on.isoformat(), "last_working_on": clock.last_working_on.isoformat(),
        "status": clock.status.value,
        "closed_on": clock.closed_on.isoformat() if clock.closed_on else None,
    }


def _record(conn: Connection, old: ReportWithClocks, new: ReportWithClocks, rule: ReportRule,
            actor: Actor, on: date, now: datetime, comment: str | None, request_id: str | None,
            details: dict[str, Any], *, from_state: ReportState | None) -> ReportWithClocks:
    """Append the report's next record, move its head, tell whom the row names."""
    values = next_report_record(
        report_id=old.id, organization_id=old.organization_id, version=old.version,
        head_hash=old.head_hash, action=rule.action, from_state=from_state, to_state=new.state,
        actor=actor, effective_on=on, recorded_at=now, comment=comment, request_id=request_id,
        details=details,
    )
    record_id = insert_record(conn, values)
    new = replace(new, version=values["seq"], head_hash=values["hash"])
    REPORTS.update(conn, old, new)
    if rule.notify:
        insert_values(conn, OUTBOX_TABLE, message(
            key=f"report:{record_id}", kind=f"report.{rule.action.value}",
            organization_id=new.organization_id, plan_id=None, report_id=new.id,
            audience=rule.notify,
            payload={"report_id": new.id, "record_id": record_id, "action": rule.action.value,
                     "round": new.round.value, "fiscal_year_be": new.fiscal_year_be,
                     "effective_on": on.isoformat(),  # the texts name them in the table's words
                     "action_th": rule.label_th, "action_en": rule.label_en,
                     "round_th": ROUND_LABELS[new.round][0],
                     "round_en": ROUND_LABELS[new.round][1]},
            now=now,
        ))
    return new

