"""What the content pages show, shaped from a `Content` (pure): projects grouped by strategy
and แผนงาน with running totals, the public search (text, หมู่ที่), baht with thousands
separators, and the project and equipment forms read into the core's input."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from api.web.forms import FormState, parse_int
from workflow.content_model import (
    FISCAL_MONTHS,
    MONTH_ABBR,
    Content,
    Equipment,
    Project,
    Strategy,
)

ZERO = Decimal("0.00")
PROJECT_TEXTS = ("strategy_id", "programme", "name", "activity", "location", "unit", "tactic")
EQUIPMENT_TEXTS = ("programme", "category", "type", "target", "location", "unit")


def baht(value: Decimal | None) -> str:
    """1234567.5 → '1,234,567.50'; '-' for nothing."""
    return "-" if value is None else f"{value:,.2f}"


def signed_baht(value: Decimal) -> str:
    return f"+{value:,.2f}" if value > 0 else f"{value:,.2f}"


@dataclass(frozen=True)
class Programme:
    name: str
    projects: tuple[Project, ...]
    total: Decimal


@dataclass(frozen=True)
class StrategyGroup:
    strategy: Strategy
    programmes: tuple[Programme, ...]
    total: Decimal
    count: int
    running: Decimal  # the total of this group and every group before it


def grouped(content: Content, projects: tuple[Project, ...] | None = None) -> list[StrategyGroup]:
    """Projects (all, or those given) by strategy in printed order, then แผนงาน in first-seen
    order, each group with its total and the running total down the page."""
    rows = content.projects if projects is None else projects
    groups: list[StrategyGroup] = []
    running = ZERO
    for strategy in sorted(content.strategies, key=lambda s: s.number):
        mine = [p for p in rows if p.strategy_id == strategy.id]
        by_name: dict[str, list[Project]] = {}
        for project in mine:
            by_name.setdefault(project.programme, []).append(project)
        programmes = tuple(
            Programme(name, tuple(ps), sum((p.budget_baht for p in ps), ZERO))
            for name, ps in by_name.items()
        )
        total = sum((p.total for p in programmes), ZERO)
        running += total
        groups.append(StrategyGroup(strategy, programmes, total, len(mine), running))
    return groups


def search(content: Content, text: str | None, village: int | None) -> tuple[Project, ...]:
    """Projects whose name, activity, location, unit or แผนงาน contain the text (case and
    surrounding spaces ignored), and in หมู่ที่ `village` when one is given."""
    needle = (text or "").strip().casefold()

    def matches(p: Project) -> bool:
        if village is not None and p.village != village:
            return False
        if not needle:
            return True
        haystack = " ".join((p.name, p.activity, p.location, p.unit, p.programme))
        return needle in haystack.casefold()

    return tuple(p for p in content.projects if matches(p))


def villages(content: Content) -> list[int]:
    return sorted({p.village for p in content.projects if p.village is not None})


def month_cells(months: tuple[int, ...]) -> list[tuple[str, bool]]:
    """The twelve cells ต.ค. … ก.ย., marked where the row runs."""
    return [(MONTH_ABBR[m], m in months) for m in FISCAL_MONTHS]


def equipment_total(rows: tuple[Equipment, ...]) -> Decimal:
    return sum((e.budget_baht for e in rows), ZERO)


def programmes_of(content: Content) -> list[str]:
    names = [p.programme for p in content.projects] + [e.programme for e in content.equipment]
    return list(dict.fromkeys(names))


def units_of(content: Content) -> list[str]:
    return list(dict.fromkeys([p.unit for p in content.projects]))


# --- forms -----------------------------------------------------------------------------


def _months(form: FormState) -> list[int]:
    return [m for m in FISCAL_MONTHS if form.values.get(f"month_{m}")]


def _budget(form: FormState) -> str:
    return form.values.get("budget_baht", "").replace(",", "").strip() or "x"


def _optional_int(form: FormState, name: str, high: int) -> int | None:
    if not form.values.get(name, "").strip():
        return None
    return parse_int(form, name, low=1, high=high)


def project_input(form: FormState) -> dict[str, Any]:
    """The project form as the input `project_from_input` reads; a number that is not a
    number is noted beside its field here (the core's rules say the rest)."""
    values = form.values
    data: dict[str, Any] = {key: values.get(key, "") for key in PROJECT_TEXTS}
    data["tactic"] = values.get("tactic", "").strip() or None
    data["number"] = parse_int(form, "number", low=1, high=9999)
    data["village"] = _optional_int(form, "village", 99)
    data["budget_baht"] = _budget(form)
    data["months"] = _months(form)
    data["funding"] = values.get("funding", "")
    data["funding_note"] = values.get("funding_note", "").strip() or None
    data["ownership"] = values.get("ownership", "")
    edition = values.get("dev_plan_edition", "").strip()
    data["dev_plan"] = (
        {
            "edition": edition,
            "page": values.get("dev_plan_page", "").strip() or None,
            "row": values.get("dev_plan_row", "").strip() or None,
        }
        if edition
        else None
    )
    return data


def equipment_input(form: FormState) -> dict[str, Any]:
    data: dict[str, Any] = {key: form.values.get(key, "") for key in EQUIPMENT_TEXTS}
    data["category"] = data["category"].strip() or "ค่าครุภัณฑ์"
    data["number"] = parse_int(form, "number", low=1, high=9999)
    data["budget_baht"] = _budget(form)
    data["months"] = _months(form)
    return data


def project_values(p: Project) -> dict[str, str]:
    """A project as the form's values (the edit form starts from these)."""
    values = {
        "strategy_id": p.strategy_id, "programme": p.programme, "number": str(p.number),
        "name": p.name, "activity": p.activity, "budget_baht": f"{p.budget_baht:.2f}",
        "location": p.location, "unit": p.unit, "tactic": p.tactic or "",
        "village": "" if p.village is None else str(p.village), "funding": p.funding.value,
        "funding_note": p.funding_note or "", "ownership": p.ownership.value,
        "dev_plan_edition": p.dev_plan.edition if p.dev_plan else "",
        "dev_plan_page": (p.dev_plan.page or "") if p.dev_plan else "",
        "dev_plan_row": (p.dev_plan.row or "") if p.dev_plan else "",
    }  # fmt: skip
    values.update({f"month_{m}": "1" for m in p.months})
    return values


def equipment_values(e: Equipment) -> dict[str, str]:
    values = {
        "programme": e.programme, "number": str(e.number), "category": e.category,
        "type": e.type, "target": e.target, "budget_baht": f"{e.budget_baht:.2f}",
        "location": e.location, "unit": e.unit,
    }  # fmt: skip
    values.update({f"month_{m}": "1" for m in e.months})
    return values


def next_number(content: Content, strategy_id: str | None, programme: str | None) -> int:
    """The ที่ a new row in that group would take."""
    numbers = [
        p.number
        for p in content.projects
        if p.strategy_id == strategy_id and p.programme == programme
    ]
    return max(numbers, default=0) + 1


@dataclass(frozen=True)
class Match:
    """One duplicate flag as seen from one of the plan's projects: the other project, its
    plan, the score and why (docs/domain.md "Duplicates")."""

    name: str
    plan_id: int
    plan_title: str
    same_plan: bool
    score: int
    why_th: str


def flags_by_project(flags: Any, plan_id: int) -> dict[str, list[Match]]:
    """The flags of `workflow.duplicates_scan.list_duplicates` keyed by the plan's project
    each concerns: a pair within the plan is shown beside both of its projects."""
    out: dict[str, list[Match]] = {}
    for f in flags:
        for mine, other in ((f.a, f.b), (f.b, f.a)):
            if mine.plan_id == plan_id:
                out.setdefault(mine.project_id, []).append(Match(
                    other.name, other.plan_id, other.plan_title, other.plan_id == plan_id,
                    f.score, f.why_th,
                ))  # fmt: skip
    return out
