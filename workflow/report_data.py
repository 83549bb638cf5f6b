"""The report's figures for the surfaces before the report subject exists (docs/api.md
"Progress"; docs/domain.md "The report's figures"): read for a person who may see the plan,
with the heading its documents print, and as the JSON the API answers and `localplan report
figures --json` prints."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from models import store
from models.organization import Organization
from workflow.actors import Actor
from workflow.command_base import MAX_ID, not_found, sees
from workflow.errors import NotFound
from workflow.progress_rules import STATUS_LABELS
from workflow.report_figures import ItemFigure, ReportFigures, ReportHeading, Tally, report_figures
from workflow.report_values import Round, shown


def round_of(as_of: date, fiscal_year_be: int) -> Round:
    """The round a date closes: up to 31 March of the fiscal year the 6-month round, after it
    the annual round."""
    return "half" if as_of <= date(fiscal_year_be - 543, 3, 31) else "annual"


def visible_figures(
    session: Session, *, plan_id: int, actor: Actor, as_of: date, today: date
) -> tuple[ReportFigures, ReportHeading]:
    """The figures of a plan the actor may see (404 otherwise), and their heading."""
    plan = store.PLANS.row(session.connection(), plan_id) if 0 < plan_id <= MAX_ID else None
    if plan is None or not sees(actor, session, plan.organization_id):
        raise NotFound([not_found()])
    figures = report_figures(session, plan_id, as_of, today=today)
    org = session.get(Organization, plan.organization_id)
    heading = ReportHeading(
        organization="" if org is None else org.name,
        fiscal_year_be=plan.fiscal_year_be,
        round=round_of(as_of, plan.fiscal_year_be),
        as_of=as_of,
        plan_title=plan.title,
    )
    return figures, heading


def _baht(value: Decimal) -> str:
    return f"{value:.2f}"


def tally_data(t: Tally) -> dict[str, Any]:
    return {
        "id": t.id,
        "name": t.name,
        "number": t.number,
        "items": t.items,
        "approved": t.approved,
        "statuses": [
            {
                "status": c.status.value,
                "status_th": STATUS_LABELS[c.status][0],
                "count": c.count,
                "percent_of_all": shown(c.of_all),
                "approved_count": c.approved_count,
                "percent_of_approved": shown(c.of_approved),
            }
            for c in t.statuses
        ],
        "planned_baht": _baht(t.planned_baht),
        "approved_planned_baht": _baht(t.approved_planned_baht),
        "committed_baht": _baht(t.committed_baht),
        "disbursed_baht": _baht(t.disbursed_baht),
        "disbursed_percent_of_planned": shown(t.disbursed_of_planned),
    }


def item_data(i: ItemFigure) -> dict[str, Any]:
    return {
        "kind": i.kind.value,
        "id": i.id,
        "group": i.group_id,
        "number": i.number,
        "name": i.name,
        "unit": i.unit,
        "approved": i.approved,
        "planned_baht": _baht(i.planned_baht),
        "status": i.status.value,
        "status_th": STATUS_LABELS[i.status][0],
        "committed_baht": _baht(i.committed_baht),
        "disbursed_baht": _baht(i.disbursed_baht),
        "entry_as_of": None if i.entry_as_of is None else i.entry_as_of.isoformat(),
    }


def figures_data(f: ReportFigures, heading: ReportHeading) -> dict[str, Any]:
    """The figures as JSON-ready data (percentages as text: "12.50", or "—" of nothing)."""
    return {
        "plan_id": f.plan_id,
        "chain_plan_id": f.chain_plan_id,
        "organization": heading.organization,
        "fiscal_year_be": f.fiscal_year_be,
        "round": heading.round,
        "as_of": f.as_of.isoformat(),
        "overall": tally_data(f.overall),
        "strategies": [tally_data(s) for s in f.strategies],
        "equipment": tally_data(f.equipment),
        "projects": [item_data(p) for p in f.projects],
        "equipment_items": [item_data(e) for e in f.equipment_items],
    }
