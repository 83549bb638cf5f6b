"""Every statement that could change a stored history row is refused, on both engines.

The guards are in models/migrations/append_only.py; each table listed there holds one real row
written by the product's commands, then every statement below is tried on it, and the table
must read exactly as before.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.enums import Action, OverlayKind, PlanKind, PlanState
from models.migrations.append_only import APPEND_ONLY_TABLES, LOG_TABLES, guard_table
from tests.content_factories import edit
from tests.factories import Office, correct, extend, perform_action
from tests.helpers import walk
from workflow import uow
from workflow.account_admin import issue_token
from workflow.checkpoints import new_private_key
from workflow.commands import Context
from workflow.errors import DomainError
from workflow.log import SigningKey, sign_checkpoint
from workflow.overlay import OverlayEntry, change_overlay

DAY = timedelta(days=1)
# {t}: the table; {c}: its columns; {k}: its key. The first row is copied onto itself, so
# every statement meets a real conflict on the primary key.
FIRST = "SELECT {c} FROM {t} WHERE {k} = (SELECT min({k}) FROM {t})"
BOTH = {
    "update": "UPDATE {t} SET {k} = {k} + 1000",
    "delete": "DELETE FROM {t}",
    "upsert": "INSERT INTO {t} ({c}) " + FIRST + " ON CONFLICT ({k}) DO UPDATE SET {k} = 0",
}
SQLITE = {
    "insert or replace": "INSERT OR REPLACE INTO {t} ({c}) " + FIRST,
    "replace into": "REPLACE INTO {t} ({c}) " + FIRST,
}
POSTGRESQL = {
    "truncate": "TRUNCATE {t}",
    "truncate cascade": "TRUNCATE {t} CASCADE",
    "truncate plan cascade": "TRUNCATE plan CASCADE",
    "merge update": "MERGE INTO {t} USING (SELECT min({k}) AS k FROM {t}) AS s ON {t}.{k} = s.k "
    "WHEN MATCHED THEN UPDATE SET {k} = {t}.{k}",
    "merge delete": "MERGE INTO {t} USING (SELECT min({k}) AS k FROM {t}) AS s ON {t}.{k} = s.k "
    "WHEN MATCHED THEN DELETE",
}


def fill_history_tables(engine: Engine, ctx: Context, office: Office) -> None:
    """One real row in each append-only table, written by the real commands."""
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.DRAFT)
    extend(engine, ctx, plan, office.executive, new_due_on=date(2018, 12, 1))
    with pytest.raises(DomainError):  # a refused attempt: staff may not extend
        extend(engine, ctx, plan, office.staff, new_due_on=date(2018, 12, 1), reason="x")
    entry = OverlayEntry(date(2019, 4, 12), OverlayKind.ADD, "วันหยุดพิเศษ", "มติ ครม.")
    uow.run(
        engine,
        ctx.clock,
        lambda s: change_overlay(
            s, entry=entry, actor=office.admin, clock=ctx.clock, policy=ctx.policy
        ),
    )
    edit(  # a content edit, then its freezing at submit (a frozen version)
        engine, ctx, "add_strategy", plan_id=plan.id, actor=office.staff, expected_revision=0,
        data={"number": 1, "name": "ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน"},
    )  # fmt: skip
    perform_action(engine, ctx, plan.id, Action.SUBMIT, office.staff)
    uow.run(  # an account event
        engine,
        ctx.clock,
        lambda s: issue_token(
            s, username=office.staff.username, clock=ctx.clock, lifetime=DAY, label="test"
        ),
    )
    fill_document_tables(engine, ctx, office, plan.id)
    fill_evidence(engine, ctx, office, plan.id)
    correct(engine, ctx, plan.id, office.staff, seq=3, field="comment", value="แก้ความเห็น")
    fill_progress(engine, ctx, office)
    fill_ita_reminder(engine, ctx)
    fill_report(engine, ctx, office)


_OFFICES = itertools.count(1)  # each round of rows has its own office


def fill_report(engine: Engine, ctx: Context, office: Office) -> None:
    """A monitoring report's records (create and submit) and a paper stored for it, of a year
    of its own each round."""
    from models.enums import Action, ReportRound
    from models.report import ReportDocumentKind
    from tests.report_factories import act, new_report
    from workflow.report_papers import ReportRendered, store_report_documents

    report = new_report(engine, ctx, office, ReportRound.HALF)
    act(engine, ctx, report, Action.SUBMIT, office.staff)
    made = [ReportRendered(ReportDocumentKind.NOTICE_PDF, b"%PDF-1.7 a report's notice")]
    uow.run(engine, ctx.clock, lambda s: store_report_documents(  # a report's paper
        s, report_id=report.id, rendered=made, now=ctx.clock.now()))  # fmt: skip


def fill_progress(engine: Engine, ctx: Context, office: Office) -> None:
    """A progress entry of a project of another office's plan, put in force."""
    from tests.factories import make_office
    from tests.progress_factories import plan_in_force, record

    other = make_office(engine, ctx.clock, f"66699{next(_OFFICES):02d}")  # type: ignore[arg-type]
    plan_id, content = plan_in_force(engine, ctx, other, projects=1, equipment=0)
    record(engine, ctx, plan_id, other.staff, content.projects[0].id, status="not_started")


def fill_ita_reminder(engine: Engine, ctx: Context) -> None:
    """The transparency checklist's reminders of an office with nothing posted."""
    from tests.factories import make_office
    from workflow.ita_data import load_year
    from workflow.ita_reminders import remind

    other = make_office(engine, ctx.clock, f"66698{next(_OFFICES):02d}")  # type: ignore[arg-type]
    uow.run(engine, ctx.clock, lambda s: remind(
        s, clock=ctx.clock, ita_year=load_year(2567), organization_id=other.organization_id,
        today=date(2024, 3, 20)))  # fmt: skip


def fill_evidence(engine: Engine, ctx: Context, office: Office, plan_id: int) -> None:
    """A file attached to the plan's newest record (an evidence entry)."""
    import tempfile
    from pathlib import Path

    from models.audit import TransitionRecord
    from models.blobs import BlobStore
    from workflow.evidence import Attaching, Upload, attach

    def command(s: Session) -> object:
        record = s.exec(
            select(TransitionRecord).where(TransitionRecord.plan_id == plan_id)
        ).all()[-1]
        assert record.id is not None
        how = Attaching(BlobStore(Path(tempfile.mkdtemp())), lambda data, _: data)
        upload = Upload(b"%PDF-1.4 minutes\n%%EOF\n", record.id, "other")
        return attach(s, ctx, plan_id=plan_id, actor=office.staff, upload=upload, how=how)

    uow.run(engine, ctx.clock, command)


def fill_document_tables(engine: Engine, ctx: Context, office: Office, plan_id: int) -> None:
    """An office's settings changed, and a document stored for a plan."""
    from models.document import DocumentKind
    from models.organization import Organization
    from workflow.org_settings import set_settings
    from workflow.papers import Rendered, store_documents

    def settings(s: Session) -> object:
        org = s.get(Organization, office.organization_id)
        assert org is not None
        changes = {"executive_name": f"นายสมชาย {uuid.uuid4().hex[:6]}"}  # a change each round
        return set_settings(s, code=org.code, actor=office.admin, clock=ctx.clock, changes=changes)

    uow.run(engine, ctx.clock, settings)
    made = [Rendered(DocumentKind.NOTICE_PDF, b"%PDF-1.7 a notice")]
    uow.run(
        engine,
        ctx.clock,
        lambda s: store_documents(s, plan_id=plan_id, rendered=made, now=ctx.clock.now()),
    )


def statements(engine: Engine) -> dict[str, str]:
    extra = SQLITE if engine.dialect.name == "sqlite" else POSTGRESQL
    return {**BOTH, **extra}


def key(table: str) -> str:
    return "seq" if table in ("log_entry", "log_leaf") else "id"


def dump(engine: Engine, table: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY {key(table)}")
        return [tuple(r) for r in rows]


def columns(engine: Engine, table: str) -> str:
    return ", ".join(c["name"] for c in sa.inspect(engine).get_columns(table))


def assert_refused(engine: Engine, table: str, sql: str) -> None:
    before = dump(engine, table)
    assert before, f"{table} has no row to protect"
    # A plain TRUNCATE of a table others refer to is refused by the foreign key already.
    refusal = "append-only|cannot truncate a table referenced in a foreign key"
    with pytest.raises(sa.exc.DBAPIError, match=refusal), engine.begin() as conn:
        conn.exec_driver_sql(sql.format(t=table, c=columns(engine, table), k=key(table)))
    assert dump(engine, table) == before


def test_every_statement_is_refused_on_every_history_table(
    engine: Engine, ctx: Context, office: Office
) -> None:
    fill_history_tables(engine, ctx, office)
    key_pair = SigningKey("localplan.test", new_private_key())
    uow.run(engine, ctx.clock, lambda s: sign_checkpoint(s, key=key_pair, clock=ctx.clock))
    for table in (*APPEND_ONLY_TABLES, *LOG_TABLES):
        for name, sql in statements(engine).items():
            try:
                assert_refused(engine, table, sql)
            except AssertionError as err:  # name the statement and table that got through
                raise AssertionError(f"{name} on {table}: {err}") from err


def test_the_product_still_appends(engine: Engine, ctx: Context, office: Office) -> None:
    fill_history_tables(engine, ctx, office)
    counts = {t: len(dump(engine, t)) for t in APPEND_ONLY_TABLES}
    fill_history_tables(engine, ctx, office)  # a second round of real rows goes in
    assert all(len(dump(engine, t)) > counts[t] for t in APPEND_ONLY_TABLES)


def test_one_line_guards_a_new_table(engine: Engine) -> None:
    """What a later migration does for a history table it adds."""
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE later_history (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, "
            "note TEXT, UNIQUE (a, b))"
        )
        guard_table(conn, "later_history")
        conn.exec_driver_sql("INSERT INTO later_history (id, a, b, note) VALUES (1, 1, 1, 'x')")
    for sql in statements(engine).values():
        if "plan" in sql:
            continue
        assert_refused(engine, "later_history", sql)
    if engine.dialect.name == "sqlite":  # a conflict on the other unique key, under a new id
        assert_refused(
            engine, "later_history", "REPLACE INTO {t} (id, a, b, note) VALUES (2, 1, 1, 'y')"
        )
    with engine.begin() as conn:  # appending still works
        conn.exec_driver_sql("INSERT INTO later_history (id, a, b, note) VALUES (2, 2, 2, 'y')")
    assert len(dump(engine, "later_history")) == 2
