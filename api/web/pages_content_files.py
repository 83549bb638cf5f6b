"""The draft page's spreadsheet buttons (docs/domain.md "Spreadsheets"): download the plan as
.xlsx, and upload one to replace the draft's content (all or nothing; every problem shown on
the page in Thai with its sheet, row and column)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.routing import Routes
from api.web import forms
from api.web.pages_content import content_page
from api.web.render import WebRoute, WebServices, Who, form_of
from models.db import read_session
from workflow.errors import DomainError

router = Routes(route_class=WebRoute, include_in_schema=False)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_FILE = ("กรุณาเลือกไฟล์ .xlsx", "choose an .xlsx file")


@router.get("/plans/{plan_id:int}/content/export.xlsx")
def export_xlsx(plan_id: PlanId, who: Who, services: WebServices) -> Response:
    from documents.workbook import export_plan

    with read_session(services.engine) as db:
        data = export_plan(db, plan_id=plan_id, actor=who.actor)
    disposition = f'attachment; filename="plan-{plan_id}.xlsx"'
    return Response(data, media_type=XLSX, headers={"Content-Disposition": disposition})


@router.post("/plans/{plan_id:int}/content/import")
async def import_xlsx(
    request: Request, plan_id: PlanId, who: Who, services: WebServices
) -> Response:
    try:
        return await _answer(request, plan_id, who, services)
    finally:
        await (await request.form()).close()  # the spooled upload


async def _answer(request: Request, plan_id: int, who: Any, services: Any) -> Response:
    values = await form_of(request)  # refuses a post without the CSRF token
    upload = (await request.form()).get("file")
    form = forms.FormState("import", values)
    if not isinstance(upload, UploadFile) or not upload.filename:
        form.add("", *NO_FILE)
        return content_page(request, services, who, plan_id, form=form, status=422)
    try:
        await _import(services, who, plan_id, upload, form)
    except DomainError as error:
        if error.code in ("not_found", "too_many_attempts"):
            raise
        for th, en in _messages(error):
            form.add("", th, en)
        return content_page(request, services, who, plan_id, form=form, status=422)
    return RedirectResponse(f"/plans/{plan_id}/content?saved=1", status_code=303)


async def _import(services: Any, who: Any, plan_id: int, upload: UploadFile,
                  form: forms.FormState) -> None:  # fmt: skip
    from documents.workbook import Limits, read_for_import
    from workflow.content import replace_content

    cfg = services.settings
    limits = Limits(max_bytes=cfg.workbook_max_bytes, max_rows=cfg.workbook_max_rows)
    data = await upload.read(limits.max_bytes + 1)

    def parse() -> Any:
        with read_session(services.engine) as db:
            return read_for_import(db, plan_id=plan_id, actor=who.actor, data=data,
                                   limits=limits)  # fmt: skip

    draft, content = await run_in_threadpool(parse)
    revision = forms.parse_int(form, "expected_revision", low=0, high=2**31 - 1)
    await services.run(
        lambda s: replace_content(
            s,
            services.ctx,
            plan_id=plan_id,
            actor=who.actor,
            expected_revision=draft.revision if revision is None else revision,
            content=content,
            source=f"xlsx: {upload.filename}",
        )
    )


def _messages(error: DomainError) -> list[tuple[str, str]]:
    """Each reason, with where in the file when it says so."""
    out = []
    for r in error.reasons:
        where = getattr(r, "sheet", "")
        row, column = getattr(r, "row", None), getattr(r, "column", None)
        th = " ".join(x for x in (where and f"แผ่นงาน {where}", row and f"แถว {row}",
                                  column and f"คอลัมน์ {column}") if x)  # fmt: skip
        en = " ".join(x for x in (where and f"sheet {where}", row and f"row {row}",
                                  column and f"column {column}") if x)  # fmt: skip
        out.append((f"{th}: {r.th}" if th else r.th, f"{en}: {r.en}" if en else r.en))
    return out
