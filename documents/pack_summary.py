"""The compliance summary of an audit pack's plans (docs/domain.md "The audit pack"): the
compliance rows (workflow.queries), the assessors' checklist (workflow.checklist) and the Thai
PDF made from both (documents/pdf_compliance.py), which prints the SHA-256 of the two JSON
files so a pack's checker can tie it to them.

    compliance.json    per plan, each clock's start, due, completion and status
    checklist.json     per fiscal year, the checklist of the pack's plans
    compliance.pdf     the same in Thai, dates in B.E.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlmodel import Session

from models.clock import Clock
from models.organization import Organization
from models.plan import Plan
from workflow import queries
from workflow.checklist import as_data, checklist_of
from workflow.errors import NotFound, reason
from workflow.evidence_rules import Requirement
from workflow.log import _plain

COMPLIANCE, CHECKLIST, PDF = "compliance.json", "checklist.json", "compliance.pdf"


def jsonb(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def fingerprint(compliance: bytes, checklist: bytes) -> str:
    """What the PDF prints of the JSON it was made from (verify-pack looks for it)."""
    return (
        f"compliance.json {hashlib.sha256(compliance).hexdigest()} "
        f"checklist.json {hashlib.sha256(checklist).hexdigest()}"
    )


def _rows(session: Session, plans: Sequence[Plan], clock: Clock) -> list[queries.PlanCompliance]:
    wanted = {p.id for p in plans}
    orgs = sorted({p.organization_id for p in plans})
    return [
        row
        for year in sorted({p.fiscal_year_be for p in plans})
        for row in queries.compliance(
            session, fiscal_year_be=year, clock=clock, organization_ids=orgs
        )
        if row.plan_id in wanted
    ]


def summary_files(
    session: Session, *, plans: Sequence[Plan], clock: Clock, requirement: Requirement
) -> dict[str, bytes]:
    """compliance.json, and for a pack with plans checklist.json and compliance.pdf."""
    rows = _rows(session, plans, clock)
    compliance = jsonb([_plain(asdict(row)) for row in rows])
    org = session.get(Organization, plans[0].organization_id) if plans else None
    if org is None:
        return {COMPLIANCE: compliance}
    wanted = {p.id or 0 for p in plans}
    lists = [
        as_data(
            checklist_of(
                session,
                org,
                fiscal_year_be=year,
                clock=clock,
                requirement=requirement,
                plan_ids=wanted,
            )
        )
        for year in sorted({p.fiscal_year_be for p in plans})
    ]
    checklist = jsonb(lists)
    from documents.pdf_compliance import plan_views, summary_pdf

    items = {p["plan_id"]: p["items"] for found in lists for p in found["plans"]}
    pdf = summary_pdf(
        organization=org.name,
        code=org.code,
        fiscal_years=sorted({p.fiscal_year_be for p in plans}),
        requirement=requirement.value,
        plans=plan_views(rows, items, {p.id or 0: p.title for p in plans}),
        made_at=clock.now(),
        fingerprint=fingerprint(compliance, checklist),
    )
    return {COMPLIANCE: compliance, CHECKLIST: checklist, PDF: pdf}


def summary_pdf_of(
    session: Session, *, plans: Sequence[Plan], clock: Clock, requirement: Requirement
) -> bytes:
    """The compliance summary's PDF alone (what an auditor downloads beside the pack)."""
    if not plans:
        raise NotFound(
            [reason("plans_not_found", "ไม่มีแผนขององค์กรในปีงบประมาณนี้", "no plans in that year")]
        )
    return summary_files(session, plans=plans, clock=clock, requirement=requirement)[PDF]
