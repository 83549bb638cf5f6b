"""The draft as its items' columns say (not their stored canonical JSON): what `audit verify`
compares with the last edit's hash (workflow/verify_content.py), so a column edited by hand
is found even though the reads use the stored JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from workflow.content_codec import equipment_of, introduction_of, project_of
from workflow.content_model import (
    EMPTY,
    Change,
    ChangeKind,
    Content,
    Equipment,
    Project,
    Strategy,
)
from workflow.content_store import DRAFT_HEAD, ITEM_TABLES, PLAN_PARAM

_ROWS = {
    name: sa.select(table).where(table.c.plan_id == PLAN_PARAM).order_by(table.c.position)
    for name, table in ITEM_TABLES.items()
}


def _strategy(row: Mapping[str, Any]) -> Strategy:
    return Strategy(id=row["item_id"], number=row["number"], name=row["name"])


def _project(row: Mapping[str, Any]) -> Project:
    return project_of({**row, "id": row["item_id"]})  # the columns under the data's names


def _equipment(row: Mapping[str, Any]) -> Equipment:
    return equipment_of({**row, "id": row["item_id"]})


def load_columns(conn: Connection, plan_id: int) -> tuple[int, Content]:
    """The draft as its columns say (not its stored JSON): what `audit verify` compares."""
    head = conn.execute(DRAFT_HEAD, {"plan_id": plan_id}).one_or_none()
    if head is None:
        return 0, EMPTY
    rows = {
        name: [dict(r._mapping) for r in conn.execute(q, {"plan_id": plan_id})]
        for name, q in _ROWS.items()
    }
    content = Content(
        introduction=introduction_of(head.introduction),
        strategies=tuple(_strategy(r) for r in rows["strategy"]),
        projects=tuple(_project(r) for r in rows["project"]),
        equipment=tuple(_equipment(r) for r in rows["equipment"]),
        changes=tuple(
            Change(ChangeKind(c["kind"]), c["project_id"], c["reason"]) for c in head.changes
        ),
    )
    return int(head.revision), content
