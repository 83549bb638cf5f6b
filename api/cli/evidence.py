"""`localplan evidence gc`: remove the evidence store's files no entry names, and the leftovers
of interrupted writes, older than the grace period (workflow/evidence_gc.py; docs/operations.md
"The evidence store")."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import fail, session, settings

evidence_app = typer.Typer(no_args_is_help=True, help="The evidence store.")


@evidence_app.command("gc")
def evidence_gc(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="list, remove nothing")] = False,
    grace_hours: Annotated[
        float | None,
        typer.Option(
            help="keep files younger than this (default LOCALPLAN_EVIDENCE_GC_GRACE_HOURS)"
        ),
    ] = None,
) -> None:
    """Remove unreferenced evidence files and tmp/ leftovers older than the grace period;
    prints each one removed (or, with --dry-run, that would be)."""
    from datetime import timedelta

    from models.clock import SystemClock
    from workflow.evidence_gc import sweep

    cfg = settings()
    hours = cfg.evidence_gc_grace_hours if grace_hours is None else grace_hours
    if hours < 0:
        fail("--grace-hours cannot be negative")
    store = cfg.evidence_store()
    with session(cfg) as db:
        swept = sweep(db, store=store, now=SystemClock().now(), grace=timedelta(hours=hours),
                      dry_run=dry_run)  # fmt: skip
    verb = "would remove" if dry_run else "removed"
    for found in swept.removed:
        typer.echo(f"{verb} {found.name} ({found.size} bytes, no entry names it)")
    for found in swept.leftovers:
        typer.echo(f"{verb} tmp/{found.name} ({found.size} bytes, an interrupted write)")
    typer.echo(
        f"{store.root}: {verb} {len(swept.removed)} file(s) and {len(swept.leftovers)} "
        f"leftover(s), {swept.freed} bytes; kept {swept.kept} referenced, {swept.young} "
        f"within the grace period of {hours:g} h"
    )
