"""`localplan audit verify|heads|checkpoint|prove`: the integrity of the history (the hash
chains, and the log with its signed checkpoints: docs/integrity.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import fail, session, settings

if TYPE_CHECKING:
    from sqlmodel import Session

    from workflow.audit import Break, Head, VerifyReport
    from workflow.log import LogFinding

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


def _print_report(
    report: VerifyReport,
    saved: list[Head],
    *,
    given: bool,
    as_json: bool,
    log: list[LogFinding] | None = None,
) -> None:
    found = log or []
    if as_json:
        answer = {
            "intact": report.intact and not found,
            "plans_checked": report.plans_checked,
            "records_checked": report.records_checked,
            "deadlines_checked": report.deadlines_checked,
            "extensions_checked": report.extensions_checked,
            "calendar_changes_checked": report.calendar_changes_checked,
            "content_versions_checked": report.content_versions_checked,
            "drafts_checked": report.drafts_checked,
            "evidence_checked": report.evidence_checked,
            "evidence_files_checked": report.evidence_files_checked,
            "documents_checked": report.documents_checked,
            "progress_checked": report.progress_checked,
            "unchecked": report.unchecked,
            "heads_checked": len(saved),
            "breaks": [b.as_dict() for b in report.breaks],
        }
        if log is not None:
            answer["log"] = [f.as_dict() for f in found]
        typer.echo(json.dumps(answer))
        return
    typer.echo(
        f"plans checked: {report.plans_checked}, records: {report.records_checked}"
        + (f", saved heads: {len(saved)}" if given else "")
    )
    for table_field, count in sorted(report.unchecked.items()):
        typer.echo(f"not checkable: {table_field} of {count} row(s) (history older than the field)")
    for b in report.breaks:
        typer.echo(f"BROKEN {_where(b)}: {b.problem}: {b.detail}")
    for f in found:
        where = f" {f.table} {f.row_id}" if f.table else ""
        typer.echo(f"BROKEN log{where}: {f.problem}: {f.detail}")
    problems = len(report.breaks) + len(found)
    typer.echo("intact" if not problems else f"{problems} problem(s) found")


def _where(b: Break) -> str:
    """Plan and record as before; a row of another table by table, id and field."""
    plan = f"plan {b.plan_id} " if b.plan_id is not None else ""
    if b.table == "transition_record":
        return f"{plan}record {b.seq or '-'}"
    row = f" {b.row_id}" if b.row_id is not None else ""
    return f"{plan}{b.table}{row}" + (f" {b.field}" if b.field else "")


@audit_app.command("verify")
def audit_verify(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    heads: Annotated[
        Path | None, typer.Option(help="chain heads saved earlier by `localplan audit heads`")
    ] = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option(help="a signed checkpoint kept earlier: also prove the log extends it"),
    ] = None,
) -> None:
    """Replay every plan's hash chain and check the plan rows, deadlines, extensions and the
    holiday overlay against it, and the log against its rows (docs/integrity.md); exit 1 with
    a report if anything differs. With --checkpoint, also prove the log extends the kept one
    (with the public key of LOCALPLAN_SIGNING_KEY_FILE)."""
    from workflow.audit import check_heads, verify
    from workflow.verify_actors import verify_actors

    saved = _saved_heads(heads) if heads is not None else []
    with session() as db:
        report = verify(db, store=settings().evidence_store())  # evidence files re-hashed
        report.breaks.extend(check_heads(db, saved))
        found = _log_findings(db, checkpoint)
        found += verify_actors(db)  # each actor existed and held that role then
    _print_report(report, saved, given=heads is not None, as_json=as_json, log=found)
    if not report.intact or found:
        raise typer.Exit(1)


def _log_findings(db: Session, checkpoint: Path | None) -> list[LogFinding]:
    """The log against its rows and frozen leaves, always; the stored checkpoints' signatures
    when this process has the key; and the kept checkpoint when one is given."""
    from workflow.log import verify_log, verify_saved

    if checkpoint is None:
        public = _public_keys()
        found = verify_log(db, public_keys=public)
        if not public:  # no key here: rows and leaves are checked, signatures cannot be
            found = [f for f in found if f.problem != "checkpoint_key"]
        return found
    from api.cli.keys import signing_key
    from workflow.checkpoints import public_key_of

    key = signing_key()
    public_key = public_key_of(key.private_key)
    try:
        note = checkpoint.read_text(encoding="utf-8")
    except OSError as err:
        fail(f"cannot read the checkpoint {checkpoint}: {err.strerror}")
    return [
        *verify_saved(db, note, name=key.name, public_key=public_key),
        *verify_log(db, public_keys={key.name: public_key}),
    ]


def _public_keys() -> dict[str, bytes]:
    """The installation's public key by name, if LOCALPLAN_SIGNING_KEY_FILE is set."""
    from api.cli.common import settings

    if settings().signing_key_file is None:
        return {}
    from api.cli.keys import signing_key
    from workflow.checkpoints import public_key_of

    key = signing_key()
    return {key.name: public_key_of(key.private_key)}


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign a checkpoint of the log now (the scheduler signs one daily); prints the note."""
    from api.cli.common import run
    from api.cli.keys import signing_key
    from models.clock import SystemClock
    from workflow.log import sign_checkpoint

    key, clock = signing_key(), SystemClock()
    point = run(lambda s: sign_checkpoint(s, key=key, clock=clock))
    if point is None:
        typer.echo("the log has not grown since the last checkpoint", err=True)
        with session() as db:
            from workflow.log import latest_checkpoint

            last = latest_checkpoint(db)
            if last is not None:
                typer.echo(last.note, nl=False)
        return
    typer.echo(point.note, nl=False)


@audit_app.command("prove")
def audit_prove(
    record: Annotated[int, typer.Option(help="a transition record's id")],
) -> None:
    """The inclusion proof of a transition record in the latest signed checkpoint (JSON)."""
    from workflow.log import inclusion

    with session() as db:
        try:
            proof = inclusion(db, table="transition_record", row_id=record)
        except LookupError as err:
            fail(str(err))
    typer.echo(json.dumps(proof, ensure_ascii=False, indent=1))


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


def _register_pack_commands() -> None:
    """`audit pack` and `audit verify-pack` (api/cli/audit_pack.py)."""
    from api.cli import audit_ita, audit_pack

    audit_app.command("pack")(audit_pack.pack)
    audit_app.command("verify-pack")(audit_pack.verify_pack)
    audit_app.command("compliance-pdf")(audit_pack.compliance_pdf)
    audit_app.command("ita")(audit_ita.ita)


_register_pack_commands()
