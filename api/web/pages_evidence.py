"""Evidence on the web (docs/domain.md "Evidence"): the plan's gallery with the attach form (a
phone's camera uploads straight into it), its files for those who may see the plan, the
public board's copies, the assessors' checklist and the audit pack downloads."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api import auth
from api.deps import Services
from api.evidence_config import attaching
from api.routing import Routes
from api.web import forms, session
from api.web.render import WebRoute, WebServices, Who, csrf_refused, render
from models.clock import BANGKOK
from models.db import read_session
from models.enums import PlanState
from models.evidence import Evidence
from workflow import evidence as ev
from workflow import input_rules as rules
from workflow import scoped_reads
from workflow.actors import SYSTEM
from workflow.checklist import checklist
from workflow.errors import DomainError, NotFound, reason
from workflow.evidence_rules import KIND_LABELS, PROVES

router = Routes(route_class=WebRoute, include_in_schema=False)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Sha = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
NO_CONTROL = r"^[^\x00-\x1f\x7f]+$"
Code = Annotated[str, Query(min_length=1, max_length=rules.CODE_MAX, pattern=NO_CONTROL)]
Year = Annotated[int, Query(ge=rules.FISCAL_YEAR_MIN_BE, le=rules.FISCAL_YEAR_MAX_BE)]
PUBLIC_STATES = (PlanState.POSTED, PlanState.POSTING_COMPLETE)
FORM = "attach-evidence"


def _page(
    request: Request, services: Services, who: auth.Principal, plan_id: int,
    form: forms.FormState | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    with read_session(services.engine) as db:
        history = scoped_reads.get_plan_history(db, who.actor, plan_id)
        entries = ev.list_for_plan(db, plan_id=plan_id, actor=who.actor)
    records = {r.id: r for r in history.records}
    return render(
        request, "evidence_plan.html", who=who, status=status, plan=history.plan,
        records=history.records, by_record=records, entries=entries, evidence_kinds=KIND_LABELS,
        proves={k.value: [a.value for a in v] for k, v in PROVES.items()}, form=form,
        may_attach=who.actor.organization_id == history.plan.organization_id,
        max_mb=services.settings.evidence_max_mb, saved=request.query_params.get("saved"),
        local_day=_local_day,
    )  # fmt: skip


def _local_day(at: datetime) -> date:
    return at.astimezone(BANGKOK).date()


@router.get("/plans/{plan_id:int}/evidence", response_class=HTMLResponse)
def gallery(request: Request, plan_id: PlanId, who: Who, services: WebServices) -> HTMLResponse:
    return _page(request, services, who, plan_id)


@router.post("/plans/{plan_id:int}/evidence", response_class=HTMLResponse)
async def attach(request: Request, plan_id: PlanId, who: Who, services: WebServices) -> Response:
    how = attaching(services.settings)
    async with request.form(max_part_size=how.max_bytes + 1) as submitted:
        values = {k: v for k, v in submitted.items() if isinstance(v, str)}
        if not session.csrf_valid(request, values.get(session.CSRF_FIELD, "")):
            raise csrf_refused()
        upload = submitted.get("file")
        data = await upload.read(how.max_bytes + 1) if isinstance(upload, UploadFile) else b""
    form = forms.FormState(FORM, values)
    record_id = forms.parse_int(form, "record_id", low=1, high=2**31 - 1)
    if record_id is None:
        return await run_in_threadpool(_page, request, services, who, plan_id, form, 422)
    sent = ev.Upload(
        data, record_id, values.get("kind", ""), values.get("place"), values.get("url") or None
    )

    def command(s: Session) -> Evidence:
        return ev.attach(s, services.ctx, plan_id=plan_id, actor=who.actor, upload=sent, how=how)

    try:
        await services.run(command)
    except DomainError as error:
        if error.code in ("not_found", "too_many_attempts"):
            raise
        refused = forms.refused_form(FORM, values, error)
        return await run_in_threadpool(_page, request, services, who, plan_id, refused, 422)
    return RedirectResponse(f"/plans/{plan_id}/evidence?saved=1", 303)


@router.get("/plans/{plan_id:int}/evidence/{sha256}")
def evidence_file(plan_id: PlanId, sha256: Sha, who: Who, services: WebServices) -> Response:
    with read_session(services.engine) as db:
        served = ev.file_for(
            db, sha256=sha256, actor=who.actor, store=services.settings.evidence_store()
        )
    return Response(served.data, media_type=served.media_type,
                    headers={"Cache-Control": "private, max-age=3600"})  # fmt: skip


@router.get("/plans/{plan_id:int}/audit-pack")
def plan_pack(plan_id: PlanId, who: Who, services: WebServices) -> Response:
    from documents.pack import make, plans_of_plan

    with read_session(services.engine) as db:
        plans = plans_of_plan(db, who.actor, plan_id)
        data = make(db, plans=plans, store=services.settings.evidence_store(), clock=services.clock,
                    requirement=services.settings.evidence_policy)  # fmt: skip
    return _zip(data, f"audit-pack-plan-{plan_id}.zip")


@router.get("/audit/pack")
def year_pack(organization: Code, fiscal_year: Year, who: Who, services: WebServices) -> Response:
    from documents.pack import make, plans_of_year

    with read_session(services.engine) as db:
        plans = plans_of_year(db, who.actor, organization, fiscal_year)
        data = make(db, plans=plans, store=services.settings.evidence_store(), clock=services.clock,
                    requirement=services.settings.evidence_policy)  # fmt: skip
    return _zip(data, f"audit-pack-{organization}-{fiscal_year}.zip")


@router.get("/audit/compliance.pdf")
def year_summary_pdf(
    organization: Code, fiscal_year: Year, who: Who, services: WebServices
) -> Response:
    """The compliance summary of the year in Thai (the pack's compliance.pdf)."""
    from documents.pack import plans_of_year
    from documents.pack_summary import summary_pdf_of

    with read_session(services.engine) as db:
        plans = plans_of_year(db, who.actor, organization, fiscal_year)
        data = summary_pdf_of(db, plans=plans, clock=services.clock,
                              requirement=services.settings.evidence_policy)  # fmt: skip
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": "inline; filename=compliance.pdf"})  # fmt: skip


def _zip(data: bytes, name: str) -> Response:
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/audit/checklist", response_class=HTMLResponse)
def checklist_page(
    request: Request, organization: Code, fiscal_year: Year, who: Who, services: WebServices
) -> HTMLResponse:
    with read_session(services.engine) as db:
        found = checklist(
            db, who.actor, code=organization, fiscal_year_be=fiscal_year, clock=services.clock,
            requirement=services.settings.evidence_policy,
        )  # fmt: skip
    return render(request, "evidence_checklist.html", who=who, found=found)


def _public_plan(services: Services, plan_id: int) -> scoped_reads.PlanDetail:
    with read_session(services.engine) as db:
        detail = scoped_reads.get_plan_detail(
            db, SYSTEM, plan_id, policy=services.ctx.policy, clock=services.clock
        )
    if detail.plan.state not in PUBLIC_STATES:
        raise NotFound([reason("notice_not_found", "ไม่พบประกาศ", "no such notice")])
    return detail


@router.get("/notices/{plan_id:int}/evidence", response_class=HTMLResponse)
def public_gallery(request: Request, plan_id: PlanId, services: WebServices) -> HTMLResponse:
    detail = _public_plan(services, plan_id)
    with read_session(services.engine) as db:
        entries = ev.public_of(db, plan_id)
    return render(
        request, "evidence_public.html", who=session.current(request, services),
        detail=detail, entries=entries, evidence_kinds=KIND_LABELS, local_day=_local_day,
    )  # fmt: skip


@router.get("/notices/{plan_id:int}/evidence/{sha256}")
def public_copy(plan_id: PlanId, sha256: Sha, services: WebServices) -> Response:
    _public_plan(services, plan_id)
    with read_session(services.engine) as db:
        served = ev.public_file(
            db, sha256=sha256, store=services.settings.evidence_store(), plan_ids=[plan_id]
        )
    if served is None:
        raise NotFound([reason("evidence_not_found", "ไม่พบไฟล์หลักฐาน", "no such evidence file")])
    return Response(served.data, media_type=served.media_type,
                    headers={"Cache-Control": "public, max-age=86400"})  # fmt: skip
