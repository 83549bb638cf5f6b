"""`localplan scheduler`, `localplan outbox list|retry`, `localplan contacts set|list|language|
line-list|line-link`."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import database, engine, fail, parse_choice, session, settings
from models.enums import OutboxStatus

outbox_app = typer.Typer(no_args_is_help=True, help="Messages on their way out (alerts).")
contacts_app = typer.Typer(
    no_args_is_help=True, help="E-mail addresses, languages and LINE ids for alerts."
)


def scheduler(
    once: Annotated[
        bool, typer.Option("--once", help="one sweep, digest and delivery pass, then exit")
    ] = False,
) -> None:
    """Run the scheduler alone (foreground; stops cleanly on SIGTERM or SIGINT).

    Any number of scheduler processes may share one database: each alert is written and
    delivered once."""
    import logging

    from api.scheduler import run_foreground

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    cfg = settings()
    run_foreground(cfg, engine(cfg, long_running=not once), once=once)


@outbox_app.command("list")
def outbox_list(
    status: Annotated[str, typer.Option(help="failed | pending | sent")] = "failed",
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 200,
) -> None:
    """Messages and deliveries with a status (default: failed), newest first."""
    from notifications.admin import list_outbox

    wanted = parse_choice(OutboxStatus, status, "--status must be failed, pending or sent")
    with session() as db:
        entries = list_outbox(db, status=wanted, limit=limit)
    for e in entries:
        typer.echo(
            f"{e.type}\t{e.id}\t{e.status.value}\t{e.kind}\t{e.channel or '-'}\t"
            f"{e.address or '-'}\tattempts={e.attempts}\t{e.key}\t{e.last_error or ''}"
        )
    typer.echo(f"{len(entries)} item(s)", err=True)


@outbox_app.command("retry")
def outbox_retry(
    delivery: Annotated[list[int] | None, typer.Option(help="a failed delivery id")] = None,
    message: Annotated[list[int] | None, typer.Option(help="a failed message id")] = None,
    all_failed: Annotated[bool, typer.Option("--all", help="every failed item")] = False,
) -> None:
    """Queue failed deliveries or messages again (attempts start over)."""
    from models.clock import SystemClock
    from models.db import write_session
    from notifications.admin import retry_failed

    if not (delivery or message or all_failed):
        fail("give --delivery ID, --message ID or --all")
    with write_session(database()) as session:
        count = retry_failed(
            session,
            clock=SystemClock(),
            delivery_ids=tuple(delivery or ()),
            message_ids=tuple(message or ()),
            everything=all_failed,
        )
    if count == 0:
        fail("nothing failed matched", code=1)
    typer.echo(f"{count} item(s) queued again")


@contacts_app.command("set")
def contacts_set(
    username: Annotated[str, typer.Option()],
    email: Annotated[str | None, typer.Option(help="omit to remove the address")] = None,
) -> None:
    """Set (or remove) the e-mail address a person receives alerts and digests at."""
    from models.clock import SystemClock
    from models.db import write_session
    from notifications.contacts import ContactError, set_email

    try:
        with write_session(database()) as session:
            set_email(session, username=username, email=email, clock=SystemClock())
    except ContactError as err:
        fail(str(err))
    typer.echo(f"{username}: {email or 'no e-mail'}")


@contacts_app.command("list")
def contacts_list() -> None:
    from notifications.contacts import list_emails

    with session() as db:
        for username, email in list_emails(db):
            typer.echo(f"{username}\t{email}")


@contacts_app.command("language")
def contacts_language(
    username: Annotated[str, typer.Option()],
    language: Annotated[str, typer.Argument(help="th or en")],
) -> None:
    """Set the language of a person's alerts (th by default, or en)."""
    from models.db import write_session
    from notifications.contacts import ContactError, set_language

    try:
        with write_session(database()) as session:
            set_language(session, username=username, language=language)
    except ContactError as err:
        fail(str(err))
    typer.echo(f"{username}: {language}")


@contacts_app.command("line-list")
def contacts_line_list(
    unlinked: Annotated[bool, typer.Option("--unlinked", help="only those not linked")] = False,
) -> None:
    """The LINE users and groups the webhook saw: id, kind, channel, last event, link."""
    from notifications.line_contacts import list_contacts

    with session() as db:
        rows = list_contacts(db, unlinked=unlinked)
        for r in rows:
            linked = f"user={r.user_id}" if r.user_id else f"org={r.organization_id or '-'}"
            state = "active" if r.active else "inactive"
            typer.echo(
                f"{r.line_id}\t{r.kind}\t{r.channel or '-'}\t{r.last_event}\t{state}\t"
                f"{r.last_seen_at.isoformat()}\t{linked}"
            )
    typer.echo(f"{len(rows)} contact(s)", err=True)


@contacts_app.command("line-link")
def contacts_line_link(
    line_id: Annotated[str, typer.Argument(help="a captured LINE user or group id")],
    username: Annotated[str | None, typer.Option(help="the person a user id is")] = None,
    org: Annotated[str | None, typer.Option(help="the office code a group id belongs to")] = None,
) -> None:
    """Link a captured LINE user id to a person or a group id to an office (neither: unlink)."""
    from models.clock import SystemClock
    from models.db import write_session
    from notifications.contacts import ContactError
    from notifications.line_contacts import link

    if username and org:
        fail("give --username or --org, not both")
    try:
        with write_session(database()) as session:
            link(session, line_id=line_id, username=username, org_code=org, clock=SystemClock())
    except ContactError as err:
        fail(str(err))
    typer.echo(f"{line_id}: {username or org or 'unlinked'}")
