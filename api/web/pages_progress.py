"""The progress pages for staff (docs/domain.md "Progress"): the plan in force's items with
their status and budgets (`/plans/{id}/progress`), and one item's form with its history
(`/plans/{id}/progress/items/{item_id}`). A save is post/redirect/get: back to the list with
"saved" and any warning, or to the form with the typed values and each Thai message beside its
field (api/web/flash.py), so a refresh never resubmits."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import auth
from api.deps import Services
from api.evidence_config import attaching
from api.routing import Routes
from api.web import carried, flash, forms
from api.web.render import WebRoute, WebServices, Who, render
from models.clock import today_bangkok
from models.db import read_session
from models.enums import Role
from models.organization import Organization
from workflow import progress
from workflow.as_of_rules import fiscal_year_bounds
from workflow.errors import DomainError, NotFound
from workflow.progress_rules import FIELDS, STATUS_LABELS, ProgressStatus

router = Routes(route_class=WebRoute, include_in_schema=False)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ItemId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z._-]+$")]
FORM = "progress"
Flag = Annotated[str | None, Query(max_length=1)]


def _sheet(services: Services, who: auth.Principal, plan_id: int) -> tuple[Any, str]:
    with read_session(services.engine) as db:
        sheet = progress.read_sheet(db, plan_id=plan_id, actor=who.actor)
        org = db.get(Organization, sheet.organization_id)
    return sheet, "" if org is None else org.name


def _totals(sheet: progress.Sheet) -> dict[str, Any]:
    """The sheet's counts per status and its budget sums (planned, committed, disbursed)."""
    counts = {s.value: 0 for s in ProgressStatus}
    planned = committed = disbursed = Decimal(0)
    for item in sheet.items:
        planned += item.planned_baht
        if item.latest is not None:
            counts[ProgressStatus(item.latest["status"]).value] += 1
            committed += item.latest["committed_baht"]
            disbursed += item.latest["disbursed_baht"]
    empty = sum(1 for i in sheet.items if i.latest is None)
    return {
        "counts": counts,
        "empty": empty,
        "planned": planned,
        "committed": committed,
        "disbursed": disbursed,
    }


def _common(sheet: progress.Sheet, who: auth.Principal) -> dict[str, Any]:
    return {
        "sheet": sheet,
        "statuses": [(s.value, STATUS_LABELS[s]) for s in ProgressStatus],
        "labels": {s.value: STATUS_LABELS[s] for s in ProgressStatus},
        "recorder": who.actor.may_be(Role.STAFF, sheet.organization_id),
        "money": lambda v: f"{v:,.2f}",
    }


@router.get("/plans/{plan_id:int}/progress", response_class=HTMLResponse)
def progress_page(
    request: Request,
    plan_id: PlanId,
    who: Who,
    services: WebServices,
    saved: Flag = None,
    warned: Flag = None,
) -> HTMLResponse:
    try:
        sheet, org = _sheet(services, who, plan_id)
    except NotFound as missing:  # in force, but no annual plan of its year is announced
        if missing.reasons[0].code != "no_plan_in_force":
            raise
        why = missing.reasons[0]
        return render(request, "progress_none.html", who=who, plan_id=plan_id, reason=why)
    return render(
        request,
        "progress.html",
        who=who,
        org=org,
        totals=_totals(sheet),
        saved=saved is not None,
        warned=warned is not None,
        **_common(sheet, who),
    )


def _values(latest: Any) -> dict[str, str]:
    if latest is None:
        return {}
    from models.thai_dates import format_be_numeric

    def day(v: Any) -> str:
        return "" if v is None else format_be_numeric(v)

    return {
        "status": str(latest["status"]),
        "committed_baht": f"{latest['committed_baht']:.2f}",
        "disbursed_baht": f"{latest['disbursed_baht']:.2f}",
        "started_on": day(latest["started_on"]),
        "finished_on": day(latest["finished_on"]),
        "note": latest["note"] or "",
    }


def _item_page(
    request: Request,
    services: Services,
    who: auth.Principal,
    plan_id: int,
    item_id: str,
    form: forms.FormState | None,
    status: int = 200,
) -> Response:
    sheet, org = _sheet(services, who, plan_id)
    item = sheet.item(item_id)
    if item is None:
        return RedirectResponse(f"/plans/{plan_id}/progress", 303)
    with read_session(services.engine) as db:
        entries = progress.history(db, plan_id=plan_id, actor=who.actor, item_id=item_id)
    shown = form or forms.FormState(FORM, _values(item.latest))
    return render(
        request,
        "progress_item.html",
        who=who,
        status=status,
        org=org,
        item=item,
        entries=list(reversed(entries)),
        form=shown,
        seen=0 if item.latest is None else item.latest["seq"],
        as_of_default=min(
            today_bangkok(services.clock), fiscal_year_bounds(sheet.fiscal_year_be)[1]
        ),
        **_common(sheet, who),
    )


@router.get("/plans/{plan_id:int}/progress/items/{item_id}", response_class=HTMLResponse)
def item_page(
    request: Request, plan_id: PlanId, item_id: ItemId, who: Who, services: WebServices
) -> Response:
    where = f"/plans/{plan_id}/progress/items/{item_id}"
    page = _item_page(request, services, who, plan_id, item_id, flash.take(request, where))
    flash.forget(request, page)
    return page


def _refused(values: dict[str, str], error: DomainError) -> forms.FormState:
    state = forms.FormState(FORM, values, code=error.code)
    for r in error.reasons:  # a progress rule names its field; an input rule the error's
        state.add(str(getattr(r, "field", "") or getattr(error, "field", "")), r.th, r.en)
    return state


@router.post("/plans/{plan_id:int}/progress/items/{item_id}", response_class=HTMLResponse)
async def save_item(
    request: Request, plan_id: PlanId, item_id: ItemId, who: Who, services: WebServices
) -> Response:
    how = attaching(services.settings)
    values, files = await carried.form_with_files(request, how.max_bytes)
    data = {k: values.get(k, "") for k in FIELDS}
    seen = values.get("expected_entry", "")
    try:
        done = await services.run(
            lambda s: progress.record(
                s,
                services.ctx,
                plan_id=plan_id,
                actor=who.actor,
                item_id=item_id,
                data=data,
                files=[progress.File(f) for f in files],
                blobs=how.store,
                max_bytes=how.max_bytes,
                public_copy=how.public_copy,
                expected_entry=int(seen) if seen.isdigit() and len(seen) < 10 else None,
            )
        )
    except DomainError as error:
        if error.code in ("not_found", "too_many_attempts"):
            raise
        current = getattr(error.reasons[0], "current_entry", None) if error.reasons else None
        if current is not None:  # stale: what was typed is kept, saved again over the current
            values = {**values, "expected_entry": str(current)}
        state = _refused(values, error)
        where = f"/plans/{plan_id}/progress/items/{item_id}"
        response = RedirectResponse(f"{where}#{FORM}", 303)
        if flash.keep(request, response, state, where):
            return response
        return await run_in_threadpool(
            _item_page, request, services, who, plan_id, item_id, state, 422
        )
    warned = "&warned=1" if done.warnings else ""
    return RedirectResponse(f"/plans/{plan_id}/progress?saved=1{warned}#item-{item_id}", 303)
