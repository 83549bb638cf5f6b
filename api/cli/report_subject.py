"""`localplan report create|list|show|act`: monitoring reports (docs/domain.md "Monitoring
reports") from the command line, through the same commands as the API. A refusal is one line
on stderr and exit 2."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from api.cli.common import parse_date, run, session
from api.cli.report import report_app


def _actor(db: Any, username: str) -> Any:
    from workflow.accounts import actor_for, get_user

    return actor_for(db, get_user(db, username))


def _ctx() -> Any:
    from api.cli.common import settings
    from models.clock import SystemClock
    from workflow.command_base import Context

    cfg = settings()
    if not cfg.documents_at_announce:
        return Context(cfg.policy(), SystemClock())
    from documents.pdf_report_papers import report_announce_renderer

    # An announcement made here renders and stores the report's papers as the api's does.
    return Context(cfg.policy(), SystemClock(),
                   report_renderer=report_announce_renderer(cfg.public_url))


def _show(report: Any, as_json: bool) -> None:
    from workflow.table_reports import REPORT_STATE_LABELS

    if as_json:
        from api.schemas.reports import ReportRead

        typer.echo(ReportRead.of(report, []).model_dump_json(indent=2))
        return
    typer.echo(f"#{report.id} FY {report.fiscal_year_be} {report.round.value}: "
               f"{report.state.value} ({REPORT_STATE_LABELS[report.state][0]}) v{report.version}")
    for c in report.clocks:
        typer.echo(f"  {c.kind.value} {c.clause}: due {c.due_on} {c.status.value}")


@report_app.command("create")
def create(
    fiscal_year: Annotated[int, typer.Option("--fiscal-year", help="BE, e.g. 2562")],
    round_: Annotated[str, typer.Option("--round", help="half | annual")],
    username: Annotated[str, typer.Option(help="the staff member drafting it")],
    plan: Annotated[int | None, typer.Option(help="the plan in force")] = None,
) -> None:
    """Draft a monitoring report."""
    from models.enums import ReportRound
    from workflow.report_commands import create_report

    try:
        chosen = ReportRound(round_)
    except ValueError:
        typer.echo("--round: half or annual", err=True)
        raise typer.Exit(2) from None

    def command(db: Any) -> Any:
        actor = _actor(db, username)
        return create_report(db, _ctx(), organization_id=actor.organization_id or 0,
                             fiscal_year_be=fiscal_year, round_=chosen, actor=actor,
                             plan_id=plan)

    _show(run(command), False)


@report_app.command("list")
def list_reports(
    username: Annotated[str, typer.Option(help="read as this user")],
    fiscal_year: Annotated[int | None, typer.Option("--fiscal-year")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The reports the user may see."""
    from workflow.report_reads import ReportFilters
    from workflow.report_reads import list_reports as listed

    with session() as db:
        page, _ = listed(db, _actor(db, username), ReportFilters(fiscal_year_be=fiscal_year,
                                                                 limit=500))
    if as_json:
        typer.echo(json.dumps([r.id for r in page]))
        return
    for report in page:
        _show(report, False)


@report_app.command("show")
def show(
    report: Annotated[int, typer.Argument(help="the report's id")],
    username: Annotated[str, typer.Option(help="read as this user")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A report with its clocks."""
    from api.cli.common import Reported
    from workflow.report_reads import get_report

    with session() as db, Reported():
        _show(get_report(db, _actor(db, username), report), as_json)


@report_app.command("act")
def act(
    report: Annotated[int, typer.Argument(help="the report's id")],
    action: Annotated[str, typer.Argument(help="submit, approve, present, announce, …")],
    username: Annotated[str, typer.Option(help="who acts")],
    expected_version: Annotated[int, typer.Option("--expected-version")],
    on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD: the legal date")] = None,
    comment: Annotated[str | None, typer.Option(help="the reason")] = None,
    place: Annotated[list[str] | None, typer.Option("--place")] = None,
    findings: Annotated[str | None, typer.Option()] = None,
    recommendations: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Perform one row of the reports' table."""
    from models.enums import Action
    from workflow.report_commands import perform_report
    from workflow.table_reports import REPORT_ACTIONS

    if action not in {a.value for a in REPORT_ACTIONS}:
        typer.echo(f"action: one of {', '.join(a.value for a in REPORT_ACTIONS)}", err=True)
        raise typer.Exit(2)
    day = parse_date(on) if on else None

    def command(db: Any) -> Any:
        return perform_report(db, _ctx(), report_id=report, action=Action(action),
                              actor=_actor(db, username), expected_version=expected_version,
                              effective_on=day, comment=comment, places=tuple(place or ()),
                              findings=findings, recommendations=recommendations)

    _show(run(command), False)
