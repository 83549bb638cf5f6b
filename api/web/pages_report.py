"""A monitoring report's page (docs/domain.md "Monitoring reports"): `/reports/{id}` with its
heading, dates, the committee's findings and recommendations, its clocks, a summary of its
figures (workflow/report_reads.report_paper) with the PDF and .xlsx the API's figures route
renders, its history, and one form per action the person may take now. `POST
/reports/{id}/actions/{action}` runs `perform_report` (the API's command) with the version the
page showed; a refusal comes back beside its field with the input kept (post/redirect/get,
api/web/flash.py), a stale version with the report's new state. Auditors read it only."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api import auth
from api.deps import Services
from api.routing import Routes
from api.web import flash, forms, i18n
from api.web.pages_documents import default_places, office_of
from api.web.pages_reports import labels, open_lines
from api.web.render import WebRoute, WebServices, Who, form_of, render
from models import store
from models.clock import today_bangkok
from models.db import read_session
from models.enums import Action, DeadlineKind, DeadlineStatus
from models.organization import Organization
from workflow import report_reads
from workflow.actors import Actor
from workflow.errors import DomainError
from workflow.progress_rules import STATUS_LABELS
from workflow.report_commands import perform_report
from workflow.report_values import STATUSES, shown
from workflow.table_reports import REPORT_ACTIONS, REPORT_RULES, find_report_rule

router = Routes(route_class=WebRoute, include_in_schema=False)
ReportId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The reports' actions by the table's own words (the first row of each action).
ACTION_NAMES: dict[str, tuple[str, str]] = {}
for _rule in REPORT_RULES:
    ACTION_NAMES.setdefault(_rule.action.value, (_rule.label_th, _rule.label_en))
KEPT = ("comment", "places", "findings", "recommendations")


def actions_for(actor: Actor, report: report_reads.ReportWithClocks) -> list[Action]:
    """What the person may do now: in the chosen role, or (no role chosen) in any role they
    hold for the report's organization, as the command then picks it (docs/domain.md
    "Memberships")."""
    if actor.chosen:
        return report_reads.actions_now(actor, report)
    found: dict[Action, None] = {}
    for held in actor.holdings:
        if held.organization_id not in (None, report.organization_id):
            continue
        one = replace(actor, role=held.role, organization_id=held.organization_id, chosen=True)
        found |= dict.fromkeys(report_reads.actions_now(one, report))
    return list(found)


def _figures(db: Any, who: auth.Principal, report_id: int, today: Any) -> tuple[Any, Any, Any]:
    """The report's figures and heading, or None and the reason they cannot be counted."""
    try:
        _, found, heading = report_reads.report_paper(db, who.actor, report_id, today)
    except DomainError as refused:  # no plan named; a round not over yet (as of a later day)
        return None, None, refused.reasons[0] if refused.reasons else None
    return found, heading, None


def _report_page(request: Request, services: Services, who: auth.Principal, report_id: int,
                 form: forms.FormState | None = None, status: int = 200) -> HTMLResponse:
    today = today_bangkok(services.clock)
    with read_session(services.engine) as db:
        report, records = report_reads.history(db, who.actor, report_id)
        org = db.get(Organization, report.organization_id)
        plan = store.PLANS.row(db.connection(), report.plan_id) if report.plan_id else None
        lines = open_lines(db, services, report)
        found, heading, why_none = _figures(db, who, report_id, today)
        office = office_of(db, org) if org is not None else None
    now = actions_for(who.actor, report)
    rules = [(a, find_report_rule(report.round, report.state, a)) for a in now]
    places = "\n".join(default_places(office, services.settings.public_url)) if office else ""
    minimum = report.clock(DeadlineKind.MINIMUM_POSTING)
    return render(
        request, "report.html", who=who, status=status, report=report, org=org, plan=plan,
        records=records, lines=lines, f=found, heading=heading, why_none=why_none,
        options=[(a, r) for a, r in rules if r is not None], form=form,
        offered={f"action-{a.value}" for a in now}, irreversible=i18n.IRREVERSIBLE,
        default_places=places, report_actions=ACTION_NAMES, kept_fields=KEPT,
        removal_from=minimum.due_on if minimum and minimum.status is DeadlineStatus.OPEN
        and minimum.due_on > today else None,
        saved=request.query_params.get("saved") is not None,
        statuses=[STATUS_LABELS[s] for s in STATUSES], shown=shown, **labels(),
    )


@router.get("/reports/{report_id:int}", response_class=HTMLResponse)
def report_page(request: Request, report_id: ReportId, who: Who, services: WebServices,
                saved: Annotated[str | None, Query(max_length=1)] = None) -> HTMLResponse:
    where = f"/reports/{report_id}"
    page = _report_page(request, services, who, report_id, flash.take(request, where))
    flash.forget(request, page)
    return page


def _command(services: Services, who: auth.Principal, report_id: int, action: Action,
             form: forms.FormState, request_id: str) -> Any:
    """The action form as a command; None with the problems noted on the form."""
    values, given = form.values, forms.action_form(form, action)
    if given is None:
        return None
    return lambda s: perform_report(
        s, services.ctx, report_id=report_id, action=action, actor=who.actor,
        expected_version=given.version, effective_on=given.effective_on,
        comment=given.comment, places=given.places,
        findings=values.get("findings") or None,
        recommendations=values.get("recommendations") or None, request_id=request_id,
    )


@router.post("/reports/{report_id:int}/actions/{action}", response_class=HTMLResponse)
async def act(request: Request, report_id: ReportId, action: Action, who: Who,
              services: WebServices) -> Response:
    values = await form_of(request)
    where = f"/reports/{report_id}"
    if action not in REPORT_ACTIONS:
        raise report_reads.not_found()
    form = forms.FormState(f"action-{action.value}", values)
    command = _command(services, who, report_id, action, form, request.state.request_id)
    refused = form
    if command is not None:
        try:
            await services.run(command)
            return RedirectResponse(f"{where}?saved=1", 303)
        except DomainError as error:
            if error.code in ("not_found", "too_many_attempts"):
                raise  # the 404 page: a report the person may not see
            refused = forms.refused_form(form.name, values, error)
    response = RedirectResponse(f"{where}#{form.name}", 303)
    if flash.keep(request, response, refused, where):
        return response
    return await run_in_threadpool(_report_page, request, services, who, report_id, refused, 422)


def _paper(services: Services, who: auth.Principal, report_id: int) -> tuple[Any, Any, Any]:
    with read_session(services.engine) as db:
        return report_reads.report_paper(db, who.actor, report_id, today_bangkok(services.clock))


@router.get("/reports/{report_id:int}/figures.pdf")
def figures_pdf(report_id: ReportId, who: Who, services: WebServices) -> Response:
    """The report as PDF, with the committee's findings (the API's renderer)."""
    from documents.pdf_report import render_report_pdf

    report, found, heading = _paper(services, who, report_id)
    data = render_report_pdf(found, heading=heading, findings=report.findings or "",
                             recommendations=report.recommendations or "")
    name = f"monitoring-report-{report_id}.pdf"
    return Response(data, media_type=PDF,
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get("/reports/{report_id:int}/figures.xlsx")
def figures_xlsx(report_id: ReportId, who: Who, services: WebServices) -> Response:
    """The report's figures as a workbook (the API's renderer)."""
    from documents.workbook_report import report_workbook

    _, found, heading = _paper(services, who, report_id)
    name = f"monitoring-report-{report_id}.xlsx"
    return Response(report_workbook(found, heading=heading), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
