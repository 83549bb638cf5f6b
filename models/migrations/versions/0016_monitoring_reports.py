"""monitoring reports: a second kind of workflow subject, its records, its clocks

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01

`monitoring_report` holds one report per organization, fiscal year and round that is not
withdrawn (a partial unique index); `report_record` its hash-chained records, append-only and
entries of the log like `transition_record`. A `deadline` row now belongs to a plan or to a
report (`plan_id` nullable, `report_id` beside it, a CHECK that exactly one is set, and one
clock of each kind per report).

On SQLite the deadline table is rebuilt (batch "move and copy"); other tables refer to it, so
the rebuild runs with foreign keys off (a pragma SQLite ignores inside a transaction: the
migration commits what ran before it, turns them off, rebuilds, checks every reference with
`PRAGMA foreign_key_check`, and turns them on again), and migration 0004's trigger on
`alert_on` is created again, since dropping the old table dropped it.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

import models.types
from models.migrations.append_only import guard_table

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SWEEP_NOW = "0001-01-01"
ROLE = sa.Enum(
    "staff", "committee", "executive", "auditor", "admin", "system", "monitoring_committee",
    name="role", native_enum=False, length=32, create_constraint=False,
)
ONE_SUBJECT = "(plan_id IS NULL) != (report_id IS NULL)"
LIVE = sa.text("state != 'withdrawn'")


def upgrade() -> None:
    op.create_table(
        "monitoring_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year_be", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(length=32), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("last_effective_on", sa.Date(), nullable=False),
        sa.Column("presented_on", sa.Date(), nullable=True),
        sa.Column("announced_on", sa.Date(), nullable=True),
        sa.Column("posted_on", sa.Date(), nullable=True),
        sa.Column("posting_places", sa.JSON(), nullable=False),
        sa.Column("posting_complete_on", sa.Date(), nullable=True),
        sa.Column("findings", sa.String(), nullable=True),
        sa.Column("recommendations", sa.String(), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"],
            name=op.f("fk_monitoring_report_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_monitoring_report_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_report")),
    )
    op.create_index(
        "uq_monitoring_report_live", "monitoring_report",
        ["organization_id", "fiscal_year_be", "round"], unique=True,
        sqlite_where=LIVE, postgresql_where=LIVE,
    )
    op.create_index(
        "ix_monitoring_report_year_org", "monitoring_report", ["fiscal_year_be", "organization_id"]
    )
    _create_records()
    with (
        _foreign_keys_off(op.get_bind()),
        op.batch_alter_table("deadline", schema=None, recreate="auto") as batch_op,
    ):
        batch_op.alter_column("plan_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("report_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_deadline_report_id_monitoring_report"),
            "monitoring_report", ["report_id"], ["id"],
        )
        batch_op.create_unique_constraint(
            op.f("uq_deadline_report_id_kind"), ["report_id", "kind"]
        )
        batch_op.create_check_constraint("deadline_one_subject", ONE_SUBJECT)
    _moved_trigger(op.get_bind())


def _create_records() -> None:
    op.create_table(
        "report_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=True),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_username", sa.String(length=64), nullable=False),
        sa.Column("actor_role", ROLE, nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.String(), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["monitoring_report.id"],
            name=op.f("fk_report_record_report_id_monitoring_report"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"],
            name=op.f("fk_report_record_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["user.id"], name=op.f("fk_report_record_actor_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_record")),
        sa.UniqueConstraint("report_id", "seq", name=op.f("uq_report_record_report_id_seq")),
    )
    op.create_index(
        "ix_report_record_org_recorded", "report_record", ["organization_id", "recorded_at"]
    )
    guard_table(op.get_bind(), "report_record")


def downgrade() -> None:
    """The reports' clocks and what refers to them go with the reports."""
    conn = op.get_bind()
    clocks = "SELECT id FROM deadline WHERE report_id IS NOT NULL"
    for table in ("outbox_message", "deadline_alert_state", "deadline_fault"):
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE deadline_id IN ({clocks})")
    conn.exec_driver_sql("DELETE FROM deadline WHERE report_id IS NOT NULL")
    with (
        _foreign_keys_off(conn),
        op.batch_alter_table("deadline", schema=None, recreate="auto") as batch_op,
    ):
        batch_op.drop_constraint("deadline_one_subject", type_="check")
        batch_op.drop_constraint(op.f("uq_deadline_report_id_kind"), type_="unique")
        batch_op.drop_constraint(
            op.f("fk_deadline_report_id_monitoring_report"), type_="foreignkey"
        )
        batch_op.drop_column("report_id")
        batch_op.alter_column("plan_id", existing_type=sa.Integer(), nullable=False)
    _moved_trigger(conn)
    op.drop_index("ix_report_record_org_recorded", table_name="report_record")
    op.drop_table("report_record")
    op.drop_index("ix_monitoring_report_year_org", table_name="monitoring_report")
    op.drop_index("uq_monitoring_report_live", table_name="monitoring_report")
    op.drop_table("monitoring_report")


@contextmanager
def _foreign_keys_off(conn: sa.engine.Connection) -> Iterator[None]:
    """SQLite only: foreign keys off around a rebuild of a table others refer to."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("COMMIT")
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    conn.exec_driver_sql("BEGIN")
    try:
        yield
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the rebuild left broken references: {broken[:5]}")
    finally:
        conn.exec_driver_sql("COMMIT")
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.exec_driver_sql("BEGIN")


def _moved_trigger(conn: sa.engine.Connection) -> None:
    """Migration 0004's trigger, again on SQLite (the rebuild dropped it; PostgreSQL keeps it)."""
    if conn.dialect.name == "postgresql":
        return
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS deadline_moved_sweep_again")
    conn.exec_driver_sql(
        "CREATE TRIGGER deadline_moved_sweep_again AFTER UPDATE OF due_on, last_working_on "
        "ON deadline FOR EACH ROW WHEN NEW.due_on IS NOT OLD.due_on "
        "OR NEW.last_working_on IS NOT OLD.last_working_on "
        f"BEGIN UPDATE deadline SET alert_on = '{SWEEP_NOW}' WHERE id = NEW.id; END"
    )
