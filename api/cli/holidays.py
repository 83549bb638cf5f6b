"""`localplan holidays`: the holiday calendar (the package seed plus the overlay)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import fail, operator, parse_date, run, session, settings
from models.enums import OverlayKind

if TYPE_CHECKING:
    from sqlmodel import Session

    from models.calendar import CalendarChange
    from workflow.overlay import OverlayEntry

holidays_app = typer.Typer(no_args_is_help=True, help="The holiday calendar (seed + overlay).")


def _change(entries: list[OverlayEntry]) -> None:
    """Apply overlay entries in one transaction and print the open deadlines each moved."""
    from models.clock import SystemClock
    from workflow.overlay import change_overlay

    cfg, clock, actor = settings(), SystemClock(), operator()

    def command(session: Session) -> list[CalendarChange]:
        return [
            change_overlay(session, entry=e, actor=actor, clock=clock, policy=cfg.policy())
            for e in entries
        ]

    for change in run(command, clock=clock, cfg=cfg):
        moved = change.moved
        typer.echo(f"{change.day} {change.change}: {len(moved)} open deadline(s) moved")
        for m in moved:
            typer.echo(
                f"  plan {m['plan_id']} {m['kind']}: due {m['due_on_before']} -> "
                f"{m['due_on_after']}, act by {m['last_working_on_before']} -> "
                f"{m['last_working_on_after']}"
            )


@holidays_app.command("list")
def holidays_list(year: Annotated[int, typer.Option(help="Gregorian (CE) year")] = 0) -> None:
    """Days off of a year: the package seed with the overlay applied."""
    from models.clock import SystemClock, today_bangkok
    from workflow.calendar import format_thai_date
    from workflow.overlay import list_overlay, load_calendar

    year = year or today_bangkok(SystemClock()).year
    if not 2000 <= year <= 2199:  # the legal dates' years (workflow/input_rules.py)
        fail("--year must be a legal year, 2000 to 2199")
    with session() as db:
        calendar, overlay = load_calendar(db), list_overlay(db)
    for day, name in calendar.holidays_between(date(year, 1, 1), date(year, 12, 31)):
        source = "overlay" if day in calendar.overlay.added else "package"
        typer.echo(f"{day.isoformat()}\t{format_thai_date(day)}\t{source}\t{name}")
    for entry in overlay:
        if entry.kind is OverlayKind.REMOVE and entry.day.year == year:
            typer.echo(
                f"{entry.day.isoformat()}\t{format_thai_date(entry.day)}\t"
                f"overlay: working day\t{entry.name} ({entry.source})"
            )


@holidays_app.command("add")
def holidays_add(
    day: str, name: Annotated[str, typer.Option()], source: Annotated[str, typer.Option()]
) -> None:
    """Declare a day off the package lacks (e.g. a cabinet special holiday)."""
    from workflow.overlay import OverlayEntry

    _change([OverlayEntry(parse_date(day), OverlayKind.ADD, name, source)])


@holidays_app.command("remove")
def holidays_remove(
    day: str, name: Annotated[str, typer.Option()], source: Annotated[str, typer.Option()]
) -> None:
    """Mark a day the package lists as a working day for government offices."""
    from workflow.overlay import OverlayEntry

    _change([OverlayEntry(parse_date(day), OverlayKind.REMOVE, name, source)])


@holidays_app.command("clear")
def holidays_clear(day: str) -> None:
    """Drop the overlay entry of a day: the package seed applies again."""
    from workflow.overlay import OverlayEntry

    _change([OverlayEntry(parse_date(day), None, "", "")])


@holidays_app.command("import")
def holidays_import(path: Path) -> None:
    """CSV with columns day,kind,name,source (kind: add | remove); all rows or none."""
    import csv

    from workflow.overlay import OverlayEntry

    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as err:
        fail(f"cannot read {path}: {err.strerror}")
    entries: list[OverlayEntry] = []
    for line, row in enumerate(rows, start=2):
        try:
            kind = OverlayKind((row.get("kind") or "").strip())
            entries.append(
                OverlayEntry(
                    date.fromisoformat((row.get("day") or "").strip()),
                    kind,
                    (row.get("name") or "").strip(),
                    (row.get("source") or "").strip(),
                )
            )
        except ValueError:
            fail(f"{path}:{line}: expected day (YYYY-MM-DD), kind (add|remove), name, source")
    _change(entries)
