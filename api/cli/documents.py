"""`localplan document plan|notice`: a plan's book or its ประกาศ as a PDF file (the stored
file of the announcement when there is one, byte for byte)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import Reported, session, settings

document_app = typer.Typer(no_args_is_help=True, help="The plan and the ประกาศ as PDF.")
PlanOption = Annotated[int, typer.Option("--plan", min=1, max=2**31 - 1, help="the plan's id")]
Output = Annotated[Path, typer.Option("-o", "--output", help="the PDF file to write")]


def _write(data: bytes, output: Path) -> None:
    import hashlib

    output.write_bytes(data)
    typer.echo(f"{output}\t{len(data)} bytes\tsha256 {hashlib.sha256(data).hexdigest()}")


@document_app.command("plan")
def document_plan(
    plan: PlanOption,
    output: Output,
    version: Annotated[
        int | None, typer.Option(min=1, help="the frozen content version (default: announced)")
    ] = None,
) -> None:
    """The plan book of a frozen content version."""
    from documents.pdf_papers import plan_bytes
    from workflow.actors import SYSTEM
    from workflow.scoped_reads import get_visible_plan

    with Reported(), session() as db:
        found, organization = get_visible_plan(db, SYSTEM, plan)
        data, _ = plan_bytes(db, plan=found, organization=organization, version=version)
    _write(data, output)


@document_app.command("notice")
def document_notice(plan: PlanOption, output: Output) -> None:
    """The ประกาศ of an announced plan."""
    from documents.pdf_papers import notice_bytes
    from workflow.actors import SYSTEM
    from workflow.scoped_reads import get_visible_plan

    with Reported(), session() as db:
        found, organization = get_visible_plan(db, SYSTEM, plan)
        public = settings().public_url
        data = notice_bytes(db, plan=found, organization=organization, public_url=public)
    _write(data, output)
