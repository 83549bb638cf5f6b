"""sweep and audit indexes: the sweep's next look per deadline, reports by fiscal year

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

The sweep looked at every open deadline once a legal day (its cursor said "swept before
today"), so a day's first sweep cost grew with the open deadlines. `deadline.alert_on` keeps
the day each open deadline next owes an alert, indexed with the status, so the sweep reads
only the deadlines due. Existing rows get 0001-01-01 (look at once): the first sweep after
the upgrade looks at every open deadline one last time and sets their day.

A trigger resets `alert_on` whenever `due_on` or `last_working_on` change (an extension, a
holiday overlay, any later writer), so a moved deadline is swept again the same day. A later
migration that rebuilds the deadline table on SQLite (batch "move and copy") must create the
trigger again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SWEEP_NOW = "0001-01-01"


def upgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "alert_on", sa.Date(), server_default=sa.text(f"'{SWEEP_NOW}'"), nullable=False
            )
        )
        batch_op.create_index("ix_deadline_status_alert_on", ["status", "alert_on"], unique=False)
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.create_index(
            "ix_plan_year_org", ["fiscal_year_be", "organization_id"], unique=False
        )
    _create_moved_trigger(op.get_bind())


def downgrade() -> None:
    _drop_moved_trigger(op.get_bind())
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_year_org")
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index("ix_deadline_status_alert_on")
        batch_op.drop_column("alert_on")


def _create_moved_trigger(conn: sa.engine.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION localplan_deadline_moved() RETURNS trigger AS $$ "
            "BEGIN IF NEW.due_on IS DISTINCT FROM OLD.due_on "
            "OR NEW.last_working_on IS DISTINCT FROM OLD.last_working_on "
            f"THEN NEW.alert_on := DATE '{SWEEP_NOW}'; END IF; RETURN NEW; END; "
            "$$ LANGUAGE plpgsql"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER deadline_moved_sweep_again BEFORE UPDATE ON deadline "
            "FOR EACH ROW EXECUTE FUNCTION localplan_deadline_moved()"
        )
        return
    conn.exec_driver_sql(
        "CREATE TRIGGER deadline_moved_sweep_again AFTER UPDATE OF due_on, last_working_on "
        "ON deadline FOR EACH ROW WHEN NEW.due_on IS NOT OLD.due_on "
        "OR NEW.last_working_on IS NOT OLD.last_working_on "
        f"BEGIN UPDATE deadline SET alert_on = '{SWEEP_NOW}' WHERE id = NEW.id; END"
    )


def _drop_moved_trigger(conn: sa.engine.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS deadline_moved_sweep_again ON deadline")
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS localplan_deadline_moved()")
    else:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS deadline_moved_sweep_again")
