"""`localplan deadlines`: the legal dates for one start date. The one command on the fast
path (docs/architecture.md, "Start-up"): on a current SQLite file with the default settings
it imports neither SQLAlchemy nor pydantic."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import fail, fail_domain, parse_date, session, settings
from models.enums import CountingMode

if TYPE_CHECKING:
    from workflow.calendar import WorkingCalendar


def deadlines(
    announced_on: Annotated[
        str | None, typer.Option(help="announcement date D (YYYY-MM-DD)")
    ] = None,
    posted_on: Annotated[str | None, typer.Option(help="posting date P")] = None,
    trigger_on: Annotated[str | None, typer.Option(help="budget announcement date B")] = None,
    mode: Annotated[str | None, typer.Option(help="strict | civil (default: the setting)")] = None,
    conservative: Annotated[bool, typer.Option(help="minimum posting: next working day")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """The legal dates for one start date, with the working-day advice."""
    given = [
        (k, v)
        for k, v in (
            ("posting", announced_on),
            ("minimum_posting", posted_on),
            ("preparation", trigger_on),
        )
        if v is not None
    ]
    if len(given) != 1:
        fail("give exactly one of --announced-on, --posted-on, --trigger-on")
    rule, raw = given[0]
    options = {"posting": "--announced-on", "minimum_posting": "--posted-on"}
    start = legal_date(parse_date(raw), options.get(rule, "--trigger-on"))
    # The fast path (no pydantic-settings, no SQLAlchemy) answers when it gives the same
    # result; see docs/architecture.md, "Start-up".
    from api.settings_quick import deadline_settings
    from workflow.deadlines import explain
    from workflow.overlay_quick import load_calendar_quick

    cfg = deadline_settings() or settings()
    try:
        counting = CountingMode(mode) if mode else cfg.counting_mode
    except ValueError:
        fail("--mode must be strict or civil")
    calendar = load_calendar_quick(cfg.database_url)
    if calendar is None:
        calendar = _load_calendar()
    info = explain(
        rule,
        start,
        mode=counting,
        conservative=conservative or cfg.conservative_minimum_posting,
        calendar=calendar,
    )
    if as_json:
        typer.echo(json.dumps(info, ensure_ascii=False))
        return
    from api.texts import explain_deadline

    typer.echo(explain_deadline(info))


def legal_date(day: date, option: str) -> date:
    """The legal-date rule (2000–2199) on a date option: its one line and exit 2."""
    from workflow.input_rules import LEGAL_DATE_MAX, LEGAL_DATE_MIN

    if not LEGAL_DATE_MIN <= day <= LEGAL_DATE_MAX:  # the rule, without importing its package
        from workflow.input_rules import InvalidInput, legal_date

        try:
            legal_date(day, field=option)
        except InvalidInput as refused:
            fail_domain(refused)
    return day


def _load_calendar() -> WorkingCalendar:
    """The calendar in force, through SQLAlchemy (the database migrated first)."""
    from workflow.overlay import load_calendar

    with session() as db:
        return load_calendar(db)
