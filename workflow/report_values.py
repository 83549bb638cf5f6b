"""The monitoring report's figures as values (docs/domain.md "The report's figures"): a
count with its two percentages, a tally of a group (a ยุทธศาสตร์, the whole plan, the
equipment), one item's line, the whole, and the report's heading. Pure: no database.

A percentage is a Decimal rounded half-up to two places, or None when its denominator is zero;
`shown` prints None as "—" (never a division error)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from models.enums import ItemKind, ProgressStatus

ZERO = Decimal("0.00")
DASH = "—"
Round = Literal["half", "annual"]
STATUSES = (
    ProgressStatus.COMPLETED,
    ProgressStatus.IN_PROGRESS,
    ProgressStatus.NOT_STARTED,
    ProgressStatus.CANCELLED,
)


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """`part` as a percentage of `whole`, two places half-up; None of nothing."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def shown(value: Decimal | None) -> str:
    """A percentage as printed: "12.50", or "—" when its denominator is zero."""
    return DASH if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class ReportHeading:
    """What the report's heading says (the `report` subject fills it in)."""

    organization: str  # e.g. องค์การบริหารส่วนตำบลแหลมรัง
    fiscal_year_be: int
    round: Round  # "half": October–March; "annual": the whole year
    as_of: date
    plan_title: str


@dataclass(frozen=True)
class StatusCount:
    """How many items have a status: among all, and among those with an approved budget, each
    as a percentage of its own denominator."""

    status: ProgressStatus
    count: int
    of_all: Decimal | None
    approved_count: int
    of_approved: Decimal | None


@dataclass(frozen=True)
class Tally:
    """The figures of one group of items (a strategy, the whole plan, or the equipment)."""

    id: str | None  # the strategy's id; None for the whole and for equipment
    name: str
    number: int | None  # the strategy's number; None for the whole and for equipment
    items: int  # projects in the plan (or equipment rows)
    approved: int  # of which with an approved budget
    statuses: tuple[StatusCount, ...]  # in STATUSES order
    planned_baht: Decimal  # the plan's budget of every item of the group
    approved_planned_baht: Decimal  # the plan's budget of those with an approved budget
    committed_baht: Decimal  # ก่อหนี้ผูกพัน as of the date
    disbursed_baht: Decimal  # เบิกจ่ายแล้ว as of the date
    disbursed_of_planned: Decimal | None  # percentage of the planned budget disbursed

    def status(self, status: ProgressStatus) -> StatusCount:
        return next(s for s in self.statuses if s.status is status)


@dataclass(frozen=True)
class ItemFigure:
    """One project or equipment row as of the date: its status and money."""

    kind: ItemKind
    id: str
    group_id: str  # the strategy's id (a project) or the programme (equipment)
    number: int
    name: str
    unit: str
    approved: bool
    planned_baht: Decimal
    status: ProgressStatus
    committed_baht: Decimal
    disbursed_baht: Decimal
    entry_as_of: date | None  # the as-of date of the entry counted; None: no entry yet
    started_on: date | None
    finished_on: date | None


@dataclass(frozen=True)
class ReportFigures:
    """The report's figures of a plan in force as of a date."""

    plan_id: int  # the plan named
    chain_plan_id: int  # the annual plan that keeps the entries
    fiscal_year_be: int
    as_of: date
    strategies: tuple[Tally, ...]  # in printed order
    overall: Tally  # every project (equipment apart)
    equipment: Tally  # ผด.02/1, counted separately
    projects: tuple[ItemFigure, ...]
    equipment_items: tuple[ItemFigure, ...]

