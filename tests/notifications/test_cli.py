"""`localplan outbox list|retry`, `localplan contacts set|list` against a real database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from api.cli import app
from models.alert import Delivery
from models.clock import FixedClock
from models.enums import OutboxStatus
from notifications.outbox import DeliveryPolicy, pump
from tests.factories import Office
from tests.notifications.conftest import Hook
from tests.notifications.scenario import walk
from tests.notifications.test_delivery import senders_for
from workflow.commands import Context
from workflow.sweeper import SweepSettings

runner = CliRunner()


@pytest.fixture(autouse=True)
def _database(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    for name in ("LOCALPLAN_SMTP_HOST", "LOCALPLAN_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.stdout if code == 0 else result.stderr


def test_contacts(office: Office) -> None:
    assert "no e-mail" not in run(
        "contacts", "set", "--username", office.staff.username, "--email", "somjai@laemrang.go.th"
    )
    assert run("contacts", "list") == f"{office.staff.username}\tsomjai@laemrang.go.th\n"
    assert "not an e-mail address" in run(
        "contacts", "set", "--username", office.staff.username, "--email", "nope", code=2
    )
    assert "no user" in run("contacts", "set", "--username", "ghost", "--email", "a@b.th", code=2)
    run("contacts", "set", "--username", office.staff.username)
    assert run("contacts", "list") == ""


def test_outbox_list_and_retry(engine: Engine, ctx: Context, office: Office, hook: Hook) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    hook.up = False
    walk(engine, ctx, office, settings=SweepSettings(), steps={}, last_day=date(2018, 10, 13))
    senders = senders_for(engine, clock, hook, None)
    pump(
        engine,
        clock,
        senders=senders,
        policy=DeliveryPolicy(
            webhook_url=hook.url,  # type: ignore[arg-type]
            max_attempts=1,
        ),
        owner="t",
    )
    listed = run("outbox", "list").splitlines()
    assert len(listed) == 1 and listed[0].startswith("delivery\t")
    assert "\tfailed\talert.reminder\twebhook\t" in listed[0] and "HTTP 503" in listed[0]
    assert len(run("outbox", "list", "--status", "sent").splitlines()) == 4  # 3 in-app, message
    assert "--status must be" in run("outbox", "list", "--status", "lost", code=2)
    assert "give --delivery" in run("outbox", "retry", code=2)
    assert run("outbox", "retry", "--all") == "1 item(s) queued again\n"
    assert "nothing failed matched" in run("outbox", "retry", "--all", code=1)
    with Session(engine) as session:
        row = session.exec(
            select(Delivery).where(
                Delivery.status == OutboxStatus.PENDING, Delivery.channel == "webhook"
            )
        ).one()  # beside it: the admin's notice of the failure, waiting for the next pass
    assert row.attempts == 0 and row.last_error == "webhook: HTTP 503"
