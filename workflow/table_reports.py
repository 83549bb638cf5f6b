"""The workflow table's rows for monitoring reports (docs/domain.md "Monitoring reports";
clauses 28–30 as amended): the second kind of subject in the same engine.

A report of the 6-month round (October–March) or the annual round is drafted by staff,
considered by the monitoring committee (คณะกรรมการติดตามและประเมินผลแผนพัฒนาท้องถิ่น), which
returns it or reports its result with findings and recommendations to the executive; the
executive presents it to the council and the development committee (the presentation starts
the 15-day announcement clock), announces it, and staff post it for at least 30 days (the
same minimum-posting clock as plans'). The annual round's report carries the yearly floor
(at least once a year, within December), opened at the end of the fiscal year.

Everything for reports derives from these rows as it does for plans: the report machine
(workflow/machine.py), the allowed actions, the diagram, the docs' tables, the matrix tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from models.enums import Action, DeadlineKind, ReportRound, ReportState, Role
from models.labels import CLOCK_LABELS
from workflow.clock_rule import ClockRule

R = ReportState
BOTH = frozenset(ReportRound)
HALF = frozenset({ReportRound.HALF})
ANNUAL = frozenset({ReportRound.ANNUAL})
CLAUSE_28 = "ข้อ 28"
CLAUSE_29 = "ข้อ 29"
CLAUSE_29_3 = "ข้อ 29 (3)"
CLAUSE_30_5 = "ข้อ 30 (5)"
ReportDate = Literal["presented_on", "announced_on", "posted_on", "posting_complete_on"]
STAFF, MONITORING, EXECUTIVE = Role.STAFF, Role.MONITORING_COMMITTEE, Role.EXECUTIVE
SYSTEM_ROLE = Role.SYSTEM


@dataclass(frozen=True)
class ReportRule:
    """One permitted move of a monitoring report. `source` None: the report does not exist
    yet (create). `rounds`: the rounds the row holds for. `findings_required`: the committee's
    findings and recommendations are given with the action (clause 29 (3))."""

    action: Action
    source: ReportState | None
    dest: ReportState
    roles: frozenset[Role]
    rounds: frozenset[ReportRound]
    clause: str
    label_th: str
    label_en: str
    reason_required: bool = False
    needs_places: bool = False
    findings_required: bool = False
    starts: tuple[DeadlineKind, ...] = ()
    closes: tuple[DeadlineKind, ...] = ()
    cancels_open: bool = False
    notify: tuple[Role, ...] = ()
    guards: tuple[str, ...] = ()
    sets_date: ReportDate | None = None

    def applies(self, round_: ReportRound) -> bool:
        return round_ in self.rounds


def _r(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


PRE_ANNOUNCEMENT = (R.DRAFT, R.MONITORING_REVIEW, R.AWAITING_PRESENTATION, R.PRESENTED)
ANNOUNCEMENT = (DeadlineKind.REPORT_ANNOUNCEMENT,)

REPORT_RULES: tuple[ReportRule, ...] = (
    ReportRule(
        Action.CREATE, None, R.DRAFT, _r(STAFF), HALF, CLAUSE_29,
        "จัดทำร่างรายงานผลการติดตาม", "Draft the monitoring report",
    ),
    # The annual round holds the yearly floor; the scheduler opens it when the fiscal year
    # ends if nobody has (workflow/report_yearly.py).
    ReportRule(
        Action.CREATE, None, R.DRAFT, _r(STAFF, SYSTEM_ROLE), ANNUAL, CLAUSE_30_5,
        "จัดทำร่างรายงานผลการติดตาม", "Draft the monitoring report",
        starts=(DeadlineKind.YEARLY_REPORT,),
    ),
    ReportRule(
        Action.SUBMIT, R.DRAFT, R.MONITORING_REVIEW, _r(STAFF), BOTH, CLAUSE_29,
        "เสนอคณะกรรมการติดตามและประเมินผล", "Submit to the monitoring committee",
        notify=(MONITORING,),
    ),
    ReportRule(
        Action.RETURN_FOR_REVISION, R.MONITORING_REVIEW, R.DRAFT, _r(MONITORING), BOTH,
        CLAUSE_29, "ส่งกลับให้แก้ไข", "Return for revision",
        reason_required=True, notify=(STAFF,),
    ),
    ReportRule(
        Action.APPROVE, R.MONITORING_REVIEW, R.AWAITING_PRESENTATION, _r(MONITORING), BOTH,
        CLAUSE_29_3, "รายงานผลและเสนอความเห็นต่อผู้บริหาร",
        "Report the result to the executive", findings_required=True, notify=(EXECUTIVE,),
    ),
    ReportRule(
        Action.PRESENT, R.AWAITING_PRESENTATION, R.PRESENTED, _r(EXECUTIVE), BOTH, CLAUSE_30_5,
        "เสนอต่อสภาท้องถิ่นและคณะกรรมการพัฒนาท้องถิ่น",
        "Present to the council and the development committee",
        starts=ANNOUNCEMENT, sets_date="presented_on", notify=(STAFF,),
    ),
    ReportRule(
        Action.ANNOUNCE, R.PRESENTED, R.ANNOUNCED, _r(EXECUTIVE), HALF, CLAUSE_30_5,
        "ประกาศผลการติดตามและประเมินผล", "Announce the result",
        closes=ANNOUNCEMENT, sets_date="announced_on", notify=(STAFF,),
    ),
    ReportRule(
        Action.ANNOUNCE, R.PRESENTED, R.ANNOUNCED, _r(EXECUTIVE), ANNUAL, CLAUSE_30_5,
        "ประกาศผลการติดตามและประเมินผล", "Announce the result",
        closes=(*ANNOUNCEMENT, DeadlineKind.YEARLY_REPORT), sets_date="announced_on",
        notify=(STAFF,),
    ),
    ReportRule(
        Action.POST, R.ANNOUNCED, R.POSTED, _r(STAFF), BOTH, CLAUSE_30_5,
        "ปิดประกาศผลการติดตาม", "Post the result publicly",
        needs_places=True, starts=(DeadlineKind.MINIMUM_POSTING,), sets_date="posted_on",
        notify=(EXECUTIVE,),
    ),
    ReportRule(
        Action.COMPLETE_POSTING, R.POSTED, R.POSTING_COMPLETE, _r(STAFF, SYSTEM_ROLE), BOTH,
        CLAUSE_30_5, "ครบกำหนดปิดประกาศ", "Complete posting",
        closes=(DeadlineKind.MINIMUM_POSTING,), guards=("minimum_period_satisfied",),
        sets_date="posting_complete_on", notify=(STAFF, EXECUTIVE),
    ),
    *(
        ReportRule(
            Action.WITHDRAW, source, R.WITHDRAWN, _r(EXECUTIVE), BOTH, CLAUSE_29,
            "ยกเลิกรายงาน", "Withdraw", reason_required=True, cancels_open=True,
            notify=(STAFF, MONITORING),
        )
        for source in PRE_ANNOUNCEMENT
    ),
)

REPORT_CLOCKS: dict[DeadlineKind, ClockRule] = {
    DeadlineKind.REPORT_ANNOUNCEMENT: ClockRule(
        DeadlineKind.REPORT_ANNOUNCEMENT,
        15,
        CLAUSE_30_5,
        *CLOCK_LABELS[DeadlineKind.REPORT_ANNOUNCEMENT],
        reminded=(EXECUTIVE,),
    ),
    # Opens the day after the fiscal year ends (its start, 30 September, is never counted);
    # due 31 December of that calendar year.
    DeadlineKind.YEARLY_REPORT: ClockRule(
        DeadlineKind.YEARLY_REPORT,
        92,
        CLAUSE_30_5,
        *CLOCK_LABELS[DeadlineKind.YEARLY_REPORT],
        reminded=(STAFF, MONITORING, EXECUTIVE),
        until_december=True,
    ),
}

REPORT_STATE_LABELS: dict[ReportState, tuple[str, str]] = {
    R.DRAFT: ("ร่าง", "Draft"),
    R.MONITORING_REVIEW: (
        "อยู่ระหว่างการพิจารณาของคณะกรรมการติดตามและประเมินผล", "Monitoring committee review"
    ),
    R.AWAITING_PRESENTATION: ("รอผู้บริหารเสนอต่อสภา", "Awaiting presentation"),
    R.PRESENTED: ("เสนอต่อสภาแล้ว รอประกาศ", "Presented"),
    R.ANNOUNCED: ("ประกาศผลแล้ว", "Announced"),
    R.POSTED: ("ปิดประกาศแล้ว", "Posted"),
    R.POSTING_COMPLETE: ("ครบกำหนดปิดประกาศ", "Posting complete"),
    R.WITHDRAWN: ("ยกเลิก", "Withdrawn"),
}
ROUND_LABELS: dict[ReportRound, tuple[str, str]] = {
    ReportRound.HALF: ("รอบหกเดือน (ตุลาคม–มีนาคม)", "6-month round (October–March)"),
    ReportRound.ANNUAL: ("รอบปี", "Annual round"),
}
REPORT_TERMINAL = frozenset(R) - {rule.source for rule in REPORT_RULES}
# The actions a person performs on an existing report, in the table's order (the API's enum).
REPORT_ACTIONS: tuple[Action, ...] = tuple(
    dict.fromkeys(
        r.action for r in REPORT_RULES if r.source is not None and r.roles - {SYSTEM_ROLE}
    )
)
REPORT_ROLES = frozenset(role for rule in REPORT_RULES for role in rule.roles)


def report_rules_for(round_: ReportRound) -> Iterator[ReportRule]:
    return (rule for rule in REPORT_RULES if rule.applies(round_))


def find_report_rule(
    round_: ReportRound, source: ReportState | None, action: Action
) -> ReportRule | None:
    """The row for this move, if the table has one (at most one row matches)."""
    for rule in report_rules_for(round_):
        if rule.source == source and rule.action is action:
            return rule
    return None


def creatable_rounds(role: Role) -> tuple[ReportRound, ...]:
    return tuple(
        r for r in ReportRound
        if any(x.action is Action.CREATE and role in x.roles and x.applies(r) for x in REPORT_RULES)
    )
