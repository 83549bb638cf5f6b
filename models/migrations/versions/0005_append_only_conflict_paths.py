"""append-only history: refuse SQLite's REPLACE conflict path and PostgreSQL's TRUNCATE

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

The row triggers of 0001 refuse UPDATE and DELETE, but two statements changed history
without firing them: SQLite's `INSERT OR REPLACE` / `REPLACE INTO` deletes the conflicting
row silently, and PostgreSQL's row triggers never fire on `TRUNCATE` (also `TRUNCATE plan
CASCADE`). See models/migrations/append_only.py for the table of statements and guards.
"""

from collections.abc import Sequence

from alembic import op

from models.migrations.append_only import (
    FIRST_HISTORY_TABLES as APPEND_ONLY_TABLES,
)
from models.migrations.append_only import (
    create_conflict_guards,
    drop_conflict_guards,
)

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_conflict_guards(op.get_bind(), APPEND_ONLY_TABLES)


def downgrade() -> None:
    drop_conflict_guards(op.get_bind(), APPEND_ONLY_TABLES)
