"""The equipment list's forms (ผด.02/1) in a draft: add, edit, remove, as the project forms
in `api/web/pages_content.py` (post, redirect, get; the content revision named)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from api.routing import Routes
from api.web import content_view as view
from api.web import forms
from api.web.pages_content import ItemId, PlanId, _after, _base, _revision, _run, content_page
from api.web.render import WebRoute, WebServices, Who, form_of
from models.db import read_session
from workflow import content as store

router = Routes(route_class=WebRoute, include_in_schema=False)
FORM = "content_equipment_form.html"


@router.get("/plans/{plan_id:int}/content/equipment/new")
def new_equipment(request: Request, plan_id: PlanId, who: Who, services: WebServices) -> Response:
    return content_page(request, services, who, plan_id, template=FORM)


@router.post("/plans/{plan_id:int}/content/equipment/new")
async def add_equipment(
    request: Request, plan_id: PlanId, who: Who, services: WebServices
) -> Response:
    form = forms.FormState("equipment", await form_of(request))
    data, revision = view.equipment_input(form), _revision(form)
    refused = await _run(
        services,
        form,
        lambda s: store.add_equipment(
            s,
            services.ctx,
            plan_id=plan_id,
            actor=who.actor,
            expected_revision=revision,
            data=data,
        ),
    )
    return await _after(request, services, who, plan_id, refused, FORM)


@router.get("/plans/{plan_id:int}/content/equipment/{equipment_id}/edit")
def edit_equipment(
    request: Request, plan_id: PlanId, equipment_id: ItemId, who: Who, services: WebServices
) -> Response:
    with read_session(services.engine) as db:
        draft = store.read_draft(db, plan_id=plan_id, actor=who.actor)
    row = next((e for e in draft.content.equipment if e.id == equipment_id), None)
    if row is None:
        return RedirectResponse(_base(plan_id), 303)
    form = forms.FormState("equipment", view.equipment_values(row))
    return content_page(request, services, who, plan_id, form=form, item=row, template=FORM)


@router.post("/plans/{plan_id:int}/content/equipment/{equipment_id}/edit")
async def update_equipment(
    request: Request, plan_id: PlanId, equipment_id: ItemId, who: Who, services: WebServices
) -> Response:
    form = forms.FormState("equipment", await form_of(request))
    data, revision = view.equipment_input(form), _revision(form)
    refused = await _run(
        services,
        form,
        lambda s: store.update_equipment(
            s,
            services.ctx,
            plan_id=plan_id,
            actor=who.actor,
            expected_revision=revision,
            equipment_id=equipment_id,
            data=data,
        ),
    )
    return await _after(request, services, who, plan_id, refused, FORM, equipment_id)


@router.post("/plans/{plan_id:int}/content/equipment/{equipment_id}/remove")
async def remove_equipment(
    request: Request, plan_id: PlanId, equipment_id: ItemId, who: Who, services: WebServices
) -> Response:
    form = forms.FormState("remove", await form_of(request))
    revision = _revision(form)
    refused = await _run(
        services,
        form,
        lambda s: store.remove_equipment(
            s,
            services.ctx,
            plan_id=plan_id,
            actor=who.actor,
            expected_revision=revision,
            equipment_id=equipment_id,
        ),
    )
    return await _after(request, services, who, plan_id, refused, "content.html")
