"""The monitoring report (รายงานผลการติดตามและประเมินผลแผนพัฒนาท้องถิ่น) as a row, and its
hash-chained records (docs/domain.md "Monitoring reports"; workflow/table_reports.py), and
the papers its announcement made."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import text_enum
from models.enums import ReportRound, ReportState, Role
from models.types import UTCDateTime


class MonitoringReport(SQLModel, table=True):
    __tablename__ = "monitoring_report"
    __table_args__ = (
        # One report per organization, fiscal year and round that is not withdrawn.
        sa.Index(
            "uq_monitoring_report_live",
            "organization_id",
            "fiscal_year_be",
            "round",
            unique=True,
            sqlite_where=sa.text("state != 'withdrawn'"),
            postgresql_where=sa.text("state != 'withdrawn'"),
        ),
        sa.Index("ix_monitoring_report_year_org", "fiscal_year_be", "organization_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    fiscal_year_be: int
    round: ReportRound = Field(sa_type=text_enum(ReportRound))
    plan_id: int | None = Field(default=None, foreign_key="plan.id")  # the plan in force
    state: ReportState = Field(sa_type=text_enum(ReportState))
    version: int = Field(default=0)  # the number of records in the report's chain
    head_hash: str = Field(max_length=64)
    last_effective_on: date
    presented_on: date | None = None
    announced_on: date | None = None
    posted_on: date | None = None
    posting_places: list[Any] = Field(default_factory=list, sa_type=sa.JSON)
    posting_complete_on: date | None = None
    findings: str | None = None  # the monitoring committee's
    recommendations: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ReportRecord(SQLModel, table=True):
    """One accepted action on a monitoring report, hash-chained per report exactly as a
    plan's `transition_record`. Never updated or deleted (database triggers refuse it)."""

    __tablename__ = "report_record"
    __table_args__ = (
        sa.UniqueConstraint("report_id", "seq"),
        sa.Index("ix_report_record_org_recorded", "organization_id", "recorded_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="monitoring_report.id")
    organization_id: int = Field(foreign_key="organization.id")
    seq: int
    action: str = Field(max_length=32)
    from_state: str | None = Field(default=None, max_length=32)
    to_state: str = Field(max_length=32)
    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    actor_username: str = Field(max_length=64)
    actor_role: Role = Field(sa_type=text_enum(Role))
    effective_on: date
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    comment: str | None = None
    request_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class ReportDocumentKind(StrEnum):
    NOTICE_PDF = "notice_pdf"  # the report's own signed ประกาศ
    REPORT_PDF = "report_pdf"  # the report: its figures, findings and recommendations


class ReportDocument(SQLModel, table=True):
    """A file the report's announcement made (workflow/report_papers.py): its kind and its
    SHA-256; the bytes live once in `document_file`, as the plans' papers'. Append-only, an
    entry of the log."""

    __tablename__ = "report_document"
    __table_args__ = (sa.Index("ix_report_document_report_kind", "report_id", "kind", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="monitoring_report.id")
    kind: ReportDocumentKind = Field(sa_type=text_enum(ReportDocumentKind))
    sha256: str = Field(max_length=64, foreign_key="document_file.sha256")
    size: int
    made_at: datetime = Field(sa_type=UTCDateTime)
