"""The monitoring report's figures of a plan in force as of a date (docs/domain.md "The
report's figures"): `report_figures` reads the plan in force and each item's latest progress
entry as of the date, in one statement for the entries, and hands them to the pure
`report_compute.compute_figures`.

It takes no actor: the surfaces check that the person may see the plan before calling it (the
`report` subject calls it for the report's own plan). The as-of date is refused outside the
plan's fiscal year (`as_of_outside_fiscal_year`) and, when `today` is given, after today
(`progress_as_of_future`): 422 on every surface.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlmodel import Session

from models import store
from models.organization import Organization
from models.progress import ProgressEntry
from models.store import table_of
from workflow.actors import SYSTEM
from workflow.as_of_rules import as_of_problem
from workflow.command_base import MAX_ID, not_found
from workflow.errors import Conflict, NotFound, ValidationFailed, reason
from workflow.in_force import read_in_force
from workflow.report_compute import APPROVED_FUNDING, approved, compute_figures, tally
from workflow.report_values import (
    ItemFigure,
    ReportFigures,
    ReportHeading,
    StatusCount,
    Tally,
    percent,
    shown,
)
from workflow.table import PROGRESS_STATES, STATE_LABELS

ENTRY = table_of(ProgressEntry)
__all__ = [
    "APPROVED_FUNDING",
    "ItemFigure",
    "ReportFigures",
    "ReportHeading",
    "StatusCount",
    "Tally",
    "approved",
    "compute_figures",
    "entries_as_of",
    "percent",
    "report_figures",
    "shown",
    "tally",
]


FIGURE_COLUMNS = (
    "item_id", "seq", "status", "committed_baht", "disbursed_baht", "as_of", "started_on",
    "finished_on",
)  # fmt: skip


def entries_as_of(
    conn: Connection, chain_plan_id: int, as_of: date, *, files: bool = False
) -> dict[str, dict[str, Any]]:
    """Each item's latest entry on the chain whose as-of date is on or before `as_of` (the
    greatest seq; as-of dates never go back per item), in one statement: the columns the
    figures read, and the files when asked."""
    last = (
        sa.select(ENTRY.c.item_id, sa.func.max(ENTRY.c.seq).label("seq"))
        .where(ENTRY.c.plan_id == chain_plan_id, ENTRY.c.as_of <= as_of)
        .group_by(ENTRY.c.item_id)
        .subquery()
    )
    columns = [ENTRY.c[name] for name in FIGURE_COLUMNS] + ([ENTRY.c.files] if files else [])
    query = sa.select(*columns).join(
        last, sa.and_(ENTRY.c.item_id == last.c.item_id, ENTRY.c.seq == last.c.seq)
    ).where(ENTRY.c.plan_id == chain_plan_id)
    return {row.item_id: dict(row._mapping) for row in conn.execute(query)}


def _refuse_as_of(as_of: date, fiscal_year_be: int, today: date | None) -> None:
    problem = as_of_problem(as_of, fiscal_year_be, today)
    if problem is not None:
        raise ValidationFailed([problem])


def report_figures(
    conn_or_session: Connection | Session, plan_id: int, as_of: date, *, today: date | None = None
) -> ReportFigures:
    """The figures of plan `plan_id` (any announced plan of the year: the plan in force) as of
    `as_of`. 404 for no such plan, 409 `progress_plan_not_in_force`, 422 for the date."""
    if isinstance(conn_or_session, Session):
        return _figures(conn_or_session, plan_id, as_of, today)
    with Session(bind=conn_or_session) as session:
        return _figures(session, plan_id, as_of, today)


def _figures(session: Session, plan_id: int, as_of: date, today: date | None) -> ReportFigures:
    conn = session.connection()
    plan = store.PLANS.row(conn, plan_id) if 0 < plan_id <= MAX_ID else None
    if plan is None:
        raise NotFound([not_found()])
    if plan.state not in PROGRESS_STATES:
        th = STATE_LABELS[plan.state][0]
        raise Conflict(
            [
                reason(
                    "progress_plan_not_in_force",
                    f"ตัวเลขรายงานมีเฉพาะแผนที่ประกาศใช้แล้ว (แผนนี้อยู่ในสถานะ{th})",
                    f"figures exist only for a plan in force (this plan is {plan.state.value})",
                )
            ]
        )
    _refuse_as_of(as_of, plan.fiscal_year_be, today)
    org = session.get(Organization, plan.organization_id)
    assert org is not None
    _, in_force = read_in_force(
        session, organization_code=org.code, fiscal_year_be=plan.fiscal_year_be, actor=SYSTEM
    )
    chain = in_force.sources[0].plan_id
    return compute_figures(
        plan_id=plan.id,
        chain_plan_id=chain,
        fiscal_year_be=plan.fiscal_year_be,
        as_of=as_of,
        content=in_force.content,
        entries=entries_as_of(conn, chain, as_of),
    )
