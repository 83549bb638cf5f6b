"""Evidence: attach a file to a plan's action (multipart/form-data), list a plan's evidence,
and fetch a file by its SHA-256 for someone who may see a plan holding it (docs/api.md
"Evidence"). Knowing a hash grants nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import File, Form, Path, Query, UploadFile
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import CurrentPrincipal, Services, ServicesDep
from api.evidence_config import attaching
from api.routes.common import READ, WRITE
from api.routing import Routes
from api.schemas.common import FiscalYear
from api.schemas.evidence import ChecklistRead, EvidenceRead
from api.schemas.rules import text
from models.db import read_session
from models.evidence import EvidenceKind
from workflow import evidence as ev
from workflow.checklist import checklist
from workflow.input_rules import CODE_MAX

router = Routes(tags=["evidence"])
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the plan's id")]
Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="the file's SHA-256")]
if TYPE_CHECKING:  # the rule builds its type at run time; to mypy it is a str
    OrgCode = str
else:
    OrgCode = Annotated[
        text("organization_code", CODE_MAX), Path(description="the organization's code")
    ]
FILE_HELP = "PDF, JPEG or PNG (told by its content; HEIC is refused), within the size limit"


UPLOAD_EXAMPLE = {"record_id": 41, "kind": "posting_photo", "place": "ที่ทำการ อบต.", "file": "…"}
UPLOAD_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "examples": {"photo": {"summary": "a posting photo", "value": UPLOAD_EXAMPLE}}
            }
        }
    }
}


@router.post(
    "/plans/{plan_id}/evidence",
    response_model=EvidenceRead,
    status_code=201,
    responses=WRITE,
    openapi_extra=UPLOAD_OPENAPI,
)
async def attach_evidence(
    plan_id: PlanId,
    who: CurrentPrincipal,
    services: ServicesDep,
    file: Annotated[UploadFile, File(description=FILE_HELP)],
    record_id: Annotated[int, Form(ge=1, le=2**31 - 1, description="the record it proves")],
    kind: Annotated[EvidenceKind, Form()],
    place: Annotated[str | None, Form(max_length=300, description="the posting place")] = None,
    url: Annotated[str | None, Form(max_length=500, description="the website posting")] = None,
) -> EvidenceRead:
    """Attach one file to a record of the plan (staff, committee or executive of its
    organization). A posting photo names its place; a website posting its URL (never
    fetched) and a copy of the page."""
    how = attaching(services.settings)
    data = await file.read(how.max_bytes + 1)  # one byte more than allowed: refused
    upload = ev.Upload(data, record_id, kind.value, place, url)

    def command(session: Session) -> EvidenceRead:
        entry = ev.attach(
            session, services.ctx, plan_id=plan_id, actor=who.actor, upload=upload, how=how
        )
        return EvidenceRead.of(entry)

    return await services.run(command)


@router.get("/plans/{plan_id}/evidence", response_model=list[EvidenceRead], responses=READ)
def list_evidence(
    plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep
) -> list[EvidenceRead]:
    """The plan's evidence, oldest first, with who attached each and when (late: after the
    action's day)."""
    with read_session(services.engine) as session:
        return [
            EvidenceRead.of(e) for e in ev.list_for_plan(session, plan_id=plan_id, actor=who.actor)
        ]


@router.get(
    "/evidence/{sha256}",
    responses={
        **READ,
        200: {
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
            "description": "the file",
        },
    },
    response_class=Response,
)
def evidence_file(sha256: Sha256, who: CurrentPrincipal, services: ServicesDep) -> Response:
    """A stored file (an original or a public copy), if the caller may see a plan that
    holds it; otherwise 404 as for a hash nobody stored."""
    with read_session(services.engine) as session:
        served = ev.file_for(
            session, sha256=sha256, actor=who.actor, store=services.settings.evidence_store()
        )
    return Response(
        served.data,
        media_type=served.media_type,
        headers={"Cache-Control": "private, max-age=3600", "ETag": f'"{served.sha256}"'},
    )


BINARY = {"schema": {"type": "string", "format": "binary"}}
ZIP: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/zip": BINARY}, "description": "a zipped BagIt bag"}
}


def _zip(data: bytes, name: str) -> Response:
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/plans/{plan_id}/audit-pack", responses={**READ, **ZIP}, response_class=Response)
def plan_pack(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> Response:
    """The plan's audit pack (docs/domain.md "The audit pack"), for anyone who may see it."""
    from documents.pack import make, plans_of_plan

    with read_session(services.engine) as session:
        plans = plans_of_plan(session, who.actor, plan_id)
        data = make(session, plans=plans, **_pack_settings(services))
    return _zip(data, f"audit-pack-plan-{plan_id}.zip")


@router.get(
    "/organizations/{code}/audit-pack", responses={**READ, **ZIP}, response_class=Response
)
def year_pack(
    code: OrgCode, fiscal_year: Annotated[FiscalYear, Query()], who: CurrentPrincipal,
    services: ServicesDep,
) -> Response:  # fmt: skip
    """The audit pack of every plan of the organization's fiscal year (B.E.)."""
    from documents.pack import make, plans_of_year

    with read_session(services.engine) as session:
        plans = plans_of_year(session, who.actor, code, fiscal_year)
        data = make(session, plans=plans, **_pack_settings(services))
    return _zip(data, f"audit-pack-{code}-{fiscal_year}.zip")


def _pack_settings(services: Services) -> dict[str, Any]:
    settings = services.settings
    return {"store": settings.evidence_store(), "clock": services.clock,
            "requirement": settings.evidence_policy}  # fmt: skip


PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": BINARY}, "description": "the compliance summary"}
}


def _pdf(data: bytes, name: str) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get(
    "/plans/{plan_id}/compliance.pdf", responses={**READ, **PDF}, response_class=Response
)
def plan_summary_pdf(plan_id: PlanId, who: CurrentPrincipal, services: ServicesDep) -> Response:
    """The plan's compliance summary in Thai (the audit pack's compliance.pdf)."""
    from documents.pack import plans_of_plan
    from documents.pack_summary import summary_pdf_of

    with read_session(services.engine) as session:
        plans = plans_of_plan(session, who.actor, plan_id)
        data = summary_pdf_of(session, plans=plans, clock=services.clock,
                              requirement=services.settings.evidence_policy)  # fmt: skip
    return _pdf(data, f"compliance-plan-{plan_id}.pdf")


@router.get(
    "/organizations/{code}/compliance.pdf", responses={**READ, **PDF}, response_class=Response
)
def year_summary_pdf(
    code: OrgCode, fiscal_year: Annotated[FiscalYear, Query()], who: CurrentPrincipal,
    services: ServicesDep,
) -> Response:  # fmt: skip
    """The compliance summary of the organization's fiscal year (B.E.) in Thai."""
    from documents.pack import plans_of_year
    from documents.pack_summary import summary_pdf_of

    with read_session(services.engine) as session:
        plans = plans_of_year(session, who.actor, code, fiscal_year)
        data = summary_pdf_of(session, plans=plans, clock=services.clock,
                              requirement=services.settings.evidence_policy)  # fmt: skip
    return _pdf(data, f"compliance-{code}-{fiscal_year}.pdf")


@router.get(
    "/organizations/{code}/checklist", response_model=ChecklistRead, responses=READ
)
def year_checklist(
    code: OrgCode, fiscal_year: Annotated[FiscalYear, Query()], who: CurrentPrincipal,
    services: ServicesDep,
) -> ChecklistRead:  # fmt: skip
    """What assessors ask for, per plan of the year: each item's status and its evidence."""
    with read_session(services.engine) as session:
        found = checklist(
            session, who.actor, code=code, fiscal_year_be=fiscal_year, clock=services.clock,
            requirement=services.settings.evidence_policy,
        )  # fmt: skip
    return ChecklistRead.of(found)
