"""The spreadsheet in and out of a plan (docs/domain.md "Spreadsheets"): what the API and the
CLI call. `read_for_import` parses the file against the draft (never writes; the caller
stores the result with `workflow.content.replace_content`), `export_plan` writes the plan's
content in the ผด. layouts. openpyxl is only in documents/workbook_*.py."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from documents.workbook_import import import_workbook
from documents.workbook_safety import Limits, WorkbookRefused
from documents.workbook_write import Heading, write_workbook
from models.organization import Organization
from models.plan import Plan
from models.store import table_of
from workflow.actors import Actor
from workflow.content import Draft, read_draft
from workflow.content_model import Content

__all__ = ["Heading", "Limits", "WorkbookRefused", "export_plan", "read_for_import"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLAN, ORGANIZATION = table_of(Plan), table_of(Organization)


def read_for_import(session: Session, *, plan_id: int, actor: Actor, data: bytes,
                    limits: Limits) -> tuple[Draft, Content]:  # fmt: skip
    """The draft as it is (NotFound unless visible) and the content the file holds, its ids
    kept from the draft; raises `WorkbookRefused` (422) with every problem."""
    draft = read_draft(session, plan_id=plan_id, actor=actor)
    return draft, import_workbook(data, current=draft.content, limits=limits)


def export_plan(session: Session, *, plan_id: int, actor: Actor) -> bytes:
    """The plan's content (its draft, or the version frozen at submission) as one .xlsx."""
    draft = read_draft(session, plan_id=plan_id, actor=actor)
    row = session.connection().execute(
        sa.select(PLAN.c.fiscal_year_be, ORGANIZATION.c.name)
        .join(ORGANIZATION, ORGANIZATION.c.id == PLAN.c.organization_id)
        .where(PLAN.c.id == plan_id)
    ).one()
    return write_workbook(draft.content, Heading(int(row.fiscal_year_be), str(row.name)))
