"""Pure guards: each returns the reasons an action may not happen now (empty: it may)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from workflow.calendar import format_thai_date
from workflow.errors import Reason, reason
from workflow.table import Rule


@dataclass(frozen=True)
class ActionInput:
    effective_on: date
    today: date
    previous_on: date | None  # the legal date of the plan's previous action
    comment: str | None = None
    places: tuple[str, ...] = ()
    removal_on: date | None = None  # earliest removal date of the minimum posting period


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
    if inp.removal_on is None or inp.effective_on < inp.removal_on:
        shown = format_thai_date(inp.removal_on) if inp.removal_on else "-"
        return reason(
            "minimum_posting_not_satisfied",
            f"ยังปิดประกาศไม่ครบสามสิบวัน ปลดประกาศได้ตั้งแต่ {shown}",
            "the notice must stay posted at least 30 days; it may come down from "
            f"{inp.removal_on.isoformat() if inp.removal_on else '-'}",
        )
    return None


GUARDS: dict[str, Guard] = {
    "not_in_future": not_in_future,
    "not_before_previous": not_before_previous,
    "reason_given": reason_given,
    "places_given": places_given,
    "minimum_period_satisfied": minimum_period_satisfied,
}
ALWAYS = ("not_in_future", "not_before_previous")


def guard_names(rule: Rule) -> tuple[str, ...]:
    derived = ("reason_given",) * rule.reason_required + ("places_given",) * rule.needs_places
    return ALWAYS + derived + rule.guards


def check(rule: Rule, inp: ActionInput) -> list[Reason]:
    found = (GUARDS[name](inp) for name in guard_names(rule))
    return [r for r in found if r is not None]
