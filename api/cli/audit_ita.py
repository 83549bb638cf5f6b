"""`localplan audit ita`: the transparency checklist of an ITA year for every organization, or
the ones `--organization` names (a code or part of a name), as lines or a CSV (docs/domain.md
"The transparency checklist")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import fail, fail_domain, session


def ita(
    year: Annotated[int, typer.Option(help="the ITA year, BE (e.g. 2567)")],
    organization: Annotated[
        str | None, typer.Option(help="an organization's code, or a part of its name")
    ] = None,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="write the rows to this CSV (Thai headers, BOM)")
    ] = None,
) -> None:
    """Each organization's items (ok, missing, not_yet, unknown) and what is missing."""
    from api.csv_export import csv_text
    from models.clock import SystemClock, today_bangkok
    from workflow import ita as checklist
    from workflow.actors import SYSTEM
    from workflow.errors import DomainError

    filters = checklist.ScopeFilters(organization=organization)
    try:
        with session() as db:
            found, rows = checklist.across_scope(
                db, SYSTEM, year=year, filters=filters, today=today_bangkok(SystemClock())
            )
    except DomainError as error:
        fail_domain(error)
    if organization is not None and not rows:
        fail(f"no organization matches {organization!r}")
    if csv is not None:
        header, cells = checklist.csv_table(found, rows)
        csv.write_text(csv_text(header, cells), encoding="utf-8")
    for row in rows:
        items = " ".join(f"{line.code}={line.status}" for line in row.items)
        missing = ", ".join(row.missing) or "-"
        typer.echo(f"{row.code}\t{row.name}\t{items}\tmissing: {missing}")
    if found.basis == "assumption":
        typer.echo(f"note: the items of {year} are an assumption ({found.basis_note})", err=True)
