"""Progress for citizens (docs/domain.md "Public progress"): for a plan on the public board
(posted, or its posting complete), each project and equipment row with its status, the
budget planned, committed and disbursed, and the as-of date of its latest entry, with the
public copies of its photos. The figures are the report's (`workflow.report_figures`) as of
today, held to the plan's fiscal year; nobody signs in, so nothing else is shown (no note,
no name of who recorded it)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from models import store
from models.enums import PlanState
from models.organization import Organization
from models.progress import ProgressEntry
from models.store import table_of
from workflow.as_of_rules import fiscal_year_bounds
from workflow.command_base import MAX_ID
from workflow.errors import NotFound, reason
from workflow.progress_files import holds_public, public_files
from workflow.report_data import item_data, tally_data
from workflow.report_figures import entries_as_of, report_figures

PUBLIC_STATES = (PlanState.POSTED, PlanState.POSTING_COMPLETE)
ENTRY = table_of(ProgressEntry)


def _not_public() -> NotFound:
    return NotFound(
        [
            reason(
                "progress_not_public",
                "ไม่พบความก้าวหน้าของแผนนี้บนกระดานประกาศ (แผนยังไม่ได้ปิดประกาศ)",
                "no public progress for this plan (it is not on the public board)",
            )
        ]
    )


def _public_plan(session: Session, plan_id: int) -> store.PlanRow:
    plan = store.PLANS.row(session.connection(), plan_id) if 0 < plan_id <= MAX_ID else None
    if plan is None or plan.state not in PUBLIC_STATES:
        raise _not_public()
    return plan


def public_day(fiscal_year_be: int, today: date) -> date:
    """Today, held to the fiscal year (before it: its first day; after it: its last)."""
    first, last = fiscal_year_bounds(fiscal_year_be)
    return min(max(today, first), last)


def public_progress(session: Session, *, plan_id: int, today: date) -> dict[str, Any]:
    """The public progress of a posted plan (404 `progress_not_public` otherwise)."""
    plan = _public_plan(session, plan_id)
    day = public_day(plan.fiscal_year_be, today)
    figures = report_figures(session, plan_id, day)
    entries = entries_as_of(session.connection(), figures.chain_plan_id, day, files=True)
    org = session.get(Organization, plan.organization_id)
    names = {s.id: s.name for s in figures.strategies}

    def item(i: Any) -> dict[str, Any]:
        shown = item_data(i)
        shown["strategy"] = names.get(i.group_id) if i.kind.value == "project" else None
        shown["files"] = [
            {**f, "url": f"/board/plans/{plan_id}/progress/files/{f['sha256']}"}
            for f in public_files(entries.get(i.id, {}))
        ]
        return shown

    return {
        "plan_id": plan_id,
        "title": plan.title,
        "organization": None if org is None else org.name,
        "organization_code": None if org is None else org.code,
        "fiscal_year_be": plan.fiscal_year_be,
        "as_of": day.isoformat(),
        "overall": tally_data(figures.overall),
        "equipment": tally_data(figures.equipment),
        "projects": [item(p) for p in figures.projects],
        "equipment_items": [item(e) for e in figures.equipment_items],
    }


def public_progress_file(session: Session, *, plan_id: int, sha256: str) -> str | None:
    """The media type of a public copy an entry of the posted plan's chain names, or None."""
    plan = _public_plan(session, plan_id)
    day = public_day(plan.fiscal_year_be, date.max)
    chain = report_figures(session, plan_id, day).chain_plan_id
    rows = session.connection().execute(
        sa.select(ENTRY.c.files).where(ENTRY.c.plan_id == chain)
    )
    return holds_public(({"files": r.files} for r in rows), sha256)
