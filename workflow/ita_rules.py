"""The rules that satisfy the transparency assessment's items (docs/domain.md "The transparency
checklist"), a registry keyed by the data files' `satisfied_by`.

Each rule is set-wise: it takes the organizations asked about and the item (its fiscal year,
its round) and answers for all of them in one statement, so a checklist across an auditor's
scope costs the same few statements for five organizations or five hundred. An organization
absent from a rule's answer has nothing that satisfies the item. A rule that cannot be
computed yet answers `satisfied=None` (the item's status is then `unknown`).

- `plan_posted_with_projects` (O11): the annual plan of the fiscal year is on the public
  board (posted, or its posting complete) and the plan has projects; satisfied by the board's
  plan page and its PDF.
- `progress_published_in_round` (O12): progress of that posted plan was recorded as of a
  date within the item's round; satisfied by the public progress page.
- `annual_result_posted` (O13): a monitoring report of round "annual" for the fiscal year is
  posted (`annual_results_posted`; see its docstring for what is still to wire).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from models.content import ContentProject
from models.enums import PlanKind, PlanState, ReportRound, ReportState
from models.plan import Plan
from models.progress import ProgressEntry
from models.report import MonitoringReport
from workflow.ita_data import ItaItem

ON_BOARD = (PlanState.POSTED, PlanState.POSTING_COMPLETE)  # what the public board shows


@dataclass(frozen=True)
class Found:
    """What a rule found for one organization: satisfied (True), not (False) or not
    computable yet (None); the public pages that show it; a short note (Thai / English)."""

    satisfied: bool | None
    links: tuple[str, ...] = ()
    note_th: str = ""
    note_en: str = ""
    plan_id: int | None = None


Rule = Callable[[Session, Collection[int], ItaItem], dict[int, Found]]
RULES: dict[str, Rule] = {}


def register(key: str) -> Callable[[Rule], Rule]:
    """Add a rule under `key` (the name a data file's `satisfied_by` uses)."""

    def add(rule: Rule) -> Rule:
        RULES[key] = rule
        return rule

    return add


def plan_page(plan_id: int) -> str:
    return f"/notices/{plan_id}/content"


def plan_pdf(plan_id: int) -> str:
    return f"/notices/{plan_id}/plan.pdf"


def progress_page(plan_id: int) -> str:
    return f"/board/plans/{plan_id}/progress"


def _annual_plans(organization_ids: Collection[int], fiscal_year: int) -> Any:
    """The annual plans of the year on the public board, newest last."""
    return (
        select(col(Plan.id), col(Plan.organization_id))
        .where(
            col(Plan.organization_id).in_(sorted(organization_ids)),
            col(Plan.fiscal_year_be) == fiscal_year,
            col(Plan.kind) == PlanKind.ANNUAL,
            col(Plan.state).in_(ON_BOARD),
        )
        .order_by(col(Plan.id))
    )


@register("plan_posted_with_projects")
def plan_posted_with_projects(
    session: Session, organization_ids: Collection[int], item: ItaItem
) -> dict[int, Found]:
    """O11: the annual plan of the item's fiscal year is on the board with its projects."""
    if not organization_ids:
        return {}
    projects = (
        select(func.count())
        .where(col(ContentProject.plan_id) == col(Plan.id))
        .correlate(Plan)
        .scalar_subquery()
    )
    query = _annual_plans(organization_ids, item.fiscal_year).add_columns(projects)
    out: dict[int, Found] = {}
    for plan_id, organization_id, count in session.execute(query).all():
        if count:
            out[organization_id] = Found(
                True, (plan_page(plan_id), plan_pdf(plan_id)), f"{count} โครงการ",
                f"{count} projects", plan_id,
            )  # fmt: skip
        elif organization_id not in out:
            out[organization_id] = Found(
                False, (plan_page(plan_id),), "แผนที่ปิดประกาศไม่มีโครงการ",
                "the posted plan has no projects", plan_id,
            )  # fmt: skip
    return out


@register("progress_published_in_round")
def progress_published_in_round(
    session: Session, organization_ids: Collection[int], item: ItaItem
) -> dict[int, Found]:
    """O12: progress of the posted annual plan as of a date within the item's round (the
    whole fiscal year when the item names no round)."""
    if not organization_ids:
        return {}
    start, end = _round(item)
    plans = _annual_plans(organization_ids, item.fiscal_year).subquery()
    query = (
        select(
            plans.c.id,
            plans.c.organization_id,
            func.max(ProgressEntry.as_of),
            func.count(sa.distinct(col(ProgressEntry.item_id))),
        )
        .join(ProgressEntry, col(ProgressEntry.plan_id) == plans.c.id)
        .where(col(ProgressEntry.as_of) >= start, col(ProgressEntry.as_of) <= end)
        .group_by(plans.c.id, plans.c.organization_id)
        .order_by(plans.c.id)
    )
    out: dict[int, Found] = {}
    for plan_id, organization_id, latest, items in session.execute(query).all():
        out[organization_id] = Found(
            True, (progress_page(plan_id),), f"{items} รายการ ณ วันที่ {latest}",
            f"{items} items as of {latest}", plan_id,
        )  # fmt: skip
    return out


def _round(item: ItaItem) -> tuple[date, date]:
    if item.round is not None:
        return item.round.start, item.round.end
    year_ce = item.fiscal_year - 543
    return date(year_ce - 1, 10, 1), date(year_ce, 9, 30)


def annual_results_posted(
    session: Session, organization_ids: Collection[int], fiscal_year: int
) -> dict[int, bool | None]:
    """Whether each organization's monitoring report of round "annual" for `fiscal_year` is
    posted (state posted or posting complete), in one statement; the report's id beside it
    (docs/domain.md "Monitoring reports"). Never None now that reports exist; the type keeps
    "not computable" for a rule whose data an installation lacks."""
    return {o: r is not None for o, r in annual_reports_posted(session, organization_ids,
                                                                fiscal_year).items()}


def annual_reports_posted(
    session: Session, organization_ids: Collection[int], fiscal_year: int
) -> dict[int, int | None]:
    """Each organization's posted annual report of `fiscal_year` (its id), or None."""
    if not organization_ids:
        return {}
    found = session.exec(
        select(MonitoringReport.organization_id, MonitoringReport.id).where(
            col(MonitoringReport.organization_id).in_(sorted(organization_ids)),
            MonitoringReport.fiscal_year_be == fiscal_year,
            MonitoringReport.round == ReportRound.ANNUAL,
            col(MonitoringReport.state).in_((ReportState.POSTED, ReportState.POSTING_COMPLETE)),
        )
    ).all()
    posted: dict[int, int | None] = dict(found)
    return {o: posted.get(o) for o in organization_ids}


def annual_result_posted(session: Session, organization_id: int, fiscal_year: int) -> bool | None:
    """One organization's answer of `annual_results_posted`."""
    return annual_results_posted(session, [organization_id], fiscal_year)[organization_id]


@register("annual_result_posted")
def annual_result_rule(
    session: Session, organization_ids: Collection[int], item: ItaItem
) -> dict[int, Found]:
    """O13: the annual monitoring report of the item's fiscal year is posted."""
    out: dict[int, Found] = {}
    for organization_id, report_id in annual_reports_posted(
        session, organization_ids, item.fiscal_year
    ).items():
        if report_id is not None:
            out[organization_id] = Found(True, (f"/board/reports/{report_id}",))
    return out
