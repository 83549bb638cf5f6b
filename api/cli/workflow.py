"""`localplan workflow diagram`: the state machine, generated from the workflow table."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import parse_choice, settings
from models.enums import PlanKind

workflow_app = typer.Typer(no_args_is_help=True, help="The workflow table.")


@workflow_app.command("diagram")
def workflow_diagram(
    markdown: Annotated[bool, typer.Option(help="the whole docs/state-machine.md")] = False,
    kind: Annotated[str, typer.Option(help="annual | supplementary | amendment")] = "annual",
) -> None:
    """The state machine as Mermaid, generated from the workflow table."""
    from workflow.diagram import markdown as render_markdown
    from workflow.diagram import mermaid

    if markdown:
        typer.echo(render_markdown(), nl=False)
        return
    parsed = parse_choice(PlanKind, kind, "--kind must be annual, supplementary or amendment")
    typer.echo(mermaid(parsed, settings().policy()))
