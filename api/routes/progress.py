"""Progress of the plan in force (docs/api.md "Progress"; docs/domain.md "Progress"): the sheet
read, one item recorded, an item's history, and the sheet as .xlsx out and back in."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Body, File, Form, Path, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import CurrentPrincipal, Services, ServicesDep
from api.routes.common import READ, WRITE, problems
from api.routing import Routes
from api.schemas.rules import Version
from models.db import read_session
from workflow import progress
from workflow.progress_rules import NOTE_MAX, STATUS_LABELS, ProgressStatus

router = Routes(prefix="/plans", tags=["progress"], responses=problems(404, 422))
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the plan's id")]
ItemId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z._-]+$")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Text = Annotated[str | None, Field(default=None, max_length=40)]
Amount = Annotated[str, Field(max_length=40)]
StatusIn = Literal[
    "not_started",
    "in_progress",
    "completed",
    "cancelled",
    "ยังไม่ได้ดำเนินการ",
    "อยู่ระหว่างดำเนินการ",
    "แล้วเสร็จ",
    "ยกเลิก",
]


class ProgressBody(BaseModel):
    """One item's progress. Amounts in baht as text or number; dates วว/ดด/ปปปป (พ.ศ.) or
    ISO; the as-of date defaults to today. The core's rules decide (422 names each field)."""

    item_id: str = Field(min_length=1, max_length=64)
    status: StatusIn = Field(description="a code or its Thai label")
    committed_baht: Amount | float | None = None
    disbursed_baht: Amount | float | None = None
    started_on: Text = None
    finished_on: Text = None
    as_of: Text = None
    note: str | None = Field(default=None, max_length=NOTE_MAX)
    expected_entry: Version | None = Field(
        default=None,
        ge=0,
        le=2**31 - 1,
        description="the seq of the item's latest entry you saw (0: none); a newer one is "
        "409 `stale_version` naming the current entry. Omitted: not checked",
    )


EXAMPLES: dict[str, Any] = {
    "in progress": {
        "value": {
            "item_id": "4d10d7fa78815fd9f34cc48258af972b",
            "status": "อยู่ระหว่างดำเนินการ",
            "committed_baht": "400,000",
            "disbursed_baht": "120000",
            "started_on": "01/11/2561",
            "as_of": "31/03/2562",
            "note": "ส่งงานงวดที่ 1 แล้ว",
            "expected_entry": 0,
        }
    },
}


class FileRead(BaseModel):
    sha256: str
    media_type: str
    size: int
    name: str | None = None


class EntryRead(BaseModel):
    id: int
    seq: int
    item_kind: str
    item_id: str
    status: ProgressStatus
    status_th: str
    committed_baht: str
    disbursed_baht: str
    started_on: date | None
    finished_on: date | None
    as_of: date
    note: str | None
    files: list[FileRead]
    source: str | None
    actor_username: str
    recorded_at: datetime
    hash: str

    @classmethod
    def of(cls, row: Any) -> EntryRead:
        status = ProgressStatus(row["status"])
        data = {k: row[k] for k in cls.model_fields if k in row}
        return cls(
            **{
                **data,
                "status": status,
                "status_th": STATUS_LABELS[status][0],
                "item_kind": str(row["item_kind"]),
                "files": row["files"] or [],
                "committed_baht": f"{row['committed_baht']:.2f}",
                "disbursed_baht": f"{row['disbursed_baht']:.2f}",
            }
        )


class ItemRead(BaseModel):
    kind: str
    id: str
    name: str
    group: str
    planned_baht: str
    latest: EntryRead | None


class SheetRead(BaseModel):
    plan_id: int
    chain_plan_id: int = Field(description="the annual plan in force, which keeps the entries")
    fiscal_year_be: int
    items: list[ItemRead]

    @classmethod
    def of(cls, sheet: progress.Sheet) -> SheetRead:
        return cls(
            plan_id=sheet.plan_id,
            chain_plan_id=sheet.chain_plan_id,
            fiscal_year_be=sheet.fiscal_year_be,
            items=[
                ItemRead(
                    kind=i.kind.value,
                    id=i.id,
                    name=i.name,
                    group=i.group,
                    planned_baht=f"{i.planned_baht:.2f}",
                    latest=None if i.latest is None else EntryRead.of(i.latest),
                )
                for i in sheet.items
            ],
        )


class Warning(BaseModel):
    code: str
    th: str
    en: str


class RecordedRead(BaseModel):
    entry: EntryRead
    warnings: list[Warning]


class ImportedRead(BaseModel):
    recorded: int = Field(description="entries written (rows equal to the latest write none)")
    warnings: list[dict[str, Any]]


@router.get("/{plan_id}/progress", response_model=SheetRead, responses={**READ, **problems(409)})
def read(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> SheetRead:
    """Every project and equipment row of the plan in force with its latest progress; 409
    `conflict` (`progress_plan_not_in_force`) for a plan not yet announced or withdrawn."""
    with read_session(services.engine) as session:
        return SheetRead.of(progress.read_sheet(session, plan_id=plan_id, actor=who.actor))


@router.post("/{plan_id}/progress", response_model=RecordedRead, status_code=201, responses=WRITE)
async def record(
    plan_id: PlanId,
    body: Annotated[ProgressBody, Body(openapi_examples=EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> RecordedRead:
    """Record one item's progress as of a date (staff of the plan's organization). 201 with
    the entry and any warning (an amount above the planned budget is allowed, and said)."""
    data = body.model_dump(exclude={"item_id", "expected_entry"})
    done = await services.run(
        lambda s: progress.record(
            s,
            services.ctx,
            plan_id=plan_id,
            actor=who.actor,
            item_id=body.item_id,
            data=data,
            expected_entry=body.expected_entry,
        )
    )
    return RecordedRead(
        entry=EntryRead.of(done.entry), warnings=[Warning(**w.as_dict()) for w in done.warnings]
    )


FormText = Annotated[str | None, Form(max_length=40)]


@router.post(
    "/{plan_id}/progress/with-files", response_model=RecordedRead, status_code=201, responses=WRITE
)
async def record_with_files(
    plan_id: PlanId,
    who: CurrentPrincipal,
    services: ServicesDep,
    item_id: Annotated[str, Form(min_length=1, max_length=64)],
    status: Annotated[StatusIn, Form()],
    file: Annotated[list[UploadFile], File(description="photos or PDFs")],
    committed_baht: FormText = None,
    disbursed_baht: FormText = None,
    started_on: FormText = None,
    finished_on: FormText = None,
    as_of: FormText = None,
    note: Annotated[str | None, Form(max_length=NOTE_MAX)] = None,
    expected_entry: Annotated[int | None, Form(ge=0, le=2**31 - 1)] = None,
) -> RecordedRead:
    """The same as `POST …/progress`, as multipart/form-data carrying photos or documents
    (PDF, JPEG, PNG, checked by their first bytes) into the evidence store."""
    from api.evidence_config import attaching

    how = attaching(services.settings)
    files = [progress.File(await f.read(how.max_bytes + 1), f.filename) for f in file]
    data = {
        "status": status,
        "committed_baht": committed_baht,
        "disbursed_baht": disbursed_baht,
        "started_on": started_on,
        "finished_on": finished_on,
        "as_of": as_of,
        "note": note,
    }
    done = await services.run(
        lambda s: progress.record(
            s,
            services.ctx,
            plan_id=plan_id,
            actor=who.actor,
            item_id=item_id,
            data=data,
            files=files,
            blobs=how.store,
            max_bytes=how.max_bytes,
            public_copy=how.public_copy,
            expected_entry=expected_entry,
        )
    )
    return RecordedRead(
        entry=EntryRead.of(done.entry), warnings=[Warning(**w.as_dict()) for w in done.warnings]
    )


@router.get(
    "/{plan_id}/progress/items/{item_id}",
    response_model=list[EntryRead],
    responses={**READ, **problems(409)},
)
def item_history(
    plan_id: PlanId, item_id: ItemId, who: CurrentPrincipal, services: ServicesDep
) -> list[EntryRead]:
    """Every entry of one item, oldest first."""
    with read_session(services.engine) as session:
        rows = progress.history(session, plan_id=plan_id, actor=who.actor, item_id=item_id)
    return [EntryRead.of(r) for r in rows]


@router.get(
    "/{plan_id}/progress/export.xlsx",
    response_class=Response,
    responses={**READ, **problems(409), 200: {"content": {XLSX: {}}, "description": "the sheet"}},
)
def export_xlsx(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> Response:
    """The progress sheet: one row per project and equipment row, with its id, name, planned
    budget and latest progress; fill it in and import it back."""
    from documents.workbook_progress import export_progress

    with read_session(services.engine) as session:
        data = export_progress(session, plan_id=plan_id, actor=who.actor)
    name = f"progress-{plan_id}.xlsx"
    return Response(
        data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _limits(services: Services) -> Any:
    from documents.workbook_safety import Limits

    cfg = services.settings
    return Limits(max_bytes=cfg.workbook_max_bytes, max_rows=cfg.workbook_max_rows)


@router.post("/{plan_id}/progress/import", response_model=ImportedRead, responses=WRITE)
async def import_xlsx(
    plan_id: PlanId,
    file: Annotated[UploadFile, File(description="the progress sheet (.xlsx), filled in")],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> ImportedRead:
    """Record every filled row, all or nothing: 422 `workbook_invalid` lists every problem
    with its sheet, row and column, and nothing is written while any exists."""
    from documents.workbook_progress import read_progress

    limits = _limits(services)
    data = await file.read(limits.max_bytes + 1)
    lines = await run_in_threadpool(lambda: read_progress(data, limits=limits))
    source = f"xlsx: {file.filename or 'upload'}"
    done = await services.run(
        lambda s: progress.record_batch(
            s, services.ctx, plan_id=plan_id, actor=who.actor, lines=lines, source=source
        )
    )
    warned = [{**w.as_dict(), "item_id": r.entry["item_id"]} for r in done for w in r.warnings]
    return ImportedRead(recorded=len(done), warnings=warned)
