"""The `localplan` command. Heavy imports are deferred into the commands that need them."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from api.cli_typer import LazyTyper, PlainCommand
from models.enums import CountingMode, OverlayKind, Role

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from api.settings import Settings
    from models.calendar import CalendarChange
    from workflow.actors import Actor
    from workflow.calendar import WorkingCalendar
    from workflow.errors import DomainError
    from workflow.overlay import OverlayEntry

# Sub-apps are built only when used (api/cli_typer.py); heavy imports live inside the commands.
app = LazyTyper(no_args_is_help=True, add_completion=False, help="localplan: แผนการดำเนินงาน อปท.")
db_app = typer.Typer(no_args_is_help=True, help="Database maintenance.")
users_app = typer.Typer(no_args_is_help=True, help="User accounts.")
orgs_app = typer.Typer(no_args_is_help=True, help="Organizations (อปท.).")
holidays_app = typer.Typer(no_args_is_help=True, help="The holiday calendar (seed + overlay).")
audit_app = typer.Typer(no_args_is_help=True, help="Integrity of the history.")
workflow_app = typer.Typer(no_args_is_help=True, help="The workflow table.")
for sub, name in (
    (db_app, "db"),
    (users_app, "users"),
    (orgs_app, "orgs"),
    (holidays_app, "holidays"),
    (audit_app, "audit"),
    (workflow_app, "workflow"),
):
    app.add_lazy_typer(sub, name=name)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr and a non-zero exit."""
    typer.echo(f"localplan: {message}", err=True)
    raise typer.Exit(code)


def fail_domain(error: DomainError) -> NoReturn:
    text = "; ".join(f"{r.code}: {r.en} / {r.th}" for r in error.reasons)
    fail(f"{error.code}: {text}")


def settings() -> Settings:
    from api.settings import Settings

    return Settings()


def engine(cfg: Settings) -> Engine:
    """The database, migrated to head first (applied automatically on first start)."""
    from sqlalchemy.exc import OperationalError

    from models.db import make_engine, upgrade

    built = make_engine(cfg.database_url, pool_size=cfg.db_pool_size)
    _OPENED.append(built)
    try:
        upgrade(built)
    except OperationalError as err:
        fail(f"database unavailable: {err.orig}")
    return built


_OPENED: list[Engine] = []


@app.callback()
def _root(ctx: typer.Context) -> None:
    """localplan: แผนการดำเนินงาน อปท. / operational plans of Thai local governments."""
    ctx.call_on_close(_close_engines)


def _close_engines() -> None:
    """Close every pooled connection when a command ends (also under the test runner)."""
    while _OPENED:
        _OPENED.pop().dispose()


# --- db, demo -------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations (also done automatically by every command)."""
    engine(settings())
    typer.echo("database is at the latest revision")


@app.command()
def demo() -> None:
    """Seed อบต.แหลมรัง (อ.บึงนาราง จ.พิจิตร) with a user per role and an FY 2562 annual plan."""
    from api.demo import seed
    from models.clock import SystemClock
    from workflow.commands import Context

    cfg = settings()
    result = seed(engine(cfg), Context(cfg.policy(), SystemClock()))
    typer.echo(
        "สร้างข้อมูลตัวอย่างแล้ว / demo data created"
        if result.created
        else "มีข้อมูลตัวอย่างอยู่แล้ว / demo data already present"
    )
    typer.echo(f"database: {cfg.database_url}")
    typer.echo(f"แผนตัวอย่าง / demo plan id: {result.plan_id} (FY 2562, announced 25 ต.ค. 2561)")
    typer.echo(f"ผู้ใช้ / users (role), password for new demo users: {result.password}")
    for username, role in result.usernames:
        typer.echo(f"  {username:<22} {role.value}")
    typer.echo("API tokens (30 days; new ones on every run) / โทเค็นสำหรับทดลอง:")
    for username, role, token in result.tokens:
        typer.echo(f"  {role.value:<10} {username:<22} {token}")
    typer.echo("then: localplan serve, and e.g.")
    typer.echo('  curl -H "Authorization: Bearer <token>" http://127.0.0.1:8000/api/v1/plans')
    typer.echo("try: localplan audit verify; localplan deadlines --announced-on 2018-10-25")


# --- organizations and users ----------------------------------------------------------------


@orgs_app.command("add")
def orgs_add(
    code: Annotated[str, typer.Option(help="DLA organization code")],
    name: Annotated[str, typer.Option(help="e.g. องค์การบริหารส่วนตำบลแหลมรัง")],
    org_type: Annotated[str, typer.Option("--type", help="sao | municipality | pao")],
    district: Annotated[str, typer.Option()],
    province: Annotated[str, typer.Option()],
) -> None:
    from models.clock import SystemClock
    from models.enums import OrgType
    from workflow import uow
    from workflow.accounts import add_organization
    from workflow.errors import DomainError

    try:
        kind = OrgType(org_type)
    except ValueError:
        fail(f"--type must be one of {', '.join(t.value for t in OrgType)}")
    try:
        uow.run(
            engine(settings()),
            SystemClock(),
            lambda s: add_organization(
                s, code=code, name=name, org_type=kind, district=district, province=province
            ),
        )
    except DomainError as err:
        fail_domain(err)
    typer.echo(f"organization {code} added")


@orgs_app.command("list")
def orgs_list() -> None:
    from sqlmodel import Session, col, select

    from models.organization import Organization

    with Session(engine(settings())) as session:
        for org in session.exec(select(Organization).order_by(col(Organization.code))):
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
    from workflow import uow
    from workflow.accounts import add_user, get_organization_by_code
    from workflow.errors import DomainError

    try:
        parsed = Role(role)
    except ValueError:
        fail(f"--role must be one of {', '.join(r.value for r in Role if r is not Role.SYSTEM)}")
    clock = SystemClock()

    def command(session: object) -> None:
        from sqlmodel import Session

        assert isinstance(session, Session)
        org = get_organization_by_code(session, organization) if organization else None
        scoped = tuple(get_organization_by_code(session, c) for c in scope or ())
        add_user(
            session,
            clock=clock,
            username=username,
            role=parsed,
            full_name=full_name,
            organization=org,
            scope_province=province,
            scope_organizations=scoped,
        )

    try:
        uow.run(engine(settings()), clock, command)
    except DomainError as err:
        fail_domain(err)
    typer.echo(f"user {username} ({parsed.value}) added")


# --- deadlines ------------------------------------------------------------------------------


@app.command(cls=PlainCommand)
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
    try:
        start = date.fromisoformat(raw)
    except ValueError:
        fail(f"not a date (YYYY-MM-DD): {raw!r}")
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
        calendar = _load_calendar(settings())
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


def _load_calendar(cfg: Settings) -> WorkingCalendar:
    """The calendar in force, through SQLAlchemy (the database migrated first)."""
    from sqlmodel import Session

    from workflow.overlay import load_calendar

    with Session(engine(cfg)) as session:
        return load_calendar(session)


# --- holidays -------------------------------------------------------------------------------


def _operator() -> Actor:
    import getpass

    from workflow.actors import Actor

    return Actor(user_id=None, username=f"cli:{getpass.getuser()}", role=Role.ADMIN)


def _change(entries: list[OverlayEntry]) -> None:
    from sqlmodel import Session

    from models.clock import SystemClock
    from workflow import uow
    from workflow.errors import DomainError
    from workflow.overlay import change_overlay

    cfg, clock, actor = settings(), SystemClock(), _operator()

    def command(session: Session) -> list[CalendarChange]:
        return [
            change_overlay(session, entry=e, actor=actor, clock=clock, policy=cfg.policy())
            for e in entries
        ]

    try:
        changes = uow.run(engine(cfg), clock, command)
    except DomainError as err:
        fail_domain(err)
    for change in changes:
        moved = change.moved
        typer.echo(f"{change.day} {change.change}: {len(moved)} open deadline(s) moved")
        for m in moved:
            typer.echo(
                f"  plan {m['plan_id']} {m['kind']}: due {m['due_on_before']} -> "
                f"{m['due_on_after']}, act by {m['last_working_on_before']} -> "
                f"{m['last_working_on_after']}"
            )


def _parse_day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        fail(f"not a date (YYYY-MM-DD): {raw!r}")


@holidays_app.command("list")
def holidays_list(year: Annotated[int, typer.Option(help="Gregorian (CE) year")] = 0) -> None:
    """Days off of a year: the package seed with the overlay applied."""
    from sqlmodel import Session

    from models.clock import SystemClock, today_bangkok
    from workflow.calendar import format_thai_date
    from workflow.overlay import list_overlay, load_calendar

    year = year or today_bangkok(SystemClock()).year
    with Session(engine(settings())) as session:
        calendar, overlay = load_calendar(session), list_overlay(session)
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

    _change([OverlayEntry(_parse_day(day), OverlayKind.ADD, name, source)])


@holidays_app.command("remove")
def holidays_remove(
    day: str, name: Annotated[str, typer.Option()], source: Annotated[str, typer.Option()]
) -> None:
    """Mark a day the package lists as a working day for government offices."""
    from workflow.overlay import OverlayEntry

    _change([OverlayEntry(_parse_day(day), OverlayKind.REMOVE, name, source)])


@holidays_app.command("clear")
def holidays_clear(day: str) -> None:
    """Drop the overlay entry of a day: the package seed applies again."""
    from workflow.overlay import OverlayEntry

    _change([OverlayEntry(_parse_day(day), None, "", "")])


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


# --- audit, workflow ------------------------------------------------------------------------


@audit_app.command("verify")
def audit_verify(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    heads: Annotated[
        Path | None, typer.Option(help="chain heads saved earlier by `localplan audit heads`")
    ] = None,
) -> None:
    """Walk every plan's hash chain and replay its states; exit 1 with a report if broken."""
    from sqlmodel import Session

    from workflow.audit import Head, check_heads, verify

    saved: list[Head] = []
    if heads is not None:
        try:
            saved = [
                Head(int(h["plan_id"]), int(h["version"]), str(h["hash"]))
                for h in json.loads(heads.read_text(encoding="utf-8"))["heads"]
            ]
        except (OSError, ValueError, KeyError, TypeError) as err:
            fail(f"cannot read chain heads from {heads}: {err}")
    with Session(engine(settings())) as session:
        report = verify(session)
        report.breaks.extend(check_heads(session, saved))
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "intact": report.intact,
                    "plans_checked": report.plans_checked,
                    "records_checked": report.records_checked,
                    "heads_checked": len(saved),
                    "breaks": [b.as_dict() for b in report.breaks],
                }
            )
        )
    else:
        typer.echo(
            f"plans checked: {report.plans_checked}, records: {report.records_checked}"
            + (f", saved heads: {len(saved)}" if heads else "")
        )
        for b in report.breaks:
            typer.echo(f"BROKEN plan {b.plan_id} record {b.seq or '-'}: {b.problem}: {b.detail}")
        typer.echo("intact" if report.intact else f"{len(report.breaks)} problem(s) found")
    if not report.intact:
        raise typer.Exit(1)


@audit_app.command("heads")
def audit_heads() -> None:
    """Print every plan's chain head (JSON) for an auditor to keep outside the system."""
    from sqlmodel import Session

    from models.clock import SystemClock
    from workflow.audit import chain_heads

    with Session(engine(settings())) as session:
        found = chain_heads(session)
    typer.echo(
        json.dumps(
            {"exported_at": SystemClock().now().isoformat(), "heads": [h.as_dict() for h in found]},
            indent=1,
        )
    )


@workflow_app.command("diagram")
def workflow_diagram(
    markdown: Annotated[bool, typer.Option(help="the whole docs/state-machine.md")] = False,
    kind: Annotated[str, typer.Option(help="annual | supplementary | amendment")] = "annual",
) -> None:
    """The state machine as Mermaid, generated from the workflow table."""
    from models.enums import PlanKind
    from workflow.diagram import markdown as render_markdown
    from workflow.diagram import mermaid

    if markdown:
        typer.echo(render_markdown(), nl=False)
        return
    try:
        parsed = PlanKind(kind)
    except ValueError:
        fail("--kind must be annual, supplementary or amendment")
    typer.echo(mermaid(parsed, settings().policy()))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


# --- HTTP API: serve, tokens, passwords (issue 3) -------------------------------------------

tokens_app = typer.Typer(no_args_is_help=True, help="API tokens (shown once, stored hashed).")
app.add_lazy_typer(tokens_app, name="tokens")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port", min=1, max=65535)] = 8000,
    no_scheduler: Annotated[
        bool, typer.Option("--no-scheduler", help="do not run the scheduler in this process")
    ] = False,
) -> None:
    """Start the HTTP API on uvicorn (the database is migrated first)."""
    import uvicorn

    from api.app import create_app

    cfg = settings()
    built = engine(cfg)
    app_ = create_app(cfg, engine=built, run_scheduler=not no_scheduler)
    uvicorn.run(app_, host=host, port=port, log_level="info")


@tokens_app.command("create")
def tokens_create(
    username: Annotated[str, typer.Option(help="the user the token acts for")],
    expires_days: Annotated[int, typer.Option(help="lifetime in days", min=1, max=3650)] = 90,
    label: Annotated[str, typer.Option(help="what the token is for")] = "cli",
) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    from datetime import timedelta

    from api.auth import issue_token
    from models.clock import SystemClock
    from workflow import uow
    from workflow.errors import DomainError

    clock = SystemClock()
    try:
        issued = uow.run(
            engine(settings()),
            clock,
            lambda s: issue_token(
                s,
                username=username,
                clock=clock,
                lifetime=timedelta(days=expires_days),
                label=label,
            ),
        )
    except DomainError as err:
        fail_domain(err)
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
    from api.auth import revoke_tokens
    from models.clock import SystemClock
    from workflow import uow
    from workflow.errors import DomainError

    clock = SystemClock()
    try:
        count = uow.run(
            engine(settings()),
            clock,
            lambda s: revoke_tokens(s, clock=clock, token_id=token_id, username=username),
        )
    except DomainError as err:
        fail_domain(err)
    if count == 0:
        fail("no live token matched", code=1)
    typer.echo(f"{count} token(s) revoked")


@tokens_app.command("list")
def tokens_list(username: Annotated[str, typer.Option()]) -> None:
    """A user's tokens: id, prefix, label, created, expires, revoked (never the token)."""
    from sqlmodel import Session

    from api.auth import list_tokens
    from workflow.errors import DomainError

    with Session(engine(settings())) as session:
        try:
            rows = list_tokens(session, username=username)
        except DomainError as err:
            fail_domain(err)
    for row in rows:
        revoked = row.revoked_at.isoformat() if row.revoked_at else "-"
        typer.echo(
            f"{row.id}\t{row.prefix}…\t{row.label}\t{row.created_at.isoformat()}\t"
            f"{row.expires_at.isoformat()}\t{revoked}"
        )


@users_app.command("set-password")
def users_set_password(
    username: Annotated[str, typer.Option()],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Set a user's password (Argon2). Prompts twice unless --password-stdin."""
    from api.auth import set_password
    from models.clock import SystemClock
    from workflow import uow
    from workflow.errors import DomainError

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        uow.run(
            engine(settings()),
            SystemClock(),
            lambda s: set_password(s, username=username, password=password),
        )
    except DomainError as err:
        fail_domain(err)
    typer.echo(f"password set for {username}")


# --- scheduler and notifications (issue 4): commands live in api/cli_scheduler.py ----------

from api import cli_scheduler as _cli_scheduler  # noqa: E402  (registered after the core app)

_cli_scheduler.register(app)
