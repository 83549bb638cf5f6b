"""The plan in force as open data, without sign-in (docs/domain.md "The plan in force"):
`GET /api/v1/plans/in-force?organization=CODE&fiscal_year=YYYY[&format=json|csv]`.

Included before the plans router, so `/plans/in-force` is never read as `/plans/{id}`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from api.csv_export import csv_response
from api.deps import CurrentPrincipal, ServicesDep
from api.routes.common import WRITE, problems
from api.routing import Routes
from models.db import read_session
from models.organization import Organization
from workflow import input_rules as rules
from workflow.actors import SYSTEM
from workflow.content_copy import copy_from_previous
from workflow.content_model import (
    FUNDING_LABELS,
    MONTH_ABBR,
    OWNERSHIP_LABELS,
    content_hash,
    equipment_data,
    project_data,
)
from workflow.in_force import InForce, Source, read_in_force
from workflow.summary import summarize, summary_data

router = Routes(prefix="/plans", tags=["plans"], responses=problems(404, 422))
KIND_TH = {"annual": "แผนการดำเนินงาน", "supplementary": "แผนเพิ่มเติม", "amendment": "แผนแก้ไข"}
CSV_COLUMNS = (
    "รหัสโครงการ", "ยุทธศาสตร์", "แผนงาน", "ที่", "โครงการ", "รายละเอียดของกิจกรรม",
    "งบประมาณ (บาท)", "สถานที่ดำเนินการ", "หมู่ที่", "หน่วยงานรับผิดชอบหลัก",
    "เดือนที่ดำเนินการ", "แหล่งงบประมาณ", "ประเภทโครงการ", "มาจากแผน", "เหตุผลการแก้ไข",
)  # fmt: skip
OrgCode = Annotated[
    str,
    Query(
        alias="organization",
        min_length=1,
        max_length=rules.CODE_MAX,
        pattern=r"^[0-9A-Za-z._-]+$",
        description="the organization's code",
    ),
]
Year = Annotated[
    int,
    Query(
        alias="fiscal_year",
        ge=rules.FISCAL_YEAR_MIN_BE,
        le=rules.FISCAL_YEAR_MAX_BE,
        description="Buddhist-Era fiscal year",
    ),
]
Format = Annotated[Literal["json", "csv"], Query(alias="format")]


def source_name(source: Source) -> str:
    """'แผนเพิ่มเติม ครั้งที่ 1 (แผน 12)': the plan a row comes from, as a reader names it."""
    return f"{KIND_TH[source.kind.value]} ครั้งที่ {source.number} (แผน {source.plan_id})"


def _source_data(source: Source) -> dict[str, Any]:
    return {
        "plan_id": source.plan_id,
        "kind": source.kind.value,
        "number": source.number,
        "title": source.title,
        "announced_on": source.announced_on.isoformat() if source.announced_on else None,
        "content_version": source.version,
        "content_sha256": source.sha256,
    }


def in_force_data(org: Organization, fiscal_year_be: int, result: InForce) -> dict[str, Any]:
    """The JSON body: the plans it is made of, every project with its strategy's name and its
    origin, the equipment, and ผด.01 of the whole."""
    content = result.content
    names = {s.id: s.name for s in content.strategies}
    projects = []
    for project in content.projects:
        origin = result.origins[project.id]
        projects.append(
            {
                **project_data(project),
                "strategy": names[project.strategy_id],
                "source_plan_id": origin.source.plan_id,
                "change_reason": origin.reason,
            }
        )
    return {
        "organization": {"code": org.code, "name": org.name},
        "fiscal_year": fiscal_year_be,
        "plans": [_source_data(s) for s in result.sources],
        "strategies": [
            {"id": s.id, "number": s.number, "name": s.name} for s in content.strategies
        ],
        "projects": projects,
        "equipment": [equipment_data(e) for e in content.equipment],
        "summary": summary_data(summarize(content)),
        "skipped_changes": [
            {"plan_id": s.source.plan_id, "kind": s.kind.value, "project_id": s.project_id}
            for s in result.skipped
        ],
    }


def csv_rows(result: InForce) -> list[list[str]]:
    """One row per project, in printed order (money with two decimals, no separators)."""
    names = {s.id: f"{s.number}. {s.name}" for s in result.content.strategies}
    rows = []
    for p in result.content.projects:
        origin = result.origins[p.id]
        funding = FUNDING_LABELS[p.funding] + (f" ({p.funding_note})" if p.funding_note else "")
        rows.append(
            [
                p.id, names[p.strategy_id], p.programme, str(p.number), p.name, p.activity,
                f"{p.budget_baht:.2f}", p.location, "" if p.village is None else str(p.village),
                p.unit, " ".join(MONTH_ABBR[m] for m in p.months), funding,
                OWNERSHIP_LABELS[p.ownership], source_name(origin.source), origin.reason or "",
            ]
        )  # fmt: skip
    return rows


@router.get("/in-force", responses={200: {"content": {"text/csv": {}}}})
def plan_in_force(
    services: ServicesDep, organization: OrgCode, fiscal_year: Year, format: Format = "json"
) -> Any:
    """The plan in force of an organization and fiscal year: the annual plan's announced
    content with every announced supplementary and amendment applied in order. Public."""
    with read_session(services.engine) as session:
        org, result = read_in_force(
            session, organization_code=organization, fiscal_year_be=fiscal_year, actor=SYSTEM
        )
    if format == "csv":
        name = f"plan-in-force-{org.code}-{fiscal_year}.csv"
        return csv_response(CSV_COLUMNS, csv_rows(result), filename=name)
    return in_force_data(org, fiscal_year, result)


class CopyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_revision: int = Field(ge=0, le=2**31 - 1, description="the draft's revision you saw")


class CopyRead(BaseModel):
    plan_id: int
    revision: int = Field(description="the draft's content revision after the copy")
    content_sha256: str
    projects: int
    equipment: int
    strategies: int


@router.post("/{plan_id}/content/copy-from-previous", response_model=CopyRead, responses=WRITE)
async def copy_previous(
    plan_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: Annotated[
        CopyRequest,
        Body(openapi_examples={"empty draft": {"value": {"expected_revision": 0}}}),
    ],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> CopyRead:
    """Start an empty annual draft from last year's plan in force (staff of the plan's
    organization; the draft's content revision named). Ids are kept (docs/domain.md)."""
    draft = await services.run(
        lambda s: copy_from_previous(
            s,
            services.ctx,
            plan_id=plan_id,
            actor=who.actor,
            expected_revision=body.expected_revision,
        )
    )
    content = draft.content
    return CopyRead(
        plan_id=plan_id,
        revision=draft.revision,
        content_sha256=content_hash(content),
        projects=len(content.projects),
        equipment=len(content.equipment),
        strategies=len(content.strategies),
    )
