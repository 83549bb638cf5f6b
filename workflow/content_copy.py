"""A new annual draft starts from last year's plan in force (docs/domain.md "The plan in
force", "Starting from last year's plan"): one command, through `replace_content`, so it is
one content edit with its history row like any other.

The projects, strategies and equipment keep their ids: the same id in two years' plans says
"carried over from last year", which is what tracing duplicates across years needs (ids are
unique within a plan, never across plans). An amendment's changes are not copied.
"""

from __future__ import annotations

from sqlmodel import Session

from models.enums import PlanKind, Role
from models.organization import Organization
from models.plan import Plan
from workflow.actors import Actor
from workflow.command_base import Context
from workflow.content import Draft, read_draft, replace_content
from workflow.content_core import open_draft
from workflow.errors import GuardRefused, NotFound, reason
from workflow.in_force import InForce, read_in_force


def _refused(code: str, th: str, en: str) -> GuardRefused:
    return GuardRefused([reason(code, th, en)])


def _source_note(code: str, year: int, result: InForce) -> str:
    plans = ", ".join(str(s.plan_id) for s in result.sources)
    return f"แผนที่ใช้บังคับ {code} ปี {year} (แผน {plans})"


def copy_from_previous(
    session: Session, ctx: Context, *, plan_id: int, actor: Actor, expected_revision: int
) -> Draft:
    """Replace an empty annual draft's content by the plan in force of the organization's
    previous fiscal year. Refused (409) when the draft already has projects or equipment, or
    the plan is not an annual plan; 404 when last year has no plan in force."""
    actor = actor.acting((Role.STAFF,))
    open_draft(session, plan_id=plan_id, actor=actor)  # staff of the office, a draft: first
    current = read_draft(session, plan_id=plan_id, actor=actor)
    plan = session.get(Plan, plan_id)
    assert plan is not None  # read_draft found it
    if plan.kind is not PlanKind.ANNUAL:
        raise _refused(
            "copy_annual_only",
            "เริ่มจากแผนที่ใช้บังคับของปีก่อนได้เฉพาะแผนการดำเนินงานประจำปี",
            "only an annual plan starts from last year's plan in force",
        )
    if current.content.projects or current.content.equipment:
        raise _refused(
            "content_not_empty",
            "ร่างนี้มีโครงการหรือครุภัณฑ์แล้ว คัดลอกจากปีก่อนได้เฉพาะร่างที่ยังว่าง",
            "the draft already has projects or equipment; only an empty draft is copied into",
        )
    org = session.get(Organization, plan.organization_id)
    if org is None:
        raise NotFound([reason("not_found", "ไม่พบหน่วยงาน", "no such organization")])
    year = plan.fiscal_year_be - 1
    _, result = read_in_force(session, organization_code=org.code, fiscal_year_be=year, actor=actor)
    return replace_content(
        session,
        ctx,
        plan_id=plan_id,
        actor=actor,
        expected_revision=expected_revision,
        content=result.content,
        source=_source_note(org.code, year, result),
    )
