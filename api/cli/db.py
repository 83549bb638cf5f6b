"""`localplan db upgrade` and `localplan demo`: the database and its demonstration data."""

from __future__ import annotations

import typer

from api.cli.common import database, engine, settings

db_app = typer.Typer(no_args_is_help=True, help="Database maintenance.")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations (also done automatically by every command)."""
    database()
    typer.echo("database is at the latest revision")


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
    typer.echo(
        f"แผนตัวอย่าง / demo plan id: {result.plan_id} (FY 2562, posting complete 26 พ.ย. 2561)"
    )
    typer.echo(f"ผู้ใช้ / users (role), password for new demo users: {result.password}")
    for username, role in result.usernames:
        typer.echo(f"  {username:<22} {role.value}")
    typer.echo("API tokens (30 days; new ones on every run) / โทเค็นสำหรับทดลอง:")
    for username, role, token in result.tokens:
        typer.echo(f"  {role.value:<10} {username:<22} {token}")
    typer.echo("then: localplan serve, and e.g.")
    typer.echo('  curl -H "Authorization: Bearer <token>" http://127.0.0.1:8000/api/v1/plans')
    typer.echo("try: localplan audit verify; localplan deadlines --announced-on 2018-10-25")
