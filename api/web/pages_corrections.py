"""The correction form of the plan page (docs/domain.md "Corrections"): "แก้ไขข้อมูลที่บันทึก
ผิด" for a record, post/redirect/get as every form of the plan page, and what the timeline
needs to show each original struck through beside the value in force."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api import auth
from api.deps import Services
from api.routing import Routes
from api.web import forms
from api.web.pages_plans import _after, _run_form
from api.web.render import WebRoute, WebServices, Who
from workflow.corrections import correct_record

router = Routes(route_class=WebRoute, include_in_schema=False)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Seq = Annotated[int, Path(ge=1, le=2**31 - 1)]
FIELDS = ("effective_on", "trigger_on", "places", "comment")


def _command(
    services: Services,
    who: auth.Principal,
    plan_id: int,
    seq: int,
    field: str,
    form: forms.FormState,
    request_id: str,
) -> Callable[[Session], object] | None:
    """The form as the command; the input rules run in the core (workflow/input_rules.py)."""
    version = forms.parse_int(form, "expected_version", low=0, high=2**31 - 1)
    if version is None:
        return None
    raw = form.values.get("value", "")
    value: object = raw.splitlines() if field == "places" else (raw.strip() or None)
    return lambda s: correct_record(
        s,
        services.ctx,
        plan_id=plan_id,
        seq=seq,
        field=field,
        value=value,
        reason_text=form.values.get("comment", ""),
        actor=who.actor,
        expected_version=version,
        request_id=request_id,
    )


def _beside_value(form: forms.FormState | None) -> forms.FormState | None:
    """A refused date is shown beside the one value field of the form."""
    if form is not None and "effective_on" in form.errors:
        form.errors.setdefault("value", []).extend(form.errors.pop("effective_on"))
    return form


@router.post("/plans/{plan_id:int}/records/{seq:int}/correct/{field}", response_class=HTMLResponse)
async def correct(
    request: Request, plan_id: PlanId, seq: Seq, field: str, who: Who, services: WebServices
) -> Response:
    values = {k: str(v) for k, v in (await request.form()).items()}
    form = forms.FormState(f"correct-{seq}-{field}", values)
    if field not in FIELDS:
        form.add("", "แก้ไขข้อมูลนี้ไม่ได้", "this field cannot be corrected")
        command = None
    else:
        command = _command(services, who, plan_id, seq, field, form, request.state.request_id)
    _, refused = await _run_form(services, form, command)
    return await run_in_threadpool(_after, request, services, who, plan_id, _beside_value(refused))
