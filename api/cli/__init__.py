"""The `localplan` command: the root app, its commands and sub-apps, one module each.

Importing this package imports no framework (docs/architecture.md, "Start-up"): sub-apps
are built only when used (`api/cli/lazy_typer.py`), and every command imports what it needs
inside its body. The order below is the order of `localplan --help`.
"""

from __future__ import annotations

import sys

import typer

from api.cli import (
    accounts,
    audit,
    backup,
    content,
    db,
    deadlines,
    documents,
    evidence,
    holidays,
    keys,
    memberships,
    progress,
    report,
    scheduler,
    serve,
    workflow,
)
from api.cli.common import close_engines
from api.cli.lazy_typer import LazyTyper, PlainCommand

app = LazyTyper(no_args_is_help=True, add_completion=False, help="localplan: แผนการดำเนินงาน อปท.")
app.command()(db.demo)
app.command(cls=PlainCommand)(deadlines.deadlines)
app.command()(serve.serve)
app.command("scheduler")(scheduler.scheduler)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)
for sub, name in (
    (db.db_app, "db"),
    (accounts.users_app, "users"),
    (memberships.accounts_app, "accounts"),
    (accounts.orgs_app, "orgs"),
    (holidays.holidays_app, "holidays"),
    (audit.audit_app, "audit"),
    (keys.keys_app, "keys"),
    (workflow.workflow_app, "workflow"),
    (content.content_app, "content"),
    (progress.progress_app, "progress"),
    (report.report_app, "report"),
    (documents.document_app, "document"),
    (evidence.evidence_app, "evidence"),
    (accounts.tokens_app, "tokens"),
    (scheduler.outbox_app, "outbox"),
    (scheduler.contacts_app, "contacts"),
):
    app.add_lazy_typer(sub, name=name)


@app.callback()
def _root(ctx: typer.Context) -> None:
    """localplan: แผนการดำเนินงาน อปท. / operational plans of Thai local governments."""
    ctx.call_on_close(close_engines)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
