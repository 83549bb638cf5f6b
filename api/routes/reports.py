"""Monitoring reports: create, list, read, act, history (docs/api.md "Monitoring reports")."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body, Path, Query, Response
from sqlmodel import Session

from api.deps import CurrentPrincipal, RequestId, ServicesDep
from api.routes.common import READ, WRITE
from api.routing import Routes
from api.schemas.common import (
    Cursor,
    FiscalYear,
    OrgCodeFilter,
    PageSize,
    decode_cursor,
    encode_cursor,
)
from api.schemas.history import RefusedRead
from api.schemas.reports import (
    ReportAction,
    ReportActionRequest,
    ReportCreate,
    ReportHistoryRead,
    ReportPage,
    ReportRead,
    ReportRecordRead,
)
from models.clock import today_bangkok
from models.db import read_session
from models.enums import Action, ReportRound, ReportState
from workflow import report_reads
from workflow.actors import Actor
from workflow.report_commands import create_report, perform_report

router = Routes(prefix="/reports", tags=["reports"])
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ReportId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the report's id")]


def _read(actor: Actor, report: report_reads.ReportWithClocks) -> ReportRead:
    return ReportRead.of(report, report_reads.actions_now(actor, report))


CREATE_EXAMPLES: dict[str, Any] = {
    "half": {"summary": "The 6-month round of FY 2562",
             "value": {"fiscal_year_be": 2562, "round": "half"}},
    "annual": {"summary": "The annual round, for a plan named",
               "value": {"fiscal_year_be": 2562, "round": "annual", "plan_id": 1}},
}
ACT_EXAMPLES: dict[str, Any] = {
    "submit": {"summary": "submit (staff)", "value": {"expected_version": 1}},
    "approve": {"summary": "approve: the monitoring committee's result",
                "value": {"expected_version": 2, "findings": "ดำเนินการแล้วเสร็จร้อยละ 60",
                          "recommendations": "ควรเร่งรัดการเบิกจ่าย"}},
    "present": {"summary": "present: the presentation date",
                "value": {"expected_version": 3, "effective_on": "2019-04-10"}},
    "post": {"summary": "post: the posting places",
             "value": {"expected_version": 5, "places": ["บอร์ดประชาสัมพันธ์หน้าที่ทำการ"]}},
}  # fmt: skip


@router.post("", status_code=201, response_model=ReportRead, responses=WRITE)
async def create(body: Annotated[ReportCreate, Body(openapi_examples=CREATE_EXAMPLES)],
                 who: CurrentPrincipal, services: ServicesDep,
                 request_id: RequestId, response: Response) -> ReportRead:
    """Draft a monitoring report (staff); the annual round starts the yearly floor."""
    organization_id = body.organization_id or who.actor.organization_id or 0

    def command(s: Session) -> report_reads.ReportWithClocks:
        return create_report(s, services.ctx, organization_id=organization_id,
                             fiscal_year_be=body.fiscal_year_be, round_=body.round,
                             actor=who.actor, plan_id=body.plan_id,
                             effective_on=body.effective_on, request_id=request_id)

    report = await services.run(command)
    response.headers["Location"] = f"/api/v1/reports/{report.id}"
    return _read(who.actor, report)


@router.get("", response_model=ReportPage, responses=READ)
def list_reports(
    who: CurrentPrincipal,
    services: ServicesDep,
    organization: Annotated[OrgCodeFilter | None, Query(description="code")] = None,
    fiscal_year: Annotated[FiscalYear | None, Query()] = None,
    round: ReportRound | None = None,
    state: ReportState | None = None,
    cursor: Annotated[Cursor, Query()] = None,
    limit: Annotated[PageSize, Query()] = 50,
) -> ReportPage:
    """The reports the caller may see (an auditor: across the scope), oldest first."""
    filters = report_reads.ReportFilters(organization, fiscal_year, round, state,
                                         decode_cursor(cursor), limit)
    with read_session(services.engine) as session:
        page, after = report_reads.list_reports(session, who.actor, filters)
        items = [_read(who.actor, r) for r in page]
    return ReportPage(items=items, next_cursor=encode_cursor(after))


@router.get("/{report_id}", response_model=ReportRead, responses=READ)
def read(report_id: ReportId, who: CurrentPrincipal, services: ServicesDep) -> ReportRead:
    """State, version, clocks, the committee's text and the caller's actions now."""
    with read_session(services.engine) as session:
        return _read(who.actor, report_reads.get_report(session, who.actor, report_id))


@router.post("/{report_id}/actions/{action}", response_model=ReportRead, responses=WRITE)
async def act(report_id: ReportId, action: ReportAction,
              body: Annotated[ReportActionRequest, Body(openapi_examples=ACT_EXAMPLES)],
              who: CurrentPrincipal, services: ServicesDep,
              request_id: RequestId) -> ReportRead:
    """Perform one row of the reports' table, with the version you saw."""

    def command(s: Session) -> report_reads.ReportWithClocks:
        return perform_report(
            s, services.ctx, report_id=report_id, action=Action(action.value),
            actor=who.actor, expected_version=body.expected_version,
            effective_on=body.effective_on, comment=body.comment, places=tuple(body.places),
            findings=body.findings, recommendations=body.recommendations,
            request_id=request_id,
        )

    return _read(who.actor, await services.run(command))


@router.get("/{report_id}/history", response_model=ReportHistoryRead, responses=READ)
def history(report_id: ReportId, who: CurrentPrincipal,
            services: ServicesDep) -> ReportHistoryRead:
    """The report's hash-chained records, oldest first."""
    with read_session(services.engine) as session:
        report, rows = report_reads.history(session, who.actor, report_id)
        records = [ReportRecordRead(
            seq=r.seq, action=r.action, from_state=r.from_state, to_state=r.to_state,
            actor_username=r.actor_username, actor_role=str(r.actor_role),
            effective_on=r.effective_on, recorded_at=r.recorded_at, comment=r.comment,
            details=r.details, hash=r.hash) for r in rows]
        refused = [RefusedRead.of(r) for r in report_reads.refused(session, who.actor, report.id)]
    return ReportHistoryRead(report_id=report.id, state=report.state, version=report.version,
                             records=records, refused=refused)


@router.get(
    "/{report_id}/figures",
    responses={
        **READ,
        409: WRITE[409],
        200: {"description": "the figures (JSON), or the report as PDF or .xlsx with `format`",
              "content": {"application/json": {}, PDF: {}, XLSX: {}}},
    },
)
def figures(report_id: ReportId, who: CurrentPrincipal, services: ServicesDep,
            format: Annotated[Literal["json", "pdf", "xlsx"], Query()] = "json") -> Any:
    """The report's figures as of its round's end (31 March or 30 September), from the
    progress of the plan it reports on; as PDF with the committee's findings and
    recommendations, or as .xlsx."""
    from workflow.report_data import figures_data

    with read_session(services.engine) as session:
        report, found, heading = report_reads.report_paper(
            session, who.actor, report_id, today_bangkok(services.clock))
    if format == "json":
        return figures_data(found, heading)
    name = f"monitoring-report-{report_id}.{format}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "pdf":
        from documents.pdf_report import render_report_pdf

        data = render_report_pdf(found, heading=heading, findings=report.findings or "",
                                 recommendations=report.recommendations or "")
        return Response(data, media_type=PDF, headers=disposition)
    from documents.workbook_report import report_workbook

    return Response(report_workbook(found, heading=heading), media_type=XLSX, headers=disposition)
