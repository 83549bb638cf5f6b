"""Migration 0020 on both engines with a report's message and refused action stored and a
checkpoint signed over them: down drops the columns and keeps every row, the append-only
triggers of `refused_attempt` and the leaves the checkpoint froze (a NULL report id is left
out of a leaf); up again adds them (NULL) and the log still verifies."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, select

import models.tables  # noqa: F401
from models.audit import RefusedAttempt
from models.clock import FixedClock
from models.db import alembic_config
from models.enums import Action, ReportRound
from tests.factories import Office
from tests.report_factories import act, attempt, new_report
from tests.workflow.test_log import PUBLIC, sign
from workflow import log, uow
from workflow.commands import Context
from workflow.errors import DomainError
from workflow.report_commands import create_report

TABLES = ("outbox_message", "refused_attempt")


def _columns(engine: Engine, table: str) -> set[str]:
    with engine.connect() as conn:
        return {c["name"] for c in sa.inspect(conn).get_columns(table)}


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: int(conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one())
                for t in TABLES}


def test_down_and_up_keep_the_rows_their_leaves_and_the_guards(
    engine: Engine, clock: FixedClock, ctx: Context, office: Office
) -> None:
    report = new_report(engine, ctx, office, ReportRound.HALF, 2562)
    act(engine, ctx, report, Action.SUBMIT, office.staff)
    with pytest.raises(DomainError):  # refused with no report to name (the round exists)
        uow.run(engine, clock, lambda s: create_report(
            s, ctx, organization_id=office.organization_id, fiscal_year_be=2562,
            round_=ReportRound.HALF, actor=office.staff))
    assert sign(engine, clock)
    with Session(engine) as s:
        frozen = log.frozen_leaves(s, log.log_size(s))
    before = _counts(engine)
    config = alembic_config(engine)
    command.downgrade(config, "0019")
    assert all("report_id" not in _columns(engine, t) for t in TABLES)
    assert _counts(engine) == before
    metadata = SQLModel.metadata.tables["refused_attempt"]
    old = sa.Table("refused_attempt", sa.MetaData(),
                   *(c._copy() for c in metadata.columns if c.name != "report_id"))
    with engine.connect() as conn:  # the refused attempt's leaf, from its columns of old
        rows = conn.execute(sa.select(old)).mappings().all()
        entries = dict(conn.execute(sa.text(
            "SELECT row_id, seq FROM log_entry WHERE table_name = 'refused_attempt'")).all())
    assert rows and all(
        log.leaf_of("refused_attempt", dict(r)) == frozen[entries[r["id"]]] for r in rows)
    with engine.begin() as conn:  # still append-only after SQLite's rebuild
        try:
            conn.execute(sa.text("UPDATE refused_attempt SET code = 'x'"))
        except sa.exc.DBAPIError:
            refused = True
        else:
            refused = False
    assert refused
    command.upgrade(config, "head")
    assert all("report_id" in _columns(engine, t) for t in TABLES)
    assert _counts(engine) == before
    with Session(engine) as s:
        assert log.verify_log(s, public_keys=PUBLIC) == []
    assert attempt(engine, ctx, report, Action.SUBMIT, office.executive) == "forbidden"
    with Session(engine) as s:
        named = s.exec(select(RefusedAttempt).where(RefusedAttempt.report_id == report.id)).all()
    assert [r.action for r in named] == ["submit"]
