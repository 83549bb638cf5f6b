"""`localplan backup -o FILE` and `localplan restore FILE`: the database, the evidence store
and the signing key together (api/backup.py; docs/operations.md "Backup and restore")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import fail, settings


def backup(
    output: Annotated[Path, typer.Option("-o", "--output", help="the backup file to write (tar)")],
) -> None:
    """Back up the database (consistent while serving), the evidence store and the key."""
    from api.backup import BackupError
    from api.backup import backup as take
    from models.clock import SystemClock

    cfg = settings()
    key = Path(cfg.signing_key_file) if cfg.signing_key_file else None
    try:
        taken = take(
            database_url=cfg.database_url,
            store=cfg.evidence_store(),
            key_file=key,
            output=output,
            now=SystemClock().now(),
        )
    except BackupError as err:
        fail(str(err))
    typer.echo(
        f"{output}: {taken.engine} database, {taken.files} evidence file(s), {taken.size} bytes"
    )


def restore(
    file: Annotated[Path, typer.Argument(help="a backup made by `localplan backup`")],
) -> None:
    """Restore a backup into the (new, empty) database of the settings, the evidence store
    and the key file's place, then run `audit verify`; exit 1 if it is not intact."""
    from sqlmodel import Session

    from api.backup import BackupError
    from api.backup import restore as put_back
    from api.cli.common import engine
    from workflow.audit import verify

    cfg = settings()
    key = Path(cfg.signing_key_file) if cfg.signing_key_file else None
    try:
        done = put_back(
            backup_file=file,
            database_url=cfg.database_url,
            store=cfg.evidence_store(),
            key_file=key,
        )
    except BackupError as err:
        fail(str(err))
    typer.echo(
        f"restored: {done.engine} database, {done.files} evidence file(s)"
        + (", key" if done.key else "")
    )
    with Session(engine(cfg)) as db:
        report = verify(db, store=cfg.evidence_store())
    for b in report.breaks:
        typer.echo(f"BROKEN plan {b.plan_id} {b.table} {b.row_id}: {b.problem}: {b.detail}")
    typer.echo(
        f"audit verify: {report.plans_checked} plan(s), {report.records_checked} record(s), "
        f"{report.evidence_files_checked} evidence file(s): "
        + ("intact" if report.intact else f"{len(report.breaks)} problem(s)")
    )
    if not report.intact:
        raise typer.Exit(1)
