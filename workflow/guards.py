"""Pure guards: each returns the reasons an action may not happen now (empty: it may).

Their texts take their numbers, clauses and names from the table (workflow/table.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from models.enums import DeadlineKind, Role
from workflow.calendar import format_thai_date
from workflow.clock_rule import ClockRule
from workflow.errors import Reason, reason
from workflow.table import CLOCKS, Rule


@dataclass(frozen=True)
class ActionInput:
    effective_on: date
    today: date
    previous_on: date | None  # the legal date of the plan's previous action
    comment: str | None = None
    places: tuple[str, ...] = ()
    removal_on: date | None = None  # earliest removal date of the minimum posting period
    trigger_on: date | None = None  # the date of the event that started the plan
    # The evidence kinds the policy requires of this action by this actor (empty when
    # recommended, or for the scheduler) and the (kind, place) of each file carried with it.
    expected: tuple[str, ...] = ()
    carried: tuple[tuple[str, str | None], ...] = ()


Guard = Callable[[ActionInput], Reason | None]


def not_in_future(inp: ActionInput) -> Reason | None:
    if inp.effective_on > inp.today:
        return reason(
            "effective_in_future",
            f"วันที่มีผล {format_thai_date(inp.effective_on)} เป็นวันในอนาคต",
            f"the legal date {inp.effective_on.isoformat()} is in the future",
        )
    return None


def not_before_previous(inp: ActionInput) -> Reason | None:
    if inp.previous_on is not None and inp.effective_on < inp.previous_on:
        return reason(
            "effective_before_previous",
            f"วันที่มีผลต้องไม่ก่อนวันที่ของขั้นตอนก่อนหน้า ({format_thai_date(inp.previous_on)})",
            f"the legal date is before the previous action's date {inp.previous_on.isoformat()}",
        )
    return None


def not_before_trigger(inp: ActionInput) -> Reason | None:
    """Nothing in a plan's life takes effect before the event that started it (clause 27)."""
    if inp.trigger_on is not None and inp.effective_on < inp.trigger_on:
        return reason(
            "effective_before_trigger",
            f"วันที่มีผลต้องไม่ก่อนวันที่ของเหตุตั้งต้น ({format_thai_date(inp.trigger_on)})",
            f"the legal date is before the trigger event's date {inp.trigger_on.isoformat()}",
        )
    return None


def reason_given(inp: ActionInput) -> Reason | None:
    if not (inp.comment and inp.comment.strip()):
        return reason("reason_required", "ต้องระบุเหตุผล", "a reason is required")
    return None


def places_given(inp: ActionInput) -> Reason | None:
    if not any(p.strip() for p in inp.places):
        return reason(
            "places_required",
            "ต้องระบุสถานที่ปิดประกาศอย่างน้อยหนึ่งแห่ง",
            "at least one posting place is required",
        )
    return None


def minimum_period_satisfied(inp: ActionInput) -> Reason | None:
    """Clause 26 (2): the notice comes down only after the floor clock's days."""
    if inp.removal_on is None or inp.effective_on < inp.removal_on:
        shown = format_thai_date(inp.removal_on) if inp.removal_on else "-"
        days = CLOCKS[DeadlineKind.MINIMUM_POSTING].days
        return reason(
            "minimum_posting_not_satisfied",
            f"ยังปิดประกาศไม่ครบ{thai_count(days)}วัน ปลดประกาศได้ตั้งแต่ {shown}",
            f"the notice must stay posted at least {days} days; it may come down from "
            f"{inp.removal_on.isoformat() if inp.removal_on else '-'}",
        )
    return None


def evidence_carried(inp: ActionInput) -> Reason | None:
    """Under the `required` policy (docs/domain.md "Evidence"), a person's action carries
    its evidence in the same request: one photo per posting place, one file of each other kind."""
    # Imported here: evidence_rules imports the input rules, which import this module, and
    # models.evidence is an ORM model (`localplan deadlines` imports neither).
    from models.evidence import EvidenceKind
    from workflow.evidence_rules import KIND_LABELS

    missing: list[str] = []
    kinds = {kind for kind, _ in inp.carried}
    for raw in inp.expected:
        kind = EvidenceKind(raw)
        if kind is EvidenceKind.POSTING_PHOTO:
            shown = {(place or "").strip() for k, place in inp.carried if k == raw}
            places = [p.strip() for p in inp.places if p.strip()] or [""]
            gaps = [p for p in places if p not in shown]
            if gaps or raw not in kinds:
                missing.append(raw)
        elif raw not in kinds:
            missing.append(raw)
    if not missing:
        return None
    th = ", ".join(KIND_LABELS[EvidenceKind(k)][0] for k in missing)
    en = ", ".join(KIND_LABELS[EvidenceKind(k)][1] for k in missing)
    return reason(
        "evidence_required",
        f"ต้องแนบหลักฐานพร้อมการดำเนินการนี้: {th} (ภาพถ่ายหนึ่งภาพต่อสถานที่ปิดประกาศ)"
        if EvidenceKind.POSTING_PHOTO.value in missing
        else f"ต้องแนบหลักฐานพร้อมการดำเนินการนี้: {th}",
        f"this installation requires the action's evidence attached with it: {en}",
    )


def not_extendable(kind: DeadlineKind) -> Reason:
    """Clause 27 gives the power to extend only the clocks with `extendable_by`."""
    powers = [c for c in CLOCKS.values() if c.extendable_by]
    th = "และ".join(f"{c.period_th}ตาม{c.clause}" for c in powers)
    en = ", ".join(f"{c.kind.value}, {c.clause.replace('ข้อ', 'clause')}" for c in powers)
    return reason(
        "deadline_not_extendable",
        f"กำหนดเวลานี้ขยายไม่ได้ (ขยายได้เฉพาะ{th})",
        f"the {kind.value} deadline cannot be extended (only {en})",
    )


def not_extender(clock: ClockRule, role: Role) -> Reason:
    """The role does not hold the power to extend this clock (clause 27)."""
    return reason(
        "role_not_allowed",
        f"เฉพาะ{clock.extender_th}ขยายเวลาได้",
        f"role {role.value} may not extend the {clock.kind.value} deadline",
    )


_DIGITS = ("", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")


def thai_count(n: int) -> str:
    """A number of days from 1 to 99 in Thai words (30: สามสิบ), as the regulation writes it."""
    if not 0 < n < 100:
        raise ValueError(f"{n} days: only 1 to 99 are written in words")
    tens, ones = divmod(n, 10)
    head = {0: "", 1: "สิบ", 2: "ยี่สิบ"}.get(tens, f"{_DIGITS[tens]}สิบ")
    tail = "เอ็ด" if ones == 1 and tens else _DIGITS[ones]
    return head + tail


GUARDS: dict[str, Guard] = {
    "not_in_future": not_in_future,
    "not_before_previous": not_before_previous,
    "not_before_trigger": not_before_trigger,
    "reason_given": reason_given,
    "places_given": places_given,
    "minimum_period_satisfied": minimum_period_satisfied,
    "evidence_carried": evidence_carried,
}
ALWAYS = ("not_in_future", "not_before_trigger", "not_before_previous")


def guard_names(rule: Rule) -> tuple[str, ...]:
    derived = ("reason_given",) * rule.reason_required + ("places_given",) * rule.needs_places
    return ALWAYS + derived + rule.guards


def check(rule: Rule, inp: ActionInput) -> list[Reason]:
    found = (GUARDS[name](inp) for name in guard_names(rule))
    return [r for r in found if r is not None]
