"""THE workflow table (docs/domain.md "States and actions", clauses 26–27).

Everything else derives from these rows: the `transitions` machine, the actions a person may
take now, the diagram in docs/, and the exhaustive state × action × role tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from models.enums import Action, DeadlineKind, PlanKind, PlanState, Role, TriggerKind
from models.labels import CLOCK_LABELS
from workflow.policy import WorkflowPolicy

S = PlanState
ALL_KINDS = frozenset(PlanKind)
REGULAR = frozenset({PlanKind.ANNUAL, PlanKind.SUPPLEMENTARY})
AMENDMENT = frozenset({PlanKind.AMENDMENT})

CLAUSE_26 = "ข้อ 26"
CLAUSE_26_1 = "ข้อ 26 (1)"
CLAUSE_26_2 = "ข้อ 26 (2)"
CLAUSE_27 = "ข้อ 27"
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
        guards=("minimum_period_satisfied",),
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


@dataclass(frozen=True)
class ClockRule:
    """A legal clock: `days` counted from the date of the action that starts it."""

    kind: DeadlineKind
    days: int
    clause: str
    label_th: str
    label_en: str
    extendable_by: frozenset[Role] = frozenset()


CLOCKS: dict[DeadlineKind, ClockRule] = {
    DeadlineKind.PREPARATION: ClockRule(
        DeadlineKind.PREPARATION,
        30,
        CLAUSE_27,
        *CLOCK_LABELS[DeadlineKind.PREPARATION],
        extendable_by=_r(EXECUTIVE),
    ),
    DeadlineKind.POSTING: ClockRule(
        DeadlineKind.POSTING, 15, CLAUSE_26_2, *CLOCK_LABELS[DeadlineKind.POSTING]
    ),
    DeadlineKind.MINIMUM_POSTING: ClockRule(
        DeadlineKind.MINIMUM_POSTING,
        30,
        CLAUSE_26_2,
        *CLOCK_LABELS[DeadlineKind.MINIMUM_POSTING],
    ),
}

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
    S.COMMITTEE_REVIEW: ("คณะกรรมการพิจารณา", "Committee review"),
    S.AWAITING_ANNOUNCEMENT: ("รอผู้บริหารประกาศ", "Awaiting announcement"),
    S.ANNOUNCED: ("ประกาศแล้ว", "Announced"),
    S.POSTED: ("ปิดประกาศแล้ว", "Posted"),
    S.POSTING_COMPLETE: ("ครบกำหนดปิดประกาศ", "Posting complete"),
    S.WITHDRAWN: ("ยกเลิก", "Withdrawn"),
}
TERMINAL = frozenset({S.POSTING_COMPLETE, S.WITHDRAWN})


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
