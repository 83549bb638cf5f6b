"""Pure: the plan row its chain of records says, field by field (docs/integrity.md "What
verification finds").

Every field of a plan is set by a record: the creation record (clause 26 (1), 27) names the
trigger and, since the creation record holds them, the title, kind, number, fiscal year, budget
and the plan amended; each later record moves the state, sets the date column of its table row
(`sets_date`), the places it posts at (clause 26 (2)), the legal date of the last action and
the time of the last change; an announced amendment supersedes its plan (clause 27); a
correction (docs/domain.md "Corrections") replaces the value of the field it corrects. A row
that differs from this was written outside the commands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from models.audit import TransitionRecord
from models.enums import Action, PlanKind
from models.plan import Plan
from workflow import corrected as cv
from workflow.table import RULES

# Fields the creation record holds since it carries `details["plan"]`; a chain created before
# that cannot vouch for them.
CREATION_FIELDS = ("fiscal_year_be", "kind", "number", "title", "budget_baht")


def _sets_date() -> dict[tuple[str, str | None, str, str], str]:
    """(kind, from, action, to) → the plan's date column the move sets."""
    found: dict[tuple[str, str | None, str, str], str] = {}
    for rule in RULES:
        if rule.sets_date is None:
            continue
        for kind in rule.kinds:
            source = None if rule.source is None else rule.source.value
            found[(kind.value, source, rule.action.value, rule.dest.value)] = rule.sets_date
    return found


SETS_DATE = _sets_date()


@dataclass(frozen=True)
class FieldDiff:
    """One field of a row that differs from what the history says."""

    field: str
    stored: Any
    expected: Any

    @property
    def detail(self) -> str:
        return f"{self.field} is {_shown(self.stored)}, the history says {_shown(self.expected)}"


def _shown(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return repr(value)


def supersedes_of(records: Sequence[TransitionRecord]) -> dict[int, int]:
    """Plan id → the amendment that superseded it, from announcement records (the first one
    wins, as `models.store.supersede` marks a plan only once)."""
    found: dict[int, int] = {}
    for record in records:
        amended = record.details.get("supersedes_plan_id")
        if record.action == Action.ANNOUNCE.value and isinstance(amended, int):
            found.setdefault(amended, record.plan_id)
    return found


def expected_plan(
    plan: Plan, records: Sequence[TransitionRecord], superseded_by: int | None
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The plan's fields as its chain says them, and the fields the chain cannot vouch for
    (a creation record written before it held them). `records` is the whole chain in order;
    state, version and head are checked by the replay (`workflow.audit.replay`)."""
    first, last = records[0], records[-1]
    trigger = first.details.get("trigger") or {}
    corrected = cv.corrections_by_seq(records)
    fields: dict[str, Any] = {
        "organization_id": first.organization_id,
        "trigger_kind": trigger.get("kind"),
        "trigger_on": cv.trigger_on(list(records), corrected),
        "trigger_note": trigger.get("note"),
        "amends_plan_id": first.details.get("amends_plan_id"),
        "superseded_by_plan_id": superseded_by,
        "created_at": first.recorded_at,
        "updated_at": last.recorded_at,
        "announced_on": None,
        "posted_on": None,
        "posting_complete_on": None,
        "posting_places": [],
    }
    created = first.details.get("plan")
    unchecked: tuple[str, ...] = ()
    if isinstance(created, Mapping):
        fields |= {name: created.get(name) for name in CREATION_FIELDS}
        fields["budget_baht"] = _money(created.get("budget_baht"))
        fields["amends_plan_id"] = created.get("amends_plan_id")
    else:
        unchecked = CREATION_FIELDS
    kind = str(fields.get("kind") or PlanKind(plan.kind).value)
    for record in records:
        on = cv.effective_on(record, corrected)
        if record.action not in cv.NOT_PLAN_ACTIONS:  # an extension, a correction: no action
            fields["last_effective_on"] = on
        column = SETS_DATE.get((kind, record.from_state, record.action, record.to_state))
        if column is not None:
            fields[column] = on
        if record.action == Action.POST.value:
            fields["posting_places"] = list(cv.value_in_force(record, "places", corrected))
    return fields, unchecked


def plan_diffs(
    plan: Plan, records: Sequence[TransitionRecord], superseded_by: int | None
) -> tuple[list[FieldDiff], tuple[str, ...]]:
    """Each field of the plan row that differs from its chain, and the fields not checked."""
    fields, unchecked = expected_plan(plan, records, superseded_by)
    diffs = []
    for name, expected in fields.items():
        stored = _comparable(getattr(plan, name))
        if stored != expected:
            diffs.append(FieldDiff(name, stored, expected))
    return diffs, unchecked


def _comparable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "value") and isinstance(value.value, str):  # a string enum
        return value.value
    return value


def _day(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


def _money(text: object) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None
