"""`localplan orgs`, `localplan users` and `localplan tokens`: the people behind actors."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from api.cli.common import Reported, fail, operator, parse_choice, run, session
from models.enums import OrgType, Role

orgs_app = typer.Typer(no_args_is_help=True, help="Organizations (อปท.).")
users_app = typer.Typer(no_args_is_help=True, help="User accounts.")
tokens_app = typer.Typer(no_args_is_help=True, help="API tokens (shown once, stored hashed).")


@orgs_app.command("add")
def orgs_add(
    code: Annotated[str, typer.Option(help="DLA organization code")],
    name: Annotated[str, typer.Option(help="e.g. องค์การบริหารส่วนตำบลแหลมรัง")],
    org_type: Annotated[str, typer.Option("--type", help="sao | municipality | pao")],
    district: Annotated[str, typer.Option()],
    province: Annotated[str, typer.Option()],
) -> None:
    from workflow.accounts import add_organization

    kind = parse_choice(
        OrgType, org_type, f"--type must be one of {', '.join(t.value for t in OrgType)}"
    )
    run(
        lambda s: add_organization(
            s, code=code, name=name, org_type=kind, district=district, province=province
        )
    )
    typer.echo(f"organization {code} added")


@orgs_app.command("set")
def orgs_set(
    code: Annotated[str, typer.Argument(help="the organization's code")],
    full_name: Annotated[str | None, typer.Option(help="as printed: องค์การบริหารส่วนตำบล…")] = None,
    district: Annotated[str | None, typer.Option()] = None,
    province: Annotated[str | None, typer.Option()] = None,
    executive_name: Annotated[str | None, typer.Option(help="the executive's full name")] = None,
    executive_title: Annotated[
        str | None, typer.Option(help="e.g. นายกองค์การบริหารส่วนตำบลแหลมรัง")
    ] = None,
    website: Annotated[str | None, typer.Option(help="https://…")] = None,
    place: Annotated[
        list[str] | None, typer.Option(help="a default posting place, in words (repeat)")
    ] = None,
    emblem: Annotated[str | None, typer.Option(help="a PNG or JPEG file ('' removes it)")] = None,
) -> None:
    """Change what the office's documents print (docs/domain.md "Documents")."""
    from pathlib import Path

    from models.clock import SystemClock
    from workflow.org_settings import KEEP, set_settings

    given = {
        "full_name": full_name,
        "district": district,
        "province": province,
        "executive_name": executive_name,
        "executive_title": executive_title,
        "website": website,
    }
    changes: dict[str, object] = {k: v for k, v in given.items() if v is not None}
    if place is not None:
        changes["posting_places"] = place
    image: object = KEEP
    if emblem == "":
        image = None
    elif emblem is not None:
        from documents.pdf_emblem import reencode_emblem

        try:
            raw = Path(emblem).read_bytes()
        except OSError as error:
            fail(f"cannot read {emblem}: {error.strerror}")
        with Reported():
            image = reencode_emblem(raw)
    actor, clock = operator(), SystemClock()
    run(
        lambda s: set_settings(
            s, code=code, actor=actor, clock=clock, changes=changes, emblem=image
        )
    )
    typer.echo(f"organization {code} settings saved")


@orgs_app.command("list")
def orgs_list() -> None:
    from sqlmodel import col, select

    from models.organization import Organization

    with session() as db:
        for org in db.exec(select(Organization).order_by(col(Organization.code))):
            typer.echo(f"{org.code}\t{org.org_type}\t{org.name}\t{org.district}\t{org.province}")


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option(help="staff | committee | executive | auditor | admin")],
    organization: Annotated[str | None, typer.Option(help="organization code")] = None,
    full_name: Annotated[str, typer.Option()] = "",
    province: Annotated[str | None, typer.Option(help="auditor scope: a province")] = None,
    scope: Annotated[
        list[str] | None, typer.Option(help="auditor scope: organization codes")
    ] = None,
) -> None:
    from models.clock import SystemClock
    from workflow.account_admin import NewUser, create_user

    roles = ", ".join(r.value for r in Role if r is not Role.SYSTEM)
    parsed = parse_choice(Role, role, f"--role must be one of {roles}")
    new = NewUser(
        username=username,
        role=parsed,
        full_name=full_name,
        organization_code=organization,
        scope_province=province,
        scope_organization_codes=tuple(scope or ()),
    )
    clock = SystemClock()
    run(lambda s: create_user(s, actor=operator(), clock=clock, new=new), clock=clock)
    typer.echo(f"user {username} ({parsed.value}) added")


@users_app.command("set-password")
def users_set_password(
    username: Annotated[str, typer.Option()],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Set a user's password (Argon2). Prompts twice unless --password-stdin."""
    from workflow.account_admin import admin_set_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    from models.clock import SystemClock

    clock = SystemClock()
    run(
        lambda s: admin_set_password(
            s, actor=operator(), clock=clock, username=username, password=password
        ),
        clock=clock,
    )
    typer.echo(f"password set for {username}")


@users_app.command("deactivate")
def users_deactivate(
    username: Annotated[str, typer.Argument(help="the user to deactivate")],
) -> None:
    """Deactivate a user: their sessions and tokens end at once; history keeps them."""
    _status("deactivate", username)


@users_app.command("reactivate")
def users_reactivate(
    username: Annotated[str, typer.Argument(help="the user to reactivate")],
) -> None:
    """Let a deactivated user sign in again (their old tokens stay revoked)."""
    _status("reactivate", username)


def _status(change: str, username: str) -> None:
    from models.clock import SystemClock
    from workflow.account_status import deactivate_user, reactivate_user

    command = deactivate_user if change == "deactivate" else reactivate_user
    clock = SystemClock()
    run(lambda s: command(s, actor=operator(), clock=clock, username=username), clock=clock)
    typer.echo(f"user {username} {change}d")


@users_app.command("set-role")
def users_set_role(
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option(help="staff | committee | executive | auditor | admin")],
    organization: Annotated[str | None, typer.Option(help="organization code")] = None,
) -> None:
    """Give a user another role (an auditor's scope: `users set-scope`)."""
    from models.clock import SystemClock
    from workflow.account_status import change_role

    roles = ", ".join(r.value for r in Role if r is not Role.SYSTEM)
    parsed = parse_choice(Role, role, f"--role must be one of {roles}")
    clock = SystemClock()
    run(
        lambda s: change_role(
            s,
            actor=operator(),
            clock=clock,
            username=username,
            role=parsed,
            organization_code=organization,
        ),
        clock=clock,
    )
    typer.echo(f"user {username} is now {parsed.value}")


@users_app.command("set-scope")
def users_set_scope(
    username: Annotated[str, typer.Argument()],
    province: Annotated[str | None, typer.Option(help="a province")] = None,
    scope: Annotated[list[str] | None, typer.Option(help="organization codes")] = None,
) -> None:
    """Set an auditor's scope (a province, organizations, or both)."""
    from models.clock import SystemClock
    from workflow.account_status import change_scope

    clock = SystemClock()
    codes = tuple(scope or ())
    run(
        lambda s: change_scope(
            s,
            actor=operator(),
            clock=clock,
            username=username,
            province=province,
            organization_codes=codes,
        ),
        clock=clock,
    )
    typer.echo(f"scope of {username} set")


@tokens_app.command("create")
def tokens_create(
    username: Annotated[str, typer.Option(help="the user the token acts for")],
    expires_days: Annotated[int, typer.Option(help="lifetime in days", min=1, max=3650)] = 90,
    label: Annotated[str, typer.Option(help="what the token is for")] = "cli",
) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    from datetime import timedelta

    from models.clock import SystemClock
    from workflow.account_admin import issue_token

    clock = SystemClock()
    lifetime = timedelta(days=expires_days)

    issued = run(
        lambda s: issue_token(
            s, username=username, clock=clock, lifetime=lifetime, label=label, actor=operator()
        ),
        clock=clock,
    )
    typer.echo(issued.token)
    typer.echo(
        f"token id {issued.id} for {issued.username}, expires {issued.expires_at.isoformat()} "
        "(shown once: store it now)",
        err=True,
    )


@tokens_app.command("revoke")
def tokens_revoke(
    token_id: Annotated[int | None, typer.Argument(help="the token id to revoke")] = None,
    username: Annotated[
        str | None, typer.Option(help="revoke every live token of this user")
    ] = None,
) -> None:
    """Revoke one token (by id) or all tokens of a user."""
    from models.clock import SystemClock
    from workflow.account_admin import revoke_tokens

    clock = SystemClock()
    count = run(
        lambda s: revoke_tokens(
            s, clock=clock, token_id=token_id, username=username, actor=operator()
        ),
        clock=clock,
    )
    if count == 0:
        fail("no live token matched", code=1)
    typer.echo(f"{count} token(s) revoked")


@tokens_app.command("list")
def tokens_list(username: Annotated[str, typer.Option()]) -> None:
    """A user's tokens: id, prefix, label, created, expires, revoked (never the token)."""
    from workflow.account_admin import list_tokens

    with session() as db, Reported():
        rows = list_tokens(db, username=username)
    for row in rows:
        revoked = row.revoked_at.isoformat() if row.revoked_at else "-"
        typer.echo(
            f"{row.id}\t{row.prefix}…\t{row.label}\t{row.created_at.isoformat()}\t"
            f"{row.expires_at.isoformat()}\t{revoked}"
        )
