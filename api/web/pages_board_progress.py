"""Progress for citizens on the web (docs/domain.md "Public progress"):
`/board/plans/{id}/progress`, no sign-in, a posted plan only: the totals, then each project
as a row (a card on a phone) with its status, budget used and as-of date in B.E., and the
public copies of its photos (`/board/plans/{id}/progress/files/{sha256}`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import HTMLResponse, Response

from api.routing import Routes
from api.web import session
from api.web.render import WebRoute, WebServices, render
from models.clock import today_bangkok
from models.db import read_session
from workflow.errors import NotFound, reason
from workflow.public_progress import public_progress, public_progress_file

router = Routes(route_class=WebRoute, include_in_schema=False)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Sha = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]


@router.get("/board/plans/{plan_id:int}/progress", response_class=HTMLResponse)
def board_progress(request: Request, plan_id: PlanId, services: WebServices) -> HTMLResponse:
    from datetime import date

    with read_session(services.engine) as db:
        shown = public_progress(db, plan_id=plan_id, today=today_bangkok(services.clock))
    return render(
        request,
        "board_progress.html",
        who=session.current(request, services),
        b=shown,
        day=date.fromisoformat,
        money=lambda v: f"{float(v):,.2f}",
    )


@router.get("/board/plans/{plan_id:int}/progress/files/{sha256}")
def board_progress_file(plan_id: PlanId, sha256: Sha, services: WebServices) -> Response:
    with read_session(services.engine) as db:
        media = public_progress_file(db, plan_id=plan_id, sha256=sha256)
    data = None if media is None else services.settings.evidence_store().get(sha256)
    if media is None or data is None:
        raise NotFound([reason("evidence_not_found", "ไม่พบไฟล์หลักฐาน", "no such evidence file")])
    return Response(data, media_type=media, headers={"Cache-Control": "public, max-age=86400"})
