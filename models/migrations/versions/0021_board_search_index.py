"""board search index: the organizations' board order carries their codes

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03

A citizen searching the public board by an organization's code or part of its name
(workflow/public_board.py) reads the organizations in the board's order, (province, name),
until a page is full. With the index of migration 0015 each organization read was a second
look-up of its table row for the code and the name to match; an index on (province, name,
code) holds all three, so the search reads the index alone (at 7,850 organizations a search
that matches one of them took about half the time: docs/benchmarks.md "Speed, eighth round:
the pages").
It replaces the index on (province, name), whose uses (an auditor's province, the board's
order) it serves the same way.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_organization_province_name_code", "organization", ["province", "name", "code"],
        unique=False,
    )
    op.drop_index("ix_organization_province_name", table_name="organization")


def downgrade() -> None:
    op.create_index(
        "ix_organization_province_name", "organization", ["province", "name"], unique=False
    )
    op.drop_index("ix_organization_province_name_code", table_name="organization")
