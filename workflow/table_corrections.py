"""The workflow table's correction rows (docs/domain.md "Corrections"): which field of which
action's record may be corrected, and by whom. They are part of the table (workflow/table.py):
the roles come from its rows, so who may correct follows who acts, and docs/state-machine.md
and docs/legal-basis.md list them with the rest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from models.enums import Action, DeadlineKind, Role
from workflow.table import EXECUTIVE, PLAN_ACTIONS, RULES, SYSTEM_ROLE

# What a correction may change in an action's record (docs/domain.md "Corrections"): its legal
# date, the trigger date the creation records, the places posted at, or the comment.
CorrectedField = Literal["effective_on", "trigger_on", "places", "comment"]


@dataclass(frozen=True)
class Correction:
    """A field of an action's record that may be corrected, by a record of its own (nothing is
    erased). `roles`: the roles that take the action, and the executive, who answers for the
    plan (clause 26 (2), 27). `column`: the plan's column the value stands in; `restarts`: the
    clocks the action started, counted again from a corrected date; `recloses`: the clocks it
    closed, judged again (met or late) on that date. `required`: the new value may not be
    blank (a reason the action needs, the places it posts at)."""

    action: Action
    field: CorrectedField
    label_th: str
    label_en: str
    column: str | None = None
    restarts: tuple[DeadlineKind, ...] = ()
    recloses: tuple[DeadlineKind, ...] = ()
    required: bool = False

    @property
    def roles(self) -> frozenset[Role]:
        rows = [rule for rule in RULES if rule.action is self.action]
        return frozenset(r for rule in rows for r in rule.roles) - {SYSTEM_ROLE} | {EXECUTIVE}


def _dated(action: Action, label_th: str, label_en: str) -> Correction:
    (column,) = {rule.sets_date for rule in RULES if rule.action is action}
    rows = [rule for rule in RULES if rule.action is action]
    return Correction(
        action, "effective_on", label_th, label_en, column, rows[0].starts, rows[0].closes
    )


CORRECTIONS: tuple[Correction, ...] = (
    Correction(
        Action.CREATE,
        "trigger_on",
        "วันที่เกิดเหตุ",
        "Trigger date",
        "trigger_on",
        restarts=(DeadlineKind.PREPARATION,),
    ),
    _dated(Action.ANNOUNCE, "วันที่ประกาศ", "Announcement date"),
    _dated(Action.POST, "วันที่ปิดประกาศ", "Posting date"),
    Correction(
        Action.POST, "places", "สถานที่ปิดประกาศ", "Posting places", "posting_places", required=True
    ),
    *(
        Correction(
            action,
            "comment",
            "ความเห็น/เหตุผล",
            "Comment or reason",
            required=action is Action.EXTEND_DEADLINE
            or any(r.reason_required for r in RULES if r.action is action),
        )
        for action in (*PLAN_ACTIONS, Action.EXTEND_DEADLINE)
    ),
)


def correction_for(action: str, field: str) -> Correction | None:
    """The table's row letting `field` of an `action` record be corrected, if any."""
    for row in CORRECTIONS:
        if row.action.value == action and row.field == field:
            return row
    return None
