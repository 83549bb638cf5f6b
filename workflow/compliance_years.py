"""Compliance across fiscal years (docs/domain.md "Compliance across years"): for an auditor,
the per-plan compliance of each year of a range, as `scoped_reads.compliance_in_scope` gives
it (one call per year: no second query of its own), with per-year counts of each clock's
status and the totals over the range. Read-only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from models.clock import Clock
from models.enums import DeadlineKind
from models.plan import Plan
from workflow import input_rules as rules
from workflow import scoped_reads
from workflow.actors import Actor
from workflow.errors import reason
from workflow.queries import PlanCompliance

MAX_YEARS = 20  # a range longer than this is refused (a page and a CSV stay readable)
STATUSES = ("on_time", "late", "overdue", "open", "cancelled")


@dataclass
class YearCounts:
    """One fiscal year (or, with `fiscal_year_be` None, the range): how many plans, and per
    clock kind how many clocks stand in each status."""

    fiscal_year_be: int | None
    plans: int = 0
    clocks: dict[DeadlineKind, Counter[str]] = field(
        default_factory=lambda: {kind: Counter() for kind in DeadlineKind}
    )

    def add(self, plan: PlanCompliance) -> None:
        self.plans += 1
        for c in plan.clocks:
            self.clocks[c.kind][c.status] += 1

    def count(self, kind: DeadlineKind, status: str) -> int:
        return self.clocks[kind][status]


@dataclass(frozen=True)
class ComplianceYears:
    first_be: int
    last_be: int
    years: list[YearCounts]
    totals: YearCounts
    plans: list[PlanCompliance]  # every plan of the range, year by year
    titles: dict[int, str]  # plan id → title (the CSV names plans by title)


def check_range(first_be: int, last_be: int) -> None:
    """Both years are fiscal years (the input rule), the first not after the last, and at
    most MAX_YEARS of them; the refusal says which in Thai and English."""
    rules.fiscal_year(str(first_be), field="fiscal_year_from")
    rules.fiscal_year(str(last_be), field="fiscal_year_to")
    if first_be > last_be:
        raise rules.InvalidInput(
            [
                reason(
                    "range_reversed",
                    f"ปีงบประมาณสิ้นสุด ({last_be}) อยู่ก่อนปีเริ่มต้น ({first_be}) "
                    "จึงไม่มีปีใดอยู่ในช่วงนี้ โปรดสลับปี",
                    f"the last fiscal year ({last_be}) is before the first ({first_be})",
                )
            ],
            field="fiscal_year_to",
        )
    if last_be - first_be + 1 > MAX_YEARS:
        raise rules.InvalidInput(
            [
                reason(
                    "range_too_long",
                    f"เลือกได้ไม่เกิน {MAX_YEARS} ปีงบประมาณต่อครั้ง",
                    f"at most {MAX_YEARS} fiscal years at a time",
                )
            ],
            field="fiscal_year_to",
        )


def compliance_years(
    session: Session, actor: Actor, *, first_be: int, last_be: int, clock: Clock
) -> ComplianceYears:
    """The compliance of every fiscal year from `first_be` to `last_be` in the auditor's
    scope, with per-year counts and the totals (docs/domain.md "Compliance across years")."""
    check_range(first_be, last_be)
    years, plans = [], []
    totals = YearCounts(None)
    for year in range(first_be, last_be + 1):
        rows = scoped_reads.compliance_in_scope(session, actor, fiscal_year_be=year, clock=clock)
        counts = YearCounts(year)
        for row in rows:
            counts.add(row)
            totals.add(row)
        years.append(counts)
        plans.extend(rows)
    return ComplianceYears(first_be, last_be, years, totals, plans, _titles(session, plans))


def _titles(session: Session, plans: list[PlanCompliance]) -> dict[int, str]:
    ids = [p.plan_id for p in plans]
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):  # bounded IN lists
        chunk = ids[start : start + 500]
        for plan_id, title in session.exec(
            select(Plan.id, Plan.title).where(col(Plan.id).in_(chunk))
        ):
            found[plan_id or 0] = title or ""
    return found
