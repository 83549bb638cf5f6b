"""A plan's content as a spreadsheet (import, export) and its likely duplicates
(docs/api.md "Spreadsheets and duplicates"; docs/domain.md "Spreadsheets", "Duplicates")."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import File, Form, Path, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import CurrentPrincipal, Services, ServicesDep
from api.routes.common import READ, WRITE
from api.routing import Routes
from models.db import read_session

router = Routes(prefix="/plans", tags=["content"])
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the plan's id")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportRead(BaseModel):
    """The draft after the import: its new revision and content hash, and what it holds."""

    plan_id: int
    revision: int
    sha256: str
    strategies: int
    projects: int
    equipment: int

    @classmethod
    def of(cls, draft: Any) -> ImportRead:
        c = draft.content
        return cls(
            plan_id=draft.plan_id, revision=draft.revision, sha256=draft.sha256,
            strategies=len(c.strategies), projects=len(c.projects), equipment=len(c.equipment),
        )  # fmt: skip


class ProjectSide(BaseModel):
    plan_id: int
    plan: str
    project_id: str
    name: str
    own: bool


class Why(BaseModel):
    th: str
    en: str


class DuplicateRead(BaseModel):
    """A likely duplicate: both projects, the score (0–100) and why. Never blocking."""

    a: ProjectSide
    b: ProjectSide
    scope: str = Field(description="within_plan, own_and_outside or across_plans")
    score: int = Field(ge=0, le=100)
    why: Why


def _limits(services: Services) -> Any:
    from documents.workbook import Limits

    cfg = services.settings
    return Limits(max_bytes=cfg.workbook_max_bytes, max_rows=cfg.workbook_max_rows)


async def _body(file: UploadFile, max_bytes: int) -> bytes:
    # One byte beyond the limit is enough to refuse it as too large, without reading it all.
    return await file.read(max_bytes + 1)


@router.post("/{plan_id}/content/import", response_model=ImportRead, responses=WRITE)
async def import_xlsx(
    plan_id: PlanId,
    file: Annotated[UploadFile, File(description="the .xlsx (ผด.02 / ผด.02/1 sheets)")],
    who: CurrentPrincipal,
    services: ServicesDep,
    expected_revision: Annotated[int | None, Form(ge=0, le=2**31 - 1)] = None,
) -> ImportRead:
    """Replace the draft's content with the file's, all or nothing; ids of projects it
    recognizes are kept. 422 `workbook_invalid` lists every problem with its sheet, row and
    column."""
    from documents.workbook import read_for_import
    from workflow.content import replace_content

    limits = _limits(services)
    data = await _body(file, limits.max_bytes)

    def parse() -> Any:
        with read_session(services.engine) as session:
            return read_for_import(
                session, plan_id=plan_id, actor=who.actor, data=data, limits=limits
            )

    draft, content = await run_in_threadpool(parse)
    revision = draft.revision if expected_revision is None else expected_revision
    source = f"xlsx: {file.filename or 'upload'}"
    new = await services.run(
        lambda s: replace_content(
            s,
            services.ctx,
            plan_id=plan_id,
            actor=who.actor,
            expected_revision=revision,
            content=content,
            source=source,
        )
    )
    return ImportRead.of(new)


@router.get(
    "/{plan_id}/export.xlsx",
    response_class=Response,
    responses={**READ, 200: {"content": {XLSX: {}}, "description": "the plan as .xlsx"}},
)
def export_xlsx(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> Response:
    """The plan's content in the ผด.01, ผด.02 and ผด.02/1 layouts, plus the sheet of what they
    have no column for; importing it back gives the same content hash."""
    from documents.workbook import export_plan

    with read_session(services.engine) as session:
        data = export_plan(session, plan_id=plan_id, actor=who.actor)
    name = f"plan-{plan_id}.xlsx"
    return Response(data, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/{plan_id}/duplicates", response_model=list[DuplicateRead], responses=READ)
def duplicates(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> list[Any]:
    """Likely duplicated projects within the plan, between the office's and outside
    agencies' projects, and with the organization's other plans of the same fiscal year."""
    from workflow.duplicates import flag_data
    from workflow.duplicates_scan import list_duplicates

    with read_session(services.engine) as session:
        return [flag_data(f) for f in list_duplicates(session, plan_id=plan_id, actor=who.actor)]
