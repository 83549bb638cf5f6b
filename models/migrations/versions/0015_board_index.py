"""board index: the plans of one state by organization (the public notice board)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01

The public board pages the organizations that have a posted plan (workflow/plan_lists.py):
each organization is probed for a plan in state `posted`. The index on (organization_id,
fiscal_year_be, state) reaches the state only after every fiscal year of the organization;
(state, organization_id) answers the probe with one index lookup. The board's order (province,
name, then id) is the order of (province, name), so a page reads the organizations in order and
stops after it, instead of sorting every organization for each page; it replaces the index on
the province alone (its first column serves the auditors' province lookups as well).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_plan_state_org", "plan", ["state", "organization_id"], unique=False)
    op.create_index(
        "ix_organization_province_name", "organization", ["province", "name"], unique=False
    )
    op.drop_index("ix_organization_province", table_name="organization")


def downgrade() -> None:
    op.create_index("ix_organization_province", "organization", ["province"], unique=False)
    op.drop_index("ix_organization_province_name", table_name="organization")
    op.drop_index("ix_plan_state_org", table_name="plan")
