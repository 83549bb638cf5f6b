"""The plan's content pages for staff, committee and executive: the project table (ผด.02)
grouped by strategy and แผนงาน with running totals, ผด.01, equipment (ผด.02/1), and in a
draft the add / edit / remove forms (post, redirect, get), each naming the content revision it
was read at: a stale one shows the form again with what was typed and the current table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api import auth
from api.deps import Services
from api.routing import Routes
from api.web import content_view as view
from api.web import forms
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models.db import read_session
from models.enums import Role
from models.store import PlanRow
from workflow import content as store
from workflow import scoped_reads
from workflow.actors import Actor
from workflow.content_copy import copy_from_previous
from workflow.content_diff import diff
from workflow.content_model import (
    FUNDING_LABELS,
    OWNERSHIP_LABELS,
    FundingSource,
    Ownership,
)
from workflow.duplicates_scan import list_duplicates
from workflow.errors import DomainError, NotFound
from workflow.summary import summarize
from workflow.table import CONTENT_EDITABLE

router = Routes(route_class=WebRoute, include_in_schema=False)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Saved = Annotated[str | None, Query(max_length=1)]  # "?saved=1" after a post
ItemId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
STALE = ("มีผู้แก้ไขเนื้อหาแผนก่อนแล้ว ตารางด้านล่างเป็นฉบับล่าสุด สิ่งที่ท่านกรอกยังอยู่ในแบบฟอร์ม "
         "กรุณาตรวจสอบแล้วบันทึกอีกครั้ง",
         "someone else edited the content first: the table shows the latest revision and the "
         "form keeps what you typed; check and save again")  # fmt: skip
KIND_TH = {"annual": "แผนการดำเนินงาน", "supplementary": "แผนเพิ่มเติม", "amendment": "แผนแก้ไข"}


def helpers() -> dict[str, Any]:
    """What the content templates use besides the page context."""
    return {
        "baht": view.baht,
        "signed_baht": view.signed_baht,
        "month_cells": view.month_cells,
        "funding_labels": FUNDING_LABELS,
        "ownership_labels": OWNERSHIP_LABELS,
        "kinds_th": KIND_TH,
        "kinds_short": {"annual": "ประจำปี", "supplementary": "เพิ่มเติม", "amendment": "แก้ไข"},
    }


FIELD_TH = {
    "strategy_id": "ยุทธศาสตร์", "programme": "แผนงาน", "number": "ที่", "name": "ชื่อ",
    "activity": "รายละเอียดกิจกรรม", "budget_baht": "งบประมาณ (บาท)", "location": "สถานที่",
    "village": "หมู่ที่", "unit": "หน่วยงานรับผิดชอบ", "months": "เดือน", "funding": "แหล่งงบประมาณ",
    "funding_note": "หมายเหตุแหล่งงบประมาณ", "ownership": "เจ้าของโครงการ", "tactic": "กลยุทธ์",
    "dev_plan": "แผนพัฒนาท้องถิ่น", "category": "หมวด", "type": "ประเภท", "target": "เป้าหมาย",
}  # fmt: skip


def review_of(db: Session, actor: Actor, plan: PlanRow) -> dict[str, Any] | None:
    """What the plan page shows of the content once submitted: ผด.01 of the latest frozen
    version, its own-budget total beside the plan's budget, and what changed since the version
    before it (the one the committee returned), and the likely duplicates (docs/domain.md
    "Duplicates"); None before the first submission."""
    assert plan.id is not None
    try:
        latest = store.read_version(db, plan_id=plan.id, actor=actor)
    except NotFound:
        return None
    previous = (
        store.read_version(db, plan_id=plan.id, actor=actor, version=latest.number - 1)
        if latest.number > 1
        else None
    )
    summary = summarize(latest.content)
    own = summary.own.budget_baht
    return {
        "frozen": latest,
        "summary": summary,
        "previous": previous,
        "diff": diff(previous.content, latest.content) if previous else None,
        "difference": None if plan.budget_baht is None else own - plan.budget_baht,
        "field_th": FIELD_TH,
        "duplicates": list_duplicates(db, plan_id=plan.id, actor=actor),  # never blocking
        **helpers(),
    }


def _base(plan_id: int) -> str:
    return f"/plans/{plan_id}/content"


def content_page(
    request: Request,
    services: Services,
    who: auth.Principal,
    plan_id: int,
    *,
    form: forms.FormState | None = None,
    template: str = "content.html",
    item: Any = None,
    status: int = 200,
) -> HTMLResponse:
    """The content page (or one of its forms) at the draft's current revision."""
    with read_session(services.engine) as db:
        detail = scoped_reads.get_plan_detail(
            db, who.actor, plan_id, policy=services.ctx.policy, clock=services.clock
        )
        draft = store.read_draft(db, plan_id=plan_id, actor=who.actor)
        duplicates = list_duplicates(db, plan_id=plan_id, actor=who.actor)
    plan, content = detail.plan, draft.content
    editable = plan.state in CONTENT_EDITABLE and who.actor.may_be(Role.STAFF, plan.organization_id)
    summary = summarize(content)
    return render(
        request,
        template,
        who=who,
        status=status,
        plan=plan,
        org=detail.organization,
        draft=draft,
        content=content,
        summary=summary,
        groups=view.grouped(content),
        equipment_total=view.equipment_total(content.equipment),
        editable=editable,
        edit_base=_base(plan_id) if editable else None,
        form=form,
        item=item,
        programmes=view.programmes_of(content),
        units=view.units_of(content),
        fundings=list(FundingSource),
        ownerships=list(Ownership),
        next_number=view.next_number,
        next_strategy=max((s.number for s in content.strategies), default=0) + 1,
        saved=request.query_params.get("saved") is not None,
        duplicates=duplicates,  # workflow/duplicates.py: shown beside the table, never blocking
        flags=view.flags_by_project(duplicates, plan_id),  # and beside each project
        **helpers(),
    )


@router.get("/plans/{plan_id:int}/content", response_class=HTMLResponse)
def content(
    request: Request, plan_id: PlanId, who: Who, services: WebServices, saved: Saved = None
) -> HTMLResponse:
    return content_page(request, services, who, plan_id)


def _refused(name: str, values: dict[str, str], error: DomainError) -> forms.FormState:
    state = forms.refused_form(name, values, error)
    if error.code == "stale_version":
        state.errors.pop("", None)
        state.add("", *STALE)
    return state


async def _run(
    services: Services, form: forms.FormState, command: Callable[[Session], object] | None
) -> forms.FormState | None:
    """Run the form's command; the form with its problems beside the fields otherwise."""
    if form.errors or command is None:
        return form
    try:
        await services.run(command)
    except DomainError as error:
        if error.code in ("not_found", "too_many_attempts"):
            raise
        return _refused(form.name, form.values, error)
    return None


def _revision(form: forms.FormState) -> int:
    return forms.parse_int(form, "expected_revision", low=0, high=2**31 - 1) or 0


# --- projects -----------------------------------------------------------------------------


@router.get("/plans/{plan_id:int}/content/projects/new", response_class=HTMLResponse)
def new_project(request: Request, plan_id: PlanId, who: Who, services: WebServices) -> Response:
    return content_page(request, services, who, plan_id, template="content_project_form.html")


@router.post("/plans/{plan_id:int}/content/projects/new", response_class=HTMLResponse)
async def add_project(
    request: Request, plan_id: PlanId, who: Who, services: WebServices
) -> Response:
    form = forms.FormState("project", await form_of(request))
    data, revision = view.project_input(form), _revision(form)
    refused = await _run(
        services,
        form,
        lambda s: store.add_project(
            s,
            services.ctx,
            plan_id=plan_id,
            actor=who.actor,
            expected_revision=revision,
            data=data,
        ),
    )
    return await _after(request, services, who, plan_id, refused, "content_project_form.html")


@router.get("/plans/{plan_id:int}/content/projects/{project_id}/edit", response_class=HTMLResponse)
def edit_project(
    request: Request, plan_id: PlanId, project_id: ItemId, who: Who, services: WebServices
) -> Response:
    with read_session(services.engine) as db:
        draft = store.read_draft(db, plan_id=plan_id, actor=who.actor)
    project = draft.content.project(project_id)
    if project is None:
        return RedirectResponse(_base(plan_id), 303)
    form = forms.FormState("project", view.project_values(project))
    return content_page(
        request, services, who, plan_id, form=form, item=project,
        template="content_project_form.html",
    )  # fmt: skip


@router.post("/plans/{plan_id:int}/content/projects/{project_id}/edit", response_class=HTMLResponse)
async def update_project(
    request: Request, plan_id: PlanId, project_id: ItemId, who: Who, services: WebServices
) -> Response:
    form = forms.FormState("project", await form_of(request))
    data, revision = view.project_input(form), _revision(form)
    refused = await _run(
        services,
        form,
        lambda s: store.update_project(
            s,
            services.ctx,
            plan_id=plan_id,
            actor=who.actor,
            expected_revision=revision,
            project_id=project_id,
            data=data,
        ),
    )
    return await _after(
        request, services, who, plan_id, refused, "content_project_form.html", project_id
    )


@router.post(
    "/plans/{plan_id:int}/content/projects/{project_id}/remove", response_class=HTMLResponse
)
async def remove_project(
    request: Request, plan_id: PlanId, project_id: ItemId, who: Who, services: WebServices
) -> Response:
    form = forms.FormState("remove", await form_of(request))
    revision = _revision(form)
    refused = await _run(
        services,
        form,
        lambda s: store.remove_project(
            s,
            services.ctx,
            plan_id=plan_id,
            actor=who.actor,
            expected_revision=revision,
            project_id=project_id,
        ),
    )
    return await _after(request, services, who, plan_id, refused, "content.html")


async def _after(
    request: Request,
    services: Services,
    who: auth.Principal,
    plan_id: int,
    refused: forms.FormState | None,
    template: str,
    item_id: str | None = None,
) -> Response:
    """Back to the table after a success (post, redirect, get); the form again otherwise."""
    if refused is None:
        return RedirectResponse(f"{_base(plan_id)}?saved=1", 303)
    return await run_in_threadpool(_refused_page, request, services, who, plan_id, refused,
                                   template, item_id)  # fmt: skip


def _refused_page(
    request: Request,
    services: Services,
    who: auth.Principal,
    plan_id: int,
    form: forms.FormState,
    template: str,
    item_id: str | None,
) -> HTMLResponse:
    status = 409 if any(m == STALE for m in form.general) else 422
    return content_page(
        request, services, who, plan_id, form=form, template=template,
        item={"id": item_id} if item_id else None, status=status,
    )  # fmt: skip


# --- strategies, the start from last year ---------------------------------------------------


@router.post("/plans/{plan_id:int}/content/strategies/new", response_class=HTMLResponse)
async def add_strategy(
    request: Request, plan_id: PlanId, who: Who, services: WebServices
) -> Response:
    form = forms.FormState("strategy", await form_of(request))
    number = forms.parse_int(form, "number", low=1, high=9999)
    data, revision = {"number": number, "name": form.values.get("name", "")}, _revision(form)
    refused = await _run(
        services,
        form,
        lambda s: store.add_strategy(
            s,
            services.ctx,
            plan_id=plan_id,
            actor=who.actor,
            expected_revision=revision,
            data=data,
        ),
    )
    return await _after(request, services, who, plan_id, refused, "content.html")


@router.post("/plans/{plan_id:int}/content/copy-from-previous", response_class=HTMLResponse)
async def copy_previous(
    request: Request, plan_id: PlanId, who: Who, services: WebServices
) -> Response:
    form = forms.FormState("copy", await form_of(request))
    revision = _revision(form)
    refused = await _run(
        services,
        form,
        lambda s: copy_from_previous(
            s, services.ctx, plan_id=plan_id, actor=who.actor, expected_revision=revision
        ),
    )
    return await _after(request, services, who, plan_id, refused, "content.html")
