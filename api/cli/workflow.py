"""`localplan workflow diagram | correct`: the state machine, generated from the workflow table,
and the correction of a record (docs/domain.md "Corrections")."""

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


@workflow_app.command("correct")
def workflow_correct(
    plan: Annotated[int, typer.Option(help="the plan's id")],
    record: Annotated[int, typer.Option(help="the number (seq) of the record to correct")],
    field: Annotated[str, typer.Option(help="effective_on | trigger_on | places | comment")],
    reason: Annotated[str, typer.Option(help="why the record was wrong (required)")],
    username: Annotated[
        str, typer.Option(help="who corrects: the role that acted, or the executive")
    ],
    value: Annotated[
        list[str] | None,
        typer.Option(help="the new value (a date วว/ดด/ปปปป in พ.ศ. or ISO); repeat for places"),
    ] = None,
    expected_version: Annotated[int | None, typer.Option(help="the version seen")] = None,
) -> None:
    """Correct a field of a plan's record by a record of its own (docs/domain.md
    "Corrections"); the deadlines it counts are recomputed."""
    from api.cli.common import Reported, run, session
    from models.clock import SystemClock
    from models.plan import Plan
    from workflow.accounts import actor_for, get_user
    from workflow.command_base import Context
    from workflow.corrections import correct_record

    given = value or []
    new: object = given if field == "places" else (given[0] if given else None)
    cfg = settings()
    with session(cfg) as db, Reported():
        actor = actor_for(db, get_user(db, username))
        stored = db.get(Plan, plan)
        version = (
            expected_version if expected_version is not None else (stored.version if stored else 0)
        )
    done = run(
        lambda s: correct_record(
            s,
            Context(cfg.policy(), SystemClock()),
            plan_id=plan,
            seq=record,
            field=field,
            value=new,
            reason_text=reason,
            actor=actor,
            expected_version=version,
        ),
        cfg=cfg,
    )
    typer.echo(f"plan {plan}: record {record} {field} corrected; version {done.version}")
