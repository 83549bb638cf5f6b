"""`localplan accounts`: the roles a person holds (memberships), granted and ended as
account events (docs/domain.md "Memberships")."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import fail_domain, operator, parse_choice, parse_date, run, session
from models.enums import Role

accounts_app = typer.Typer(no_args_is_help=True, help="Memberships: the roles a person holds.")


@accounts_app.command("grant")
def grant(
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option(help="a role, e.g. staff, committee, executive")],
    organization: Annotated[str | None, typer.Option(help="organization code")] = None,
    starts: Annotated[str | None, typer.Option(help="first day, YYYY-MM-DD (today)")] = None,
    ends: Annotated[str | None, typer.Option(help="last day, YYYY-MM-DD (open)")] = None,
) -> None:
    """Grant a user a role from a date (a `membership_granted` account event)."""
    from models.clock import SystemClock
    from workflow.memberships import grant_membership

    roles = ", ".join(r.value for r in Role if r is not Role.SYSTEM)
    parsed = parse_choice(Role, role, f"--role must be one of {roles}")
    starts_on = parse_date(starts) if starts else None
    ends_on = parse_date(ends) if ends else None
    clock = SystemClock()
    row = run(
        lambda s: grant_membership(
            s, actor=operator(), clock=clock, username=username, role=parsed,
            organization_code=organization, starts_on=starts_on, ends_on=ends_on,
        ),
        clock=clock,
    )  # fmt: skip
    typer.echo(f"membership {row.id}: {username} is {parsed.value} from {row.starts_on}")


@accounts_app.command("end-membership")
def end_membership(
    username: Annotated[str, typer.Argument()],
    membership: Annotated[int, typer.Option(help="the membership's number", min=1)],
    ends: Annotated[str | None, typer.Option(help="last day, YYYY-MM-DD (yesterday)")] = None,
) -> None:
    """End a membership: its last day in force (a `membership_ended` account event)."""
    from models.clock import SystemClock
    from workflow.memberships import end_membership as end

    ends_on = parse_date(ends) if ends else None
    clock = SystemClock()
    row = run(
        lambda s: end(
            s, actor=operator(), clock=clock, username=username, membership_id=membership,
            ends_on=ends_on,
        ),
        clock=clock,
    )  # fmt: skip
    typer.echo(f"membership {row.id} of {username} ends on {row.ends_on}")


@accounts_app.command("memberships")
def memberships(username: Annotated[str, typer.Argument()]) -> None:
    """Every membership of a user: number, role, organization, first and last day."""
    from workflow.errors import DomainError
    from workflow.memberships import memberships_of

    with session() as db:
        try:
            rows = memberships_of(db, username)
        except DomainError as error:
            fail_domain(error)
        for m in rows:
            org = m.organization_id if m.organization_id is not None else "-"
            typer.echo(f"{m.id}\t{Role(m.role).value}\t{org}\t{m.starts_on}\t{m.ends_on or '-'}")
