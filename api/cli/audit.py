"""`localplan audit verify|heads`: the integrity of the hash-chained history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import fail, session

if TYPE_CHECKING:
    from workflow.audit import Head, VerifyReport

audit_app = typer.Typer(no_args_is_help=True, help="Integrity of the history.")


def _saved_heads(heads: Path) -> list[Head]:
    """The chain heads an auditor kept (the JSON of `localplan audit heads`)."""
    from workflow.audit import Head

    try:
        return [
            Head(int(h["plan_id"]), int(h["version"]), str(h["hash"]))
            for h in json.loads(heads.read_text(encoding="utf-8"))["heads"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as err:
        fail(f"cannot read chain heads from {heads}: {err}")


def _print_report(report: VerifyReport, saved: list[Head], *, given: bool, as_json: bool) -> None:
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "intact": report.intact,
                    "plans_checked": report.plans_checked,
                    "records_checked": report.records_checked,
                    "heads_checked": len(saved),
                    "breaks": [b.as_dict() for b in report.breaks],
                }
            )
        )
        return
    typer.echo(
        f"plans checked: {report.plans_checked}, records: {report.records_checked}"
        + (f", saved heads: {len(saved)}" if given else "")
    )
    for b in report.breaks:
        typer.echo(f"BROKEN plan {b.plan_id} record {b.seq or '-'}: {b.problem}: {b.detail}")
    typer.echo("intact" if report.intact else f"{len(report.breaks)} problem(s) found")


@audit_app.command("verify")
def audit_verify(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    heads: Annotated[
        Path | None, typer.Option(help="chain heads saved earlier by `localplan audit heads`")
    ] = None,
) -> None:
    """Walk every plan's hash chain and replay its states; exit 1 with a report if broken."""
    from workflow.audit import check_heads, verify

    saved = _saved_heads(heads) if heads is not None else []
    with session() as db:
        report = verify(db)
        report.breaks.extend(check_heads(db, saved))
    _print_report(report, saved, given=heads is not None, as_json=as_json)
    if not report.intact:
        raise typer.Exit(1)


@audit_app.command("heads")
def audit_heads() -> None:
    """Print every plan's chain head (JSON) for an auditor to keep outside the system."""
    from models.clock import SystemClock
    from workflow.audit import chain_heads

    with session() as db:
        found = chain_heads(db)
    typer.echo(
        json.dumps(
            {"exported_at": SystemClock().now().isoformat(), "heads": [h.as_dict() for h in found]},
            indent=1,
        )
    )
