"""The papers (docs/api.md "Documents"): the plan book and the ประกาศ as PDF, and an office's
document settings and emblem (admin). The files an announcement made are served as stored,
byte for byte; their SHA-256 is in the announce record and in the `X-Content-SHA256` header."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Body, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, JsonValue
from starlette.concurrency import run_in_threadpool

from api.deps import CurrentPrincipal, Services, ServicesDep
from api.routes.common import READ, WRITE
from api.routing import Routes
from api.schemas.rules import text
from models.db import read_session
from models.provinces import PROVINCES
from workflow import org_settings as org
from workflow.actors import Actor
from workflow.input_rules import CODE_MAX, PLACE_MAX, text_pattern
from workflow.scoped_reads import get_visible_plan

router = Routes(tags=["documents"])
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the plan's id")]
if TYPE_CHECKING:  # the rule builds its type at run time; to mypy it is a str
    Code = str
else:
    Code = Annotated[
        text("organization_code", CODE_MAX), Path(description="the organization's code")
    ]
PDF = "application/pdf"
PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {PDF: {}}, "description": "the PDF file"}
}


if TYPE_CHECKING:
    Place = Any
else:
    Place = text("place", 100)


# The text rules stated for the OpenAPI document; the core's rules decide (org_settings).
OPTIONAL_TEXT: dict[str, JsonValue] = {"pattern": text_pattern(required=False)}


def rules_pattern() -> str:
    return text_pattern()


class SettingsPatch(BaseModel):
    """The settings to change; a field left out stays, null clears it."""

    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(default=None, max_length=300, json_schema_extra=OPTIONAL_TEXT)
    # The office's own district and province: they can be changed, never cleared.
    district: Place = Field(default=None, description="อำเภอ; never null")
    province: Place = Field(
        default=None,
        description="จังหวัด as written in the list of provinces; never null",
        json_schema_extra={"enum": list[JsonValue](sorted(PROVINCES))},
    )
    executive_name: str | None = Field(
        default=None, max_length=200, json_schema_extra=OPTIONAL_TEXT
    )
    executive_title: str | None = Field(
        default=None, max_length=300, json_schema_extra=OPTIONAL_TEXT
    )
    website: str | None = Field(  # the pattern is stated; the core's rule decides (invalid_url)
        default=None,
        max_length=300,
        json_schema_extra={"pattern": r"^(https?://[^ \x00-\x1f\x7f-\x9f]*)?$"},
    )
    posting_places: list[str] | None = Field(
        default=None,
        max_length=20,
        json_schema_extra={
            "items": {"type": "string", "maxLength": PLACE_MAX, "pattern": rules_pattern()}
        },
    )


SETTINGS_EXAMPLES = {
    "executive": {
        "summary": "the executive's name and position, the website",
        "value": {
            "executive_name": "นายสมชาย ใจดี",
            "executive_title": "นายกองค์การบริหารส่วนตำบลแหลมรัง",
            "website": "https://www.laemrang.go.th",
        },
    }
}


class SettingsRead(BaseModel):
    code: str
    name: str
    full_name: str
    district: str
    province: str
    executive_name: str | None
    executive_title: str | None
    website: str | None
    posting_places: list[str]
    emblem_sha256: str | None

    @classmethod
    def of(cls, found: org.SettingsView) -> SettingsRead:
        return cls(**{**found.__dict__, "posting_places": list(found.posting_places)})


def pdf_response(data: bytes, name: str) -> Response:
    return Response(
        data,
        media_type=PDF,
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "X-Content-SHA256": hashlib.sha256(data).hexdigest(),
        },
    )


def notice_file(services: Services, actor: Actor, plan_id: int) -> bytes:
    from documents.pdf_papers import notice_bytes

    with read_session(services.engine) as session:
        plan, organization = get_visible_plan(session, actor, plan_id)
        public = services.settings.public_url
        return notice_bytes(session, plan=plan, organization=organization, public_url=public)


def plan_file(services: Services, actor: Actor, plan_id: int, version: int | None) -> bytes:
    from documents.pdf_papers import plan_bytes

    with read_session(services.engine) as session:
        plan, organization = get_visible_plan(session, actor, plan_id)
        return plan_bytes(session, plan=plan, organization=organization, version=version)[0]


@router.get(
    "/plans/{plan_id}/notice.pdf", response_class=Response, responses={**READ, **PDF_RESPONSE}
)
async def notice_pdf(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> Response:
    """The ประกาศ of an announced plan, as the announcement made it."""
    data = await run_in_threadpool(notice_file, services, who.actor, plan_id)
    return pdf_response(data, f"notice-{plan_id}.pdf")


@router.get(
    "/plans/{plan_id}/document.pdf", response_class=Response, responses={**READ, **PDF_RESPONSE}
)
async def plan_pdf(
    plan_id: PlanId,
    who: CurrentPrincipal,
    services: ServicesDep,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    """The plan book of frozen content version `version` (default: the announced one, or the
    latest); the announced version's file is the stored one."""
    data = await run_in_threadpool(plan_file, services, who.actor, plan_id, version)
    return pdf_response(data, f"plan-{plan_id}.pdf")


@router.get("/organizations/{code}", response_model=SettingsRead, responses=READ)
def read_settings(code: Code, who: CurrentPrincipal, services: ServicesDep) -> SettingsRead:
    """An office's document settings."""
    with read_session(services.engine) as session:
        return SettingsRead.of(org.read_settings(session, code=code))


@router.patch("/organizations/{code}", response_model=SettingsRead, responses=WRITE)
async def patch_settings(
    code: Code,
    body: Annotated[SettingsPatch, Body(openapi_examples=SETTINGS_EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> SettingsRead:
    """Change an office's document settings (admin); recorded in `organization_change`."""
    changes = body.model_dump(exclude_unset=True)
    found = await services.run(
        lambda s: org.set_settings(
            s, code=code, actor=who.actor, clock=services.clock, changes=changes
        )
    )
    return SettingsRead.of(found)


@router.put(
    "/organizations/{code}/emblem",
    response_model=SettingsRead,
    responses=WRITE,
    openapi_extra={
        "requestBody": {
            "content": {"image/png": {}, "image/jpeg": {}},
            "required": True,
            "description": "the emblem, PNG or JPEG (re-encoded as PNG; no SVG)",
        }
    },
)
async def put_emblem(
    code: Code, request: Request, who: CurrentPrincipal, services: ServicesDep
) -> SettingsRead:
    """Upload the office's emblem (admin): re-encoded as PNG before it is stored."""
    from documents.pdf_emblem import MAX_UPLOAD, reencode_emblem

    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_UPLOAD:
            break
    png = await run_in_threadpool(reencode_emblem, raw)
    found = await services.run(
        lambda s: org.set_settings(
            s, code=code, actor=who.actor, clock=services.clock, changes={}, emblem=png
        )
    )
    return SettingsRead.of(found)


@router.delete("/organizations/{code}/emblem", response_model=SettingsRead, responses=WRITE)
async def delete_emblem(code: Code, who: CurrentPrincipal, services: ServicesDep) -> SettingsRead:
    """Remove the office's emblem (admin)."""
    found = await services.run(
        lambda s: org.set_settings(
            s, code=code, actor=who.actor, clock=services.clock, changes={}, emblem=None
        )
    )
    return SettingsRead.of(found)
