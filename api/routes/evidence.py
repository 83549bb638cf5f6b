"""Evidence: attach a file to a plan's action (multipart/form-data), list a plan's evidence,
and fetch a file by its SHA-256 for someone who may see a plan holding it (docs/api.md
"Evidence"). Knowing a hash grants nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import CurrentPrincipal, ServicesDep
from api.evidence_config import attaching
from api.routes.common import READ, WRITE
from api.schemas.evidence import EvidenceRead
from models.db import read_session
from models.evidence import EvidenceKind
from workflow import evidence as ev

router = APIRouter(tags=["evidence"])
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the plan's id")]
Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="the file's SHA-256")]
FILE_HELP = "PDF, JPEG or PNG (told by its content; HEIC is refused), within the size limit"


@router.post(
    "/plans/{plan_id}/evidence",
    response_model=EvidenceRead,
    status_code=201,
    responses=WRITE,
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
