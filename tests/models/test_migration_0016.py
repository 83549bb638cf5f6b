"""Migration 0016 on both engines with data in the tables that refer to `deadline`: up,
down and up again keep every plan clock, the references to it, and migration 0004's trigger
on `alert_on` (SQLite rebuilds the table); down drops the reports and their clocks."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine

from models.clock import FixedClock
from models.db import alembic_config
from models.enums import ReportRound
from tests.factories import Office, create, new_annual
from tests.report_factories import new_report
from workflow.commands import Context


def _trigger_resets_alert_on(engine: Engine, deadline_id: int, due_on: str) -> bool:
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE deadline SET alert_on = '2019-01-01' WHERE id = :i"),
                     {"i": deadline_id})
        conn.execute(sa.text("UPDATE deadline SET due_on = :d WHERE id = :i"),
                     {"i": deadline_id, "d": due_on})
        found = conn.execute(sa.text("SELECT alert_on FROM deadline WHERE id = :i"),
                             {"i": deadline_id}).scalar_one()
    return str(found) == "0001-01-01"


def _rows(engine: Engine) -> tuple[list[tuple[int, int]], int]:
    with engine.connect() as conn:
        plan_clocks = [tuple(r) for r in conn.execute(sa.text(
            "SELECT id, plan_id FROM deadline WHERE plan_id IS NOT NULL ORDER BY id"))]
        outbox = conn.execute(sa.text("SELECT count(*) FROM outbox_message")).scalar_one()
    return plan_clocks, int(outbox)  # type: ignore[return-value]


def test_down_and_up_keep_plan_clocks_and_the_trigger(
    engine: Engine, clock: FixedClock, ctx: Context, office: Office
) -> None:
    plan = create(engine, ctx, new_annual(office), office.staff)
    report = new_report(engine, ctx, office, ReportRound.ANNUAL, 2561)
    assert report.clocks
    before = _rows(engine)
    (deadline_id, _), *_ = before[0]
    config = alembic_config(engine)
    command.downgrade(config, "0015")
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("monitoring_report")
        assert "report_id" not in {c["name"] for c in sa.inspect(conn).get_columns("deadline")}
    assert _rows(engine) == before
    assert _trigger_resets_alert_on(engine, deadline_id, "2019-02-02")
    command.upgrade(config, "head")
    assert _rows(engine) == before
    assert _trigger_resets_alert_on(engine, deadline_id, "2019-02-03")
    with engine.begin() as conn:  # a clock belongs to exactly one subject
        try:
            conn.execute(sa.text("UPDATE deadline SET plan_id = NULL WHERE id = :i"),
                         {"i": deadline_id})
        except sa.exc.IntegrityError:
            refused = True
        else:
            refused = False
    assert refused and plan.id is not None
