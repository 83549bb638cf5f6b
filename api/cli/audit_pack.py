"""`localplan audit pack` and `localplan audit verify-pack`: the audit pack of a plan or of an
organization's fiscal year, written as a zipped BagIt bag, and checked offline
(docs/domain.md "The audit pack")."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import fail, fail_domain, session, settings

if TYPE_CHECKING:
    from sqlmodel import Session

    from models.plan import Plan


def _chosen(
    db: Session, plan: int | None, organization: str | None, fiscal_year: int | None
) -> list[Plan]:
    from documents.pack import plans_of_plan, plans_of_year
    from workflow.actors import SYSTEM
    from workflow.errors import DomainError

    if (plan is None) == (organization is None) or (organization is None) != (fiscal_year is None):
        fail("give --plan N, or --organization CODE with --fiscal-year YYYY")
    try:
        if plan is not None:
            chosen = plans_of_plan(db, SYSTEM, plan)  # the operator reads all
        else:
            assert organization is not None and fiscal_year is not None
            chosen = plans_of_year(db, SYSTEM, organization, fiscal_year)
    except DomainError as err:
        fail_domain(err)
    if not chosen:
        fail("no plans of that organization in that fiscal year")
    return chosen


def pack(
    output: Annotated[Path, typer.Option("-o", "--output", help="the .zip to write")],
    plan: Annotated[int | None, typer.Option(help="one plan's pack")] = None,
    organization: Annotated[str | None, typer.Option(help="an organization's code")] = None,
    fiscal_year: Annotated[int | None, typer.Option(help="with --organization: B.E.")] = None,
) -> None:
    """Write the audit pack: --plan N, or --organization CODE --fiscal-year YYYY."""
    from documents.pack import make
    from models.clock import SystemClock

    cfg = settings()
    with session(cfg) as db:
        chosen = _chosen(db, plan, organization, fiscal_year)
        data = make(db, plans=chosen, store=cfg.evidence_store(), clock=SystemClock(),
                    requirement=cfg.evidence_policy)  # fmt: skip
    output.write_bytes(data)
    typer.echo(f"{output}: {len(chosen)} plan(s), {len(data)} bytes")


def compliance_pdf(
    output: Annotated[Path, typer.Option("-o", "--output", help="the .pdf to write")],
    plan: Annotated[int | None, typer.Option(help="one plan's summary")] = None,
    organization: Annotated[str | None, typer.Option(help="an organization's code")] = None,
    fiscal_year: Annotated[int | None, typer.Option(help="with --organization: B.E.")] = None,
) -> None:
    """Write the compliance summary in Thai (the pack's compliance.pdf): --plan N, or
    --organization CODE --fiscal-year YYYY."""
    from documents.pack_summary import summary_pdf_of
    from models.clock import SystemClock

    cfg = settings()
    with session(cfg) as db:
        chosen = _chosen(db, plan, organization, fiscal_year)
        data = summary_pdf_of(db, plans=chosen, clock=SystemClock(),
                              requirement=cfg.evidence_policy)  # fmt: skip
    output.write_bytes(data)
    typer.echo(f"{output}: {len(chosen)} plan(s), {len(data)} bytes")


def verify_pack(
    file: Annotated[Path, typer.Argument(help="the pack (.zip)")],
    key: Annotated[
        Path | None,
        typer.Option(
            help="the public key kept (keys show JSON or a vkey line): check the signature"
        ),
    ] = None,
) -> None:
    """Check a pack offline: the bag (manifests, oxum), the chains against bag-info's heads,
    the evidence and documents against their rows, the rows against the signed checkpoint.
    Exit 1 with each problem when anything differs."""
    from documents.pack import verify_pack as check

    found = check(file, _key(key) if key is not None else None)
    for problem in found:
        typer.echo(f"BROKEN {problem}")
    typer.echo("intact" if not found else f"{len(found)} problem(s) found")
    if found:
        raise typer.Exit(1)


def _key(path: Path) -> tuple[str, bytes]:
    try:
        text = path.read_text(encoding="utf-8").strip()
        if text.startswith("{"):
            data = json.loads(text)
            return str(data["name"]), base64.b64decode(data["public_key"], validate=True)
        name, _, rest = text.partition("+")
        raw = base64.b64decode(rest.partition("+")[2], validate=True)
        if raw[:1] != b"\x01" or len(raw) != 33:
            raise ValueError("not an Ed25519 vkey")
        return name, raw[1:]
    except (OSError, ValueError, KeyError) as err:
        fail(f"cannot read the key {path}: {err}")
