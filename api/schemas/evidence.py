"""Evidence over HTTP: what an entry reads as (docs/api.md "Evidence")."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from models.enums import Role
from models.evidence import Evidence, EvidenceKind
from workflow.checklist import Checklist
from workflow.evidence_rules import Requirement

FILE_PATH = "/api/v1/evidence/"


class EvidenceRead(BaseModel):
    id: int
    plan_id: int
    record_id: int
    kind: EvidenceKind
    place: str | None
    url: str | None
    media_type: str
    sha256: str
    size: int
    public_sha256: str | None
    public_size: int | None
    attached_at: datetime
    late: bool
    actor_username: str
    actor_role: Role
    href: str
    public_href: str | None

    @classmethod
    def of(cls, e: Evidence) -> EvidenceRead:
        assert e.id is not None
        return cls(
            id=e.id,
            plan_id=e.plan_id,
            record_id=e.record_id,
            kind=e.kind,
            place=e.place,
            url=e.url,
            media_type=e.media_type,
            sha256=e.sha256,
            size=e.size,
            public_sha256=e.public_sha256,
            public_size=e.public_size,
            attached_at=e.attached_at,
            late=e.late,
            actor_username=e.actor_username,
            actor_role=e.actor_role,
            href=FILE_PATH + e.sha256,
            public_href=None if e.public_sha256 is None else FILE_PATH + e.public_sha256,
        )


class ChecklistItem(BaseModel):
    code: str
    th: str
    en: str
    status: Literal["ok", "missing", "failed", "not_yet", "late"]
    evidence: list[int]  # the evidence entries' ids
    note: str


class ChecklistPlan(BaseModel):
    plan_id: int
    kind: str
    number: int
    state: str
    items: list[ChecklistItem]


class ChecklistRead(BaseModel):
    organization_code: str
    organization_name: str
    fiscal_year_be: int
    requirement: Requirement
    plans: list[ChecklistPlan]

    @classmethod
    def of(cls, found: Checklist) -> ChecklistRead:
        return cls(
            organization_code=found.organization_code,
            organization_name=found.organization_name,
            fiscal_year_be=found.fiscal_year_be,
            requirement=found.requirement,
            plans=[ChecklistPlan.model_validate(p) for p in found.plans],
        )
