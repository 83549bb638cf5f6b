"""Deadlines the sweep could not process, set aside until they are fixed or no longer due."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime

OPEN = sa.text("cleared_at IS NULL")


class DeadlineFault(SQLModel, table=True):
    """One episode of a deadline the sweep could not process (workflow/faults.py).

    Written when a deadline's unit raises; the sweep then passes over the row until it
    changes or a new legal day comes, and clears the episode when the row is swept again or no
    longer due. Rows are never deleted: a cleared episode stays for admins and auditors.
    At most one episode of a deadline is open (the partial unique index)."""

    __tablename__ = "deadline_fault"
    __table_args__ = (
        sa.Index(
            "uq_deadline_fault_open",
            "deadline_id",
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", index=True)
    plan_id: int = Field(foreign_key="plan.id")
    organization_id: int = Field(foreign_key="organization.id")
    error: str = Field(max_length=2000)  # "OverflowError: date value out of range"
    fingerprint: str = Field(max_length=64)  # the row as it failed (workflow.faults)
    set_aside_at: datetime = Field(sa_type=UTCDateTime)
    tried_at: datetime = Field(sa_type=UTCDateTime)
    tried_on: date  # the legal day of the last try: an unchanged row is tried once a day
    tries: int = 1
    cleared_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cleared_because: str | None = Field(default=None, max_length=32)  # swept | not_due


__all__ = ["DeadlineFault"]
