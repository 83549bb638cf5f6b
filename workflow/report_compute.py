"""The monitoring report's figures computed from the plan in force and the progress entries as
of a date (docs/domain.md "The report's figures"). Pure: the content and the entries in, the
figures out; nothing typed, nothing stored.

An item counts with its latest entry as of the date (the entry of greatest seq among those
whose as-of date is on or before it); an item without one is not started, with no money.
**An approved budget** (`approved`): an own project (clause 26 step 1: not an outside
agency's) whose funding source is one of the office's budget acts (`APPROVED_FUNDING`: the
annual or a supplementary ordinance, accumulated funds, a transfer, a specific subsidy, the
central fund) with a planned budget above zero; an equipment row with a budget above zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from models.enums import ItemKind, ProgressStatus
from workflow.content_model import Content, Equipment, FundingSource, Project
from workflow.report_values import (
    STATUSES,
    ZERO,
    ItemFigure,
    ReportFigures,
    StatusCount,
    Tally,
    percent,
)

APPROVED_FUNDING = frozenset(
    {
        FundingSource.ORDINANCE,
        FundingSource.SUPPLEMENTARY_ORDINANCE,
        FundingSource.ACCUMULATED_FUNDS,
        FundingSource.TRANSFER,
        FundingSource.SPECIFIC_SUBSIDY,
        FundingSource.CENTRAL_FUND,
    }
)
OVERALL_NAME = "รวมทั้งแผน"
EQUIPMENT_NAME = "ครุภัณฑ์ (ผด.02/1)"


def approved(row: Project | Equipment) -> bool:
    """Whether the item has an approved budget (this module's docstring)."""
    if isinstance(row, Equipment):
        return row.budget_baht > 0
    return row.own and row.funding in APPROVED_FUNDING and row.budget_baht > 0


def _figure(
    kind: ItemKind, row: Project | Equipment, group_id: str, name: str, entry: Any
) -> ItemFigure:
    if entry is None:
        status, committed, disbursed = ProgressStatus.NOT_STARTED, ZERO, ZERO
        as_of = started = finished = None
    else:
        status = ProgressStatus(entry["status"])
        committed = Decimal(entry["committed_baht"])
        disbursed = Decimal(entry["disbursed_baht"])
        as_of, started, finished = entry["as_of"], entry["started_on"], entry["finished_on"]
    return ItemFigure(
        kind=kind,
        id=row.id,
        group_id=group_id,
        number=row.number,
        name=name,
        unit=row.unit,
        approved=approved(row),
        planned_baht=row.budget_baht,
        status=status,
        committed_baht=committed,
        disbursed_baht=disbursed,
        entry_as_of=as_of,
        started_on=started,
        finished_on=finished,
    )


def tally(
    rows: Sequence[ItemFigure], *, name: str, id: str | None = None, number: int | None = None
) -> Tally:
    """The figures of a group of items: counts, both percentages, and the money."""
    items, kept = len(rows), [r for r in rows if r.approved]
    statuses = tuple(
        StatusCount(
            status=s,
            count=(n := sum(1 for r in rows if r.status is s)),
            of_all=percent(n, items),
            approved_count=(m := sum(1 for r in kept if r.status is s)),
            of_approved=percent(m, len(kept)),
        )
        for s in STATUSES
    )
    planned = sum((r.planned_baht for r in rows), ZERO)
    disbursed = sum((r.disbursed_baht for r in rows), ZERO)
    return Tally(
        id=id,
        name=name,
        number=number,
        items=items,
        approved=len(kept),
        statuses=statuses,
        planned_baht=planned,
        approved_planned_baht=sum((r.planned_baht for r in kept), ZERO),
        committed_baht=sum((r.committed_baht for r in rows), ZERO),
        disbursed_baht=disbursed,
        disbursed_of_planned=percent(disbursed, planned),
    )


def compute_figures(
    *,
    plan_id: int,
    chain_plan_id: int,
    fiscal_year_be: int,
    as_of: date,
    content: Content,
    entries: Mapping[str, Mapping[str, Any]],
) -> ReportFigures:
    """The figures of `content` given each item's latest entry as of `as_of` (by item id)."""
    projects = tuple(
        _figure(ItemKind.PROJECT, p, p.strategy_id, p.name, entries.get(p.id))
        for p in content.projects
    )
    equipment = tuple(
        _figure(ItemKind.EQUIPMENT, e, e.programme, f"{e.type}: {e.target}", entries.get(e.id))
        for e in content.equipment
    )
    strategies = tuple(
        tally([p for p in projects if p.group_id == s.id], name=s.name, id=s.id, number=s.number)
        for s in sorted(content.strategies, key=lambda s: s.number)
    )
    return ReportFigures(
        plan_id=plan_id,
        chain_plan_id=chain_plan_id,
        fiscal_year_be=fiscal_year_be,
        as_of=as_of,
        strategies=strategies,
        overall=tally(projects, name=OVERALL_NAME),
        equipment=tally(equipment, name=EQUIPMENT_NAME),
        projects=projects,
        equipment_items=equipment,
    )
