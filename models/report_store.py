"""The monitoring reports' `SubjectStore` (models/store.py): the second kind of workflow
subject, its row as one frozen dataclass and its clocks as `deadline` rows keyed by
`report_id`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from models.enums import DeadlineKind, ReportRound, ReportState
from models.report import MonitoringReport, ReportRecord
from models.store import DEADLINE, ClockRow, Codec, SubjectStore, table_of

REPORT = table_of(MonitoringReport)
REPORT_RECORD = table_of(ReportRecord)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A monitoring report (a `monitoring_report` row)."""

    id: int
    organization_id: int
    fiscal_year_be: int
    round: ReportRound
    plan_id: int | None
    state: ReportState
    version: int
    head_hash: str
    last_effective_on: date
    presented_on: date | None
    announced_on: date | None
    posted_on: date | None
    posting_places: tuple[str, ...]
    posting_complete_on: date | None
    findings: str | None
    recommendations: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ReportWithClocks(ReportRow):
    """A report as a command leaves it and a view shows it: the row and its clocks."""

    clocks: tuple[ClockRow, ...] = ()

    def clock(self, kind: DeadlineKind) -> ClockRow | None:
        return next((c for c in self.clocks if c.kind is kind), None)


REPORT_ROW = Codec(REPORT, ReportRow, decoders={"posting_places": tuple})
REPORTS: SubjectStore[ReportRow, ReportWithClocks] = SubjectStore(
    REPORT_ROW, DEADLINE.c.report_id, ReportWithClocks
)
_INSERT_RECORD = sa.insert(REPORT_RECORD).returning(REPORT_RECORD.c.id)
_LIVE = sa.select(REPORT.c.id).where(
    REPORT.c.organization_id == sa.bindparam("org"),
    REPORT.c.fiscal_year_be == sa.bindparam("fy"),
    REPORT.c.round == sa.bindparam("round"),
    REPORT.c.state != ReportState.WITHDRAWN,
)


def insert_record(conn: Connection, values: dict[str, object]) -> int:
    """Append one report record; its id."""
    return int(conn.execute(_INSERT_RECORD, values).scalar_one())


def live_report(conn: Connection, organization_id: int, fiscal_year_be: int,
                round_: ReportRound) -> int | None:
    """The id of the organization's report of this year and round that is not withdrawn."""
    found = conn.execute(
        _LIVE, {"org": organization_id, "fy": fiscal_year_be, "round": round_.value}
    ).scalar()
    return None if found is None else int(found)


def replace_row(row: ReportWithClocks, **changes: object) -> ReportWithClocks:
    return dataclasses.replace(row, **changes)  # type: ignore[arg-type]
