"""report documents: the papers a monitoring report's announcement made

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01

`report_document` holds each PDF a report's announcement rendered (its own ประกาศ and the
report with its figures, findings and recommendations) by kind and SHA-256; the bytes live in
`document_file` with the plans' papers (docs/domain.md "Monitoring reports"). Append-only and
entries of the log, as `document`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types
from models.migrations.append_only import guard_table

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KIND = sa.Enum("notice_pdf", "report_pdf", name="reportdocumentkind", native_enum=False,
               length=32)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "report_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("kind", KIND, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("made_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["monitoring_report.id"],
            name=op.f("fk_report_document_report_id_monitoring_report"),
        ),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["document_file.sha256"],
            name=op.f("fk_report_document_sha256_document_file"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_document")),
    )
    op.create_index(
        "ix_report_document_report_kind", "report_document", ["report_id", "kind", "id"],
        unique=False,
    )  # fmt: skip
    guard_table(op.get_bind(), "report_document")


def downgrade() -> None:
    op.drop_index("ix_report_document_report_kind", table_name="report_document")
    op.drop_table("report_document")
