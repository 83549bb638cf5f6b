"""`localplan report figures`: the monitoring report's figures of a plan in force as of a date
(docs/domain.md "The report's figures"; docs/api.md "Progress"), printed, as the API's JSON,
or written as PDF and .xlsx. A refusal is one line on stderr and exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import Reported, parse_date, session

report_app = typer.Typer(no_args_is_help=True, help="รายงานผลการติดตาม / monitoring reports")


@report_app.command("figures")
def figures(
    plan: Annotated[int, typer.Option(help="an announced plan's id")],
    as_of: Annotated[str, typer.Option("--as-of", help="YYYY-MM-DD, in the plan's fiscal year")],
    as_json: Annotated[bool, typer.Option("--json", help="the API's JSON")] = False,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="write the PDF here")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="write the .xlsx here")] = None,
    username: Annotated[str | None, typer.Option(help="read as this user")] = None,
) -> None:
    """Per strategy, overall and for equipment: counts against both denominators and money."""
    from api.cli.progress import _actor
    from models.clock import SystemClock, today_bangkok
    from workflow.report_data import figures_data, visible_figures
    from workflow.report_values import shown

    day = parse_date(as_of)
    with session() as db, Reported():
        found, heading = visible_figures(
            db, plan_id=plan, actor=_actor(db, username), as_of=day,
            today=today_bangkok(SystemClock()),
        )  # fmt: skip
    if pdf is not None:
        from documents.pdf_report import render_report_pdf

        pdf.write_bytes(render_report_pdf(found, heading=heading, findings="", recommendations=""))
        typer.echo(f"{pdf}: PDF written", err=as_json)
    if xlsx is not None:
        from documents.workbook_report import report_workbook

        xlsx.write_bytes(report_workbook(found, heading=heading))
        typer.echo(f"{xlsx}: workbook written", err=as_json)
    if as_json:
        typer.echo(json.dumps(figures_data(found, heading), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{heading.organization} FY {heading.fiscal_year_be} ({heading.round}) as of {day}")
    for t in (*found.strategies, found.overall, found.equipment):
        counts = "  ".join(
            f"{c.status.value} {c.count} ({shown(c.of_all)}%; {c.approved_count} "
            f"{shown(c.of_approved)}%)"
            for c in t.statuses
        )
        typer.echo(
            f"{t.name}: {t.items} items, {t.approved} approved; {counts}; planned "
            f"{t.planned_baht:,.2f} committed {t.committed_baht:,.2f} "
            f"disbursed {t.disbursed_baht:,.2f}"
        )

from api.cli import report_subject as _report_subject  # noqa: E402,F401  (create|list|show|act)
