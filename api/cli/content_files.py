"""`localplan content import | export | duplicates`: a plan's content as a spreadsheet and its
likely duplicates (docs/api.md "Spreadsheets and duplicates"). Registered on the `content`
group (api/cli/content.py) by `register`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import Reported, fail, run, session, settings

if TYPE_CHECKING:
    from sqlmodel import Session

    from workflow.actors import Actor
    from workflow.command_base import Context


def register(group: typer.Typer) -> None:
    group.command("import")(content_import)
    group.command("export")(content_export)
    group.command("duplicates")(content_duplicates)


def _actor(db: Session, username: str | None) -> Actor:
    """The user named, or for a read with none the whole installation's view (the operator
    at the terminal holds the database; reads write no record)."""
    if username is None:
        from workflow.actors import SYSTEM

        return SYSTEM
    from workflow.accounts import actor_for, get_user

    return actor_for(db, get_user(db, username))


def content_import(
    file: Annotated[Path, typer.Argument(help="the .xlsx (ผด.02 / ผด.02/1 sheets)")],
    plan: Annotated[int, typer.Option(help="the plan's id")],
    username: Annotated[str, typer.Option(help="the staff member the import is recorded as")],
    expected_revision: Annotated[int | None, typer.Option(help="the draft revision seen")] = None,
) -> None:
    """Replace the draft's content with the file's (all or nothing; recorded as an edit)."""
    from documents.workbook import Limits, WorkbookRefused, read_for_import
    from workflow.content import replace_content

    cfg = settings()
    if not file.is_file():
        fail(f"no such file: {file}")
    data = file.read_bytes()
    limits = Limits(max_bytes=cfg.workbook_max_bytes, max_rows=cfg.workbook_max_rows)
    with session(cfg) as db, Reported():
        actor = _actor(db, username)
        try:
            draft, content = read_for_import(
                db, plan_id=plan, actor=actor, data=data, limits=limits
            )
        except WorkbookRefused as refused:  # every problem, where it is, on the one line
            fail("workbook_invalid: " + "; ".join(_where(p) for p in refused.problems))
    revision = draft.revision if expected_revision is None else expected_revision
    new = run(
        lambda s: replace_content(
            s,
            _ctx(),
            plan_id=plan,
            actor=actor,
            expected_revision=revision,
            content=content,
            source=f"xlsx: {file.name}",
        ),
        cfg=cfg,
    )
    typer.echo(
        f"plan {plan}: revision {new.revision}, {len(new.content.projects)} projects, "
        f"{len(new.content.equipment)} equipment, sha256 {new.sha256}"
    )


def _where(p: object) -> str:
    from workflow.content_model import Problem

    assert isinstance(p, Problem)
    place = "!".join(x for x in (p.sheet, p.column or "") if x)
    row = f" row {p.row}" if p.row is not None else ""
    return f"{place}{row} {p.code}: {p.en} / {p.th}".strip()


def _ctx() -> Context:
    from models.clock import SystemClock
    from workflow.command_base import Context

    return Context(settings().policy(), SystemClock())


def content_export(
    plan: Annotated[int, typer.Option(help="the plan's id")],
    output: Annotated[Path, typer.Option("-o", "--output", help="the .xlsx to write")],
    username: Annotated[str | None, typer.Option(help="read as this user")] = None,
) -> None:
    """The plan's content as one .xlsx (ผด.01, ผด.02, ผด.02/1 and what they have no column for)."""
    from documents.workbook import export_plan

    with session() as db, Reported():
        data = export_plan(db, plan_id=plan, actor=_actor(db, username))
    output.write_bytes(data)
    typer.echo(f"{output}: {len(data)} bytes")


def content_duplicates(
    plan: Annotated[int, typer.Option(help="the plan's id")],
    as_json: Annotated[bool, typer.Option("--json", help="a JSON list of pairs")] = False,
    username: Annotated[str | None, typer.Option(help="read as this user")] = None,
) -> None:
    """Likely duplicated projects: within the plan, with outside agencies' projects, and in
    the organization's other plans of the same fiscal year. Never blocking."""
    from workflow.duplicates import flag_data
    from workflow.duplicates_scan import list_duplicates

    with session() as db, Reported():
        flags = list_duplicates(db, plan_id=plan, actor=_actor(db, username))
    if as_json:
        typer.echo(json.dumps([flag_data(f) for f in flags], ensure_ascii=False, indent=2))
        return
    for f in flags:
        typer.echo(f"{f.score:3d}  {f.a.name}  ~  {f.b.name} ({f.b.plan_title})  {f.why_th}")
    if not flags:
        typer.echo("ไม่พบโครงการที่อาจซ้ำกัน / no likely duplicates")
