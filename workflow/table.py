"""THE workflow table (docs/domain.md "States and actions", "The three clocks"; clause 26–27).

Everything else derives from these rows: the `transitions` machine, the actions a person may
take now and the API's action enum, the kinds each role may create, the end states, who is
reminded of each clock and told of an extension, the dates an action sets, the diagram in
docs/, and the exhaustive state × action × role tests.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Literal

from models.enums import Action, DeadlineKind, PlanKind, PlanState, Role, TriggerKind
from models.labels import CLOCK_LABELS
from workflow.clock_rule import ClockRule
from workflow.policy import WorkflowPolicy
from workflow.table_reports import REPORT_CLOCKS

S = PlanState
ALL_KINDS = frozenset(PlanKind)
REGULAR = frozenset({PlanKind.ANNUAL, PlanKind.SUPPLEMENTARY})
AMENDMENT = frozenset({PlanKind.AMENDMENT})

CLAUSE_26 = "ข้อ 26"
CLAUSE_26_1 = "ข้อ 26 (1)"
CLAUSE_26_2 = "ข้อ 26 (2)"
CLAUSE_27 = "ข้อ 27"
# The plan's date columns an action sets to its legal date.
DateColumn = Literal["announced_on", "posted_on", "posting_complete_on"]
# What an action does to the plan's content (docs/domain.md "Plan content"): `freeze` makes
# the draft the next frozen version and names it in the record; `name` names the latest frozen
# version (what the committee approves, what the executive announces).
ContentEffect = Literal["freeze", "name"]
REGULATION = (
    "ระเบียบกระทรวงมหาดไทยว่าด้วยการจัดทำแผนพัฒนาขององค์กรปกครองส่วนท้องถิ่น พ.ศ. 2548 "
    "แก้ไขเพิ่มเติมถึง (ฉบับที่ 3) พ.ศ. 2561"
)


@dataclass(frozen=True)
class Rule:
    """One permitted move. `source` None means the plan does not exist yet (create).

    `committee` narrows amendment rows to one setting of `amendment_requires_committee`
    (None: the row holds either way).
    """

    action: Action
    source: PlanState | None
    dest: PlanState
    roles: frozenset[Role]
    kinds: frozenset[PlanKind]
    clause: str
    label_th: str
    label_en: str
    reason_required: bool = False
    needs_places: bool = False
    starts: tuple[DeadlineKind, ...] = ()
    closes: tuple[DeadlineKind, ...] = ()
    cancels_open: bool = False
    notify: tuple[Role, ...] = ()  # who is told, through the outbox
    guards: tuple[str, ...] = ()  # extra guards by name (workflow.guards.GUARDS)
    committee: bool | None = None
    sets_date: DateColumn | None = None  # the plan's column that takes the legal date
    content: ContentEffect | None = None  # what the action does to the content

    def applies(self, kind: PlanKind, policy: WorkflowPolicy) -> bool:
        if kind not in self.kinds:
            return False
        if self.committee is None or kind is not PlanKind.AMENDMENT:
            return True
        return self.committee == policy.amendment_requires_committee


def _r(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


STAFF, COMMITTEE, EXECUTIVE, SYSTEM_ROLE = Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.SYSTEM
PRE_ANNOUNCEMENT = (S.DRAFT, S.COMMITTEE_REVIEW, S.AWAITING_ANNOUNCEMENT)

RULES: tuple[Rule, ...] = (
    Rule(
        Action.CREATE,
        None,
        S.DRAFT,
        _r(STAFF),
        REGULAR,
        CLAUSE_26_1,
        "จัดทำร่างแผน",
        "Create draft",
        starts=(DeadlineKind.PREPARATION,),
    ),
    Rule(
        Action.CREATE,
        None,
        S.DRAFT,
        _r(EXECUTIVE),
        AMENDMENT,
        CLAUSE_27,
        "สั่งให้จัดทำแผนแก้ไข",
        "Start amendment",
    ),
    Rule(
        Action.SUBMIT,
        S.DRAFT,
        S.COMMITTEE_REVIEW,
        _r(STAFF),
        REGULAR,
        CLAUSE_26_1,
        "เสนอร่างต่อคณะกรรมการ",
        "Submit to committee",
        notify=(COMMITTEE,),
        content="freeze",
    ),
    Rule(
        Action.SUBMIT,
        S.DRAFT,
        S.COMMITTEE_REVIEW,
        _r(STAFF),
        AMENDMENT,
        CLAUSE_26_1,
        "เสนอร่างต่อคณะกรรมการ",
        "Submit to committee",
        notify=(COMMITTEE,),
        committee=True,
        content="freeze",
    ),
    Rule(
        Action.SUBMIT,
        S.DRAFT,
        S.AWAITING_ANNOUNCEMENT,
        _r(STAFF),
        AMENDMENT,
        CLAUSE_26_1,
        "เสนอร่างต่อผู้บริหาร",
        "Submit to executive",
        notify=(EXECUTIVE,),
        committee=False,
        content="freeze",
    ),
    Rule(
        Action.RETURN_FOR_REVISION,
        S.COMMITTEE_REVIEW,
        S.DRAFT,
        _r(COMMITTEE),
        ALL_KINDS,
        CLAUSE_26_2,
        "ส่งกลับให้แก้ไข",
        "Return for revision",
        reason_required=True,
        notify=(STAFF,),
    ),
    Rule(
        Action.APPROVE,
        S.COMMITTEE_REVIEW,
        S.AWAITING_ANNOUNCEMENT,
        _r(COMMITTEE),
        ALL_KINDS,
        CLAUSE_26_2,
        "เห็นชอบและเสนอผู้บริหาร",
        "Approve and propose",
        notify=(EXECUTIVE,),
        content="name",
        guards=("evidence_carried",),
    ),
    Rule(
        Action.SEND_BACK,
        S.AWAITING_ANNOUNCEMENT,
        S.COMMITTEE_REVIEW,
        _r(EXECUTIVE),
        REGULAR,
        CLAUSE_26_2,
        "ส่งกลับคณะกรรมการ",
        "Send back to committee",
        reason_required=True,
        notify=(COMMITTEE,),
    ),
    Rule(
        Action.SEND_BACK,
        S.AWAITING_ANNOUNCEMENT,
        S.COMMITTEE_REVIEW,
        _r(EXECUTIVE),
        AMENDMENT,
        CLAUSE_26_2,
        "ส่งกลับคณะกรรมการ",
        "Send back to committee",
        reason_required=True,
        notify=(COMMITTEE,),
        committee=True,
    ),
    Rule(
        Action.SEND_BACK,
        S.AWAITING_ANNOUNCEMENT,
        S.DRAFT,
        _r(EXECUTIVE),
        AMENDMENT,
        CLAUSE_26_2,
        "ส่งกลับให้แก้ไข",
        "Send back for revision",
        reason_required=True,
        notify=(STAFF,),
        committee=False,
    ),
    Rule(
        Action.ANNOUNCE,
        S.AWAITING_ANNOUNCEMENT,
        S.ANNOUNCED,
        _r(EXECUTIVE),
        ALL_KINDS,
        CLAUSE_26_2,
        "ประกาศใช้แผน",
        "Announce",
        closes=(DeadlineKind.PREPARATION,),
        starts=(DeadlineKind.POSTING,),
        notify=(STAFF,),
        sets_date="announced_on",
        content="name",
        guards=("evidence_carried",),
    ),
    Rule(
        Action.POST,
        S.ANNOUNCED,
        S.POSTED,
        _r(STAFF),
        ALL_KINDS,
        CLAUSE_26_2,
        "ปิดประกาศ",
        "Post publicly",
        needs_places=True,
        closes=(DeadlineKind.POSTING,),
        starts=(DeadlineKind.MINIMUM_POSTING,),
        notify=(EXECUTIVE,),
        sets_date="posted_on",
        guards=("evidence_carried",),
    ),
    Rule(
        Action.COMPLETE_POSTING,
        S.POSTED,
        S.POSTING_COMPLETE,
        _r(STAFF, SYSTEM_ROLE),
        ALL_KINDS,
        CLAUSE_26_2,
        "ครบกำหนดปิดประกาศ",
        "Complete posting",
        closes=(DeadlineKind.MINIMUM_POSTING,),
        notify=(STAFF, EXECUTIVE),
        guards=("minimum_period_satisfied", "evidence_carried"),
        sets_date="posting_complete_on",
    ),
    *(
        Rule(
            Action.WITHDRAW,
            source,
            S.WITHDRAWN,
            _r(EXECUTIVE),
            ALL_KINDS,
            CLAUSE_26,
            "ยกเลิกแผน",
            "Withdraw",
            reason_required=True,
            cancels_open=True,
            notify=(STAFF, COMMITTEE),
        )
        for source in PRE_ANNOUNCEMENT
    ),
)


CLOCKS: dict[DeadlineKind, ClockRule] = {
    DeadlineKind.PREPARATION: ClockRule(
        DeadlineKind.PREPARATION,
        30,
        CLAUSE_27,
        *CLOCK_LABELS[DeadlineKind.PREPARATION],
        reminded=(STAFF, COMMITTEE, EXECUTIVE),
        extendable_by=_r(EXECUTIVE),
        extension_told=(STAFF, COMMITTEE),
        period_th="ระยะเวลาจัดทำแผน",
        extender_th="ผู้บริหารท้องถิ่น",
    ),
    DeadlineKind.POSTING: ClockRule(
        DeadlineKind.POSTING,
        15,
        CLAUSE_26_2,
        *CLOCK_LABELS[DeadlineKind.POSTING],
        reminded=(STAFF,),
    ),
    DeadlineKind.MINIMUM_POSTING: ClockRule(
        DeadlineKind.MINIMUM_POSTING,
        30,
        CLAUSE_26_2,
        *CLOCK_LABELS[DeadlineKind.MINIMUM_POSTING],
        reminded=(STAFF,),
        floor=True,
    ),
    **REPORT_CLOCKS,  # a monitoring report's (workflow/table_reports.py)
}
# Clocks whose open deadline can be overdue: every clock but the floors.
DUTY_CLOCKS = tuple(kind for kind, clock in CLOCKS.items() if not clock.floor)

TRIGGERS: dict[PlanKind, frozenset[TriggerKind]] = {
    PlanKind.ANNUAL: frozenset({TriggerKind.ANNUAL_BUDGET}),
    PlanKind.SUPPLEMENTARY: frozenset(
        {
            TriggerKind.SUPPLEMENTARY_BUDGET,
            TriggerKind.ACCUMULATED_FUNDS,
            TriggerKind.AGENCY_PROJECTS,
        }
    ),
    PlanKind.AMENDMENT: frozenset({TriggerKind.AMENDMENT_DECISION}),
}

STATE_LABELS: dict[PlanState, tuple[str, str]] = {
    S.DRAFT: ("ร่าง", "Draft"),
    S.COMMITTEE_REVIEW: ("อยู่ระหว่างการพิจารณาของคณะกรรมการพัฒนาท้องถิ่น", "Committee review"),
    S.AWAITING_ANNOUNCEMENT: ("รอผู้บริหารประกาศ", "Awaiting announcement"),
    S.ANNOUNCED: ("ประกาศแล้ว", "Announced"),
    S.POSTED: ("ปิดประกาศแล้ว", "Posted"),
    S.POSTING_COMPLETE: ("ครบกำหนดปิดประกาศ", "Posting complete"),
    S.WITHDRAWN: ("ยกเลิก", "Withdrawn"),
}
# The end states: no row of the table leaves them.
TERMINAL = frozenset(S) - {rule.source for rule in RULES}
# The states in which the content may be edited: those the freezing actions leave.
CONTENT_EDITABLE = frozenset(rule.source for rule in RULES if rule.content == "freeze")
# Progress (docs/domain.md "Progress"): recorded for the items of the plan in force, once the
# announce row has put a plan in force (its target and every state after it but withdrawal),
# by the organization's staff (clause 26 (1): staff prepare; the follow-up is theirs too).
PROGRESS_STATES = frozenset(
    rule.dest
    for rule in RULES
    if rule.action in (Action.ANNOUNCE, Action.POST, Action.COMPLETE_POSTING)
)
PROGRESS_ROLES = frozenset({STAFF})
# The actions a person performs on an existing plan, in the table's order (the API's enum).
PLAN_ACTIONS: tuple[Action, ...] = tuple(
    dict.fromkeys(
        rule.action for rule in RULES if rule.source is not None and rule.roles - {SYSTEM_ROLE}
    )
)


def creatable_by(roles: Collection[Role]) -> tuple[PlanKind, ...]:
    """The kinds of plan any of these roles may create, in the kinds' order."""
    found = {kind for role in roles for kind in creatable_kinds(role)}
    return tuple(kind for kind in PlanKind if kind in found)


def creatable_kinds(role: Role) -> tuple[PlanKind, ...]:
    """The kinds of plan this role may create (clause 26 (1): staff; clause 27: executive)."""
    return tuple(
        kind
        for kind in PlanKind
        if any(r.action is Action.CREATE and role in r.roles and kind in r.kinds for r in RULES)
    )


def rules_for(kind: PlanKind, policy: WorkflowPolicy) -> Iterator[Rule]:
    return (rule for rule in RULES if rule.applies(kind, policy))


def find_rule(
    kind: PlanKind, source: PlanState | None, action: Action, policy: WorkflowPolicy
) -> Rule | None:
    """The row for this move, if the table has one (at most one row matches)."""
    for rule in rules_for(kind, policy):
        if rule.source == source and rule.action is action:
            return rule
    return None


def rules_from(kind: PlanKind, source: PlanState, policy: WorkflowPolicy) -> list[Rule]:
    return [rule for rule in rules_for(kind, policy) if rule.source == source]
