"""The monitoring report's figures of a plan in force as of a date (docs/api.md "Progress";
docs/domain.md "The report's figures"): JSON, or the same figures as PDF or .xlsx. For anyone
who may see the plan; the as-of date within the plan's fiscal year and not after today."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Path, Query, Response

from api.deps import CurrentPrincipal, ServicesDep
from api.routes.common import READ, problems
from api.routing import Routes
from models.clock import today_bangkok
from models.db import read_session
from workflow.report_data import figures_data, visible_figures

router = Routes(prefix="/plans", tags=["progress"], responses=problems(404, 422))
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the plan's id")]
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/{plan_id}/progress/figures",
    responses={
        **READ,
        **problems(409),
        200: {
            "description": "the figures (JSON), or as PDF or .xlsx with `format`",
            "content": {"application/json": {}, PDF: {}, XLSX: {}},
        },
    },
)
def figures(
    plan_id: PlanId,
    who: CurrentPrincipal,
    services: ServicesDep,
    as_of: Annotated[date, Query(description="YYYY-MM-DD, within the plan's fiscal year")],
    format: Annotated[Literal["json", "pdf", "xlsx"], Query()] = "json",
) -> Any:
    """Per strategy, overall and for equipment apart: projects in the plan, those with an
    approved budget, each status with its percentage of both, and the budget planned,
    committed and disbursed; and each project as of the date. 422
    `as_of_outside_fiscal_year` or `progress_as_of_future`; 409 `conflict` for a plan not in
    force."""
    today = today_bangkok(services.clock)
    with read_session(services.engine) as session:
        found, heading = visible_figures(
            session, plan_id=plan_id, actor=who.actor, as_of=as_of, today=today
        )
    if format == "json":
        return figures_data(found, heading)
    name = f"report-figures-{plan_id}-{as_of.isoformat()}.{format}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "pdf":
        from documents.pdf_report import render_report_pdf

        data = render_report_pdf(found, heading=heading, findings="", recommendations="")
        return Response(data, media_type=PDF, headers=disposition)
    from documents.workbook_report import report_workbook

    return Response(report_workbook(found, heading=heading), media_type=XLSX, headers=disposition)

