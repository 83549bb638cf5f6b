"""Legal clocks of a plan or a monitoring report, and the executive's extensions of them."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import CountingMode, DeadlineKind, DeadlineStatus
from models.types import UTCDateTime

SWEEP_NOW = date.min


class Deadline(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "kind"),
        sa.UniqueConstraint("report_id", "kind"),
        # A clock belongs to a plan or to a monitoring report (migration 0016).
        sa.CheckConstraint(
            "(plan_id IS NULL) != (report_id IS NULL)", name="deadline_one_subject"
        ),
        sa.Index("ix_deadline_status_due", "status", "due_on"),
        # The sweep's one query: open deadlines whose next look is due (bounded by the work due,
        # not by the number of deadlines).
        sa.Index("ix_deadline_status_alert_on", "status", "alert_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int | None = Field(default=None, foreign_key="plan.id")
    report_id: int | None = Field(default=None, foreign_key="monitoring_report.id")
    kind: DeadlineKind = Field(sa_type=text_enum(DeadlineKind))
    start_on: date  # the day the clock starts (never counted)
    days: int
    mode: CountingMode = Field(sa_type=text_enum(CountingMode))
    conservative: bool = Field(default=False)
    clause: str = Field(max_length=64)
    base_due_on: date  # start_on + days
    # The legal due date: base_due_on under the counting mode, or the latest extension.
    # For the minimum posting period: the earliest removal date.
    due_on: date
    last_working_on: date  # the last working day on or before due_on: the advice to act by
    extended: bool = Field(default=False)
    status: DeadlineStatus = Field(sa_type=text_enum(DeadlineStatus))
    closed_on: date | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The legal day from which the sweep next owes this open deadline a look (the next alert
    # threshold, workflow.alert_policy.next_alert_on). SWEEP_NOW (date.min): at once, because
    # the deadline is new or its dates moved; a database trigger (migration 0004) resets it
    # whenever due_on or last_working_on change, whoever changes them.
    alert_on: date = Field(
        default=date.min, sa_column_kwargs={"server_default": sa.text("'0001-01-01'")}
    )


class DeadlineExtension(SQLModel, table=True):
    __tablename__ = "deadline_extension"

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", index=True)
    record_id: int = Field(foreign_key="transition_record.id")
    previous_due_on: date
    new_due_on: date
    reason: str
    recorded_at: datetime = Field(sa_type=UTCDateTime)
