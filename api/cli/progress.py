"""`localplan progress show | record | import | export`: the progress of the plan in force
(docs/domain.md "Progress"; docs/api.md "Progress"). A refusal is one line on stderr and
exit 2, each problem with its field, or its sheet, row and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli.common import Reported, engine, fail, session, settings

if TYPE_CHECKING:
    from sqlmodel import Session

    from workflow.actors import Actor

progress_app = typer.Typer(no_args_is_help=True, help="ความก้าวหน้าของแผน / progress")
Plan = Annotated[int, typer.Option(help="an announced plan's id")]
Username = Annotated[str, typer.Option(help="the staff member it is recorded as")]


def _actor(db: Session, username: str | None) -> Actor:
    if username is None:
        from workflow.actors import SYSTEM

        return SYSTEM
    from workflow.accounts import actor_for, get_user

    return actor_for(db, get_user(db, username))


def _run(command: Any) -> Any:
    """One command in its transaction; a refusal named field by field (or cell by cell)."""
    from models.clock import SystemClock
    from workflow import uow
    from workflow.progress import BatchInvalid, ItemProgressInvalid

    with Reported():
        try:
            return uow.run(engine(settings()), SystemClock(), command)
        except ItemProgressInvalid as err:
            fail(
                "validation_error: "
                + "; ".join(
                    f"{p.field} {p.reason.code}: {p.reason.en} / {p.reason.th}"
                    for p in err.problems
                )
            )
        except BatchInvalid as err:
            fail("workbook_invalid: " + "; ".join(_where(p) for p in err.problems))


def _where(p: Any) -> str:
    return f"{p.sheet}!{p.column} row {p.row} {p.code}: {p.en} / {p.th}"


def _ctx() -> Any:
    from models.clock import SystemClock
    from workflow.command_base import Context

    return Context(settings().policy(), SystemClock())


@progress_app.command("show")
def show(
    plan: Plan,
    as_json: Annotated[bool, typer.Option("--json", help="the API's sheet as JSON")] = False,
    username: Annotated[str | None, typer.Option(help="read as this user")] = None,
) -> None:
    """Every project and equipment row of the plan in force with its latest progress."""
    from api.routes.progress import SheetRead
    from workflow.progress import read_sheet

    with session() as db, Reported():
        sheet = SheetRead.of(read_sheet(db, plan_id=plan, actor=_actor(db, username)))
    if as_json:
        typer.echo(json.dumps(sheet.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    for item in sheet.items:
        latest = item.latest
        state = "-"
        if latest is not None:
            money = f"{latest.disbursed_baht}/{latest.committed_baht}"
            state = f"{latest.status_th} {money} ({latest.as_of})"
        typer.echo(f"{item.id}  {item.kind:9}  {item.planned_baht:>14}  {state}  {item.name}")


@progress_app.command("record")
def record(
    plan: Plan,
    item: Annotated[str, typer.Option(help="the project's or equipment row's id")],
    status: Annotated[str, typer.Option(help="not_started, in_progress, completed, cancelled")],
    username: Username,
    committed: Annotated[str | None, typer.Option(help="baht committed")] = None,
    disbursed: Annotated[str | None, typer.Option(help="baht disbursed")] = None,
    started: Annotated[str | None, typer.Option(help="วว/ดด/ปปปป (พ.ศ.)")] = None,
    finished: Annotated[str | None, typer.Option(help="วว/ดด/ปปปป (พ.ศ.)")] = None,
    as_of: Annotated[str | None, typer.Option(help="วว/ดด/ปปปป (พ.ศ.); today if not given")] = None,
    note: Annotated[str | None, typer.Option(help="หมายเหตุ")] = None,
    file: Annotated[list[Path] | None, typer.Option(help="a photo or PDF (repeatable)")] = None,
) -> None:
    """Record one item's progress as of a date."""
    from workflow.progress import File
    from workflow.progress import record as record_progress

    cfg = settings()
    files = []
    for path in file or []:
        if not path.is_file():
            fail(f"no such file: {path}")
        files.append(File(path.read_bytes(), path.name))
    data = {
        "status": status,
        "committed_baht": committed,
        "disbursed_baht": disbursed,
        "started_on": started,
        "finished_on": finished,
        "as_of": as_of,
        "note": note,
    }
    how = None
    if files:
        from api.evidence_config import attaching

        how = attaching(cfg)  # the store, and the public copies of photos
    done = _run(
        lambda s: record_progress(
            s,
            _ctx(),
            plan_id=plan,
            actor=_actor(s, username),
            item_id=item,
            data=data,
            files=files,
            blobs=None if how is None else how.store,
            public_copy=None if how is None else how.public_copy,
        )
    )
    entry = done.entry
    typer.echo(f"plan {entry['plan_id']} entry {entry['seq']}: {item} {entry['status']}")
    for w in done.warnings:
        typer.echo(f"warning {w.code}: {w.en} / {w.th}", err=True)


@progress_app.command("import")
def progress_import(
    file: Annotated[Path, typer.Argument(help="the progress sheet (.xlsx), filled in")],
    plan: Plan,
    username: Username,
) -> None:
    """Record every filled row of the sheet, all or nothing."""
    from documents.workbook_progress import read_progress
    from documents.workbook_safety import Limits, WorkbookRefused
    from workflow.progress import record_batch

    cfg = settings()
    if not file.is_file():
        fail(f"no such file: {file}")
    limits = Limits(max_bytes=cfg.workbook_max_bytes, max_rows=cfg.workbook_max_rows)
    try:
        lines = read_progress(file.read_bytes(), limits=limits)
    except WorkbookRefused as refused:
        fail("workbook_invalid: " + "; ".join(_where(p) for p in refused.problems))
    done = _run(
        lambda s: record_batch(
            s,
            _ctx(),
            plan_id=plan,
            actor=_actor(s, username),
            lines=lines,
            source=f"xlsx: {file.name}",
        )
    )
    typer.echo(f"plan {plan}: {len(done)} entries recorded")
    for r in done:
        for w in r.warnings:
            typer.echo(f"warning {r.entry['item_id']} {w.code}: {w.en} / {w.th}", err=True)


@progress_app.command("export")
def progress_export(
    plan: Plan,
    output: Annotated[Path, typer.Option("-o", "--output", help="the .xlsx to write")],
    username: Annotated[str | None, typer.Option(help="read as this user")] = None,
) -> None:
    """The progress sheet as .xlsx: one row per project and equipment row."""
    from documents.workbook_progress import export_progress

    with session() as db, Reported():
        data = export_progress(db, plan_id=plan, actor=_actor(db, username))
    output.write_bytes(data)
    typer.echo(f"{output}: {len(data)} bytes")
