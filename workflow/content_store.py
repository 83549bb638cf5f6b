"""The content's rows read and written (models/content.py), as `content_model` values.

Plain SQLAlchemy Core on the command's connection, statements built once. Rows read back are
not run through the input rules again: only the commands write them, after the rules. The
order of each list is the order the rows were given in (`position`); the draft's hash is the
hash of the content read back in that order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from models.content import (
    ContentDraft,
    ContentEdit,
    ContentEquipment,
    ContentProject,
    ContentStrategy,
    ContentVersion,
)
from models.store import table_of
from workflow.content_model import (
    EMPTY,
    Change,
    ChangeKind,
    Content,
    DevPlanRef,
    Equipment,
    FundingSource,
    Introduction,
    Ownership,
    Project,
    Strategy,
)

DRAFT = table_of(ContentDraft)
STRATEGY = table_of(ContentStrategy)
PROJECT = table_of(ContentProject)
EQUIPMENT = table_of(ContentEquipment)
EDIT = table_of(ContentEdit)
VERSION = table_of(ContentVersion)
ITEM_TABLES = {"strategy": STRATEGY, "project": PROJECT, "equipment": EQUIPMENT}

_PLAN: Any = sa.bindparam("plan_id")
_DRAFT = sa.select(DRAFT.c.revision, DRAFT.c.introduction, DRAFT.c.changes).where(
    DRAFT.c.plan_id == _PLAN
)
_ROWS = {
    name: sa.select(table).where(table.c.plan_id == _PLAN).order_by(table.c.position)
    for name, table in ITEM_TABLES.items()
}
_NEXT_POSITION = {
    name: sa.select(sa.func.coalesce(sa.func.max(table.c.position), -1) + 1).where(
        table.c.plan_id == _PLAN
    )
    for name, table in ITEM_TABLES.items()
}
_LATEST = (
    sa.select(VERSION).where(VERSION.c.plan_id == _PLAN).order_by(VERSION.c.number.desc()).limit(1)
)
_VERSION = sa.select(VERSION).where(
    VERSION.c.plan_id == _PLAN, VERSION.c.number == sa.bindparam("number")
)


def introduction_data(intro: Introduction) -> dict[str, Any]:
    return {
        "foreword": intro.foreword,
        "background": intro.background,
        "objectives": intro.objectives,
        "steps": intro.steps,
        "benefits": intro.benefits,
    }


def changes_data(changes: Sequence[Change]) -> list[dict[str, str]]:
    return [{"kind": c.kind.value, "project_id": c.project_id, "reason": c.reason} for c in changes]


def _introduction(data: Mapping[str, Any]) -> Introduction:
    return Introduction(
        background=data["background"],
        objectives=data["objectives"],
        steps=data["steps"],
        benefits=data["benefits"],
        foreword=data.get("foreword"),
    )


def _strategy(row: Mapping[str, Any]) -> Strategy:
    return Strategy(id=row["item_id"], number=row["number"], name=row["name"])


def _project(row: Mapping[str, Any]) -> Project:
    ref = row["dev_plan"]
    return Project(
        id=row["item_id"],
        strategy_id=row["strategy_id"],
        programme=row["programme"],
        number=row["number"],
        name=row["name"],
        activity=row["activity"],
        budget_baht=row["budget_baht"],
        location=row["location"],
        unit=row["unit"],
        months=tuple(row["months"]),
        funding=FundingSource(row["funding"]),
        ownership=Ownership(row["ownership"]),
        tactic=row["tactic"],
        village=row["village"],
        funding_note=row["funding_note"],
        dev_plan=None if ref is None else DevPlanRef(ref["edition"], ref["page"], ref["row"]),
    )


def _equipment(row: Mapping[str, Any]) -> Equipment:
    return Equipment(
        id=row["item_id"],
        programme=row["programme"],
        number=row["number"],
        category=row["category"],
        type=row["type"],
        target=row["target"],
        budget_baht=row["budget_baht"],
        location=row["location"],
        unit=row["unit"],
        months=tuple(row["months"]),
    )


def load(conn: Connection, plan_id: int) -> tuple[int, Content]:
    """The draft's revision and content (revision 0 and the empty content if never edited)."""
    head = conn.execute(_DRAFT, {"plan_id": plan_id}).one_or_none()
    if head is None:
        return 0, EMPTY
    rows = {
        name: [dict(r._mapping) for r in conn.execute(q, {"plan_id": plan_id})]
        for name, q in _ROWS.items()
    }
    content = Content(
        introduction=_introduction(head.introduction),
        strategies=tuple(_strategy(r) for r in rows["strategy"]),
        projects=tuple(_project(r) for r in rows["project"]),
        equipment=tuple(_equipment(r) for r in rows["equipment"]),
        changes=tuple(
            Change(ChangeKind(c["kind"]), c["project_id"], c["reason"]) for c in head.changes
        ),
    )
    return int(head.revision), content


def strategy_values(plan_id: int, s: Strategy, position: int) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "item_id": s.id,
        "position": position,
        "number": s.number,
        "name": s.name,
    }


def project_values(plan_id: int, p: Project, position: int) -> dict[str, Any]:
    ref = p.dev_plan
    return {
        "plan_id": plan_id,
        "item_id": p.id,
        "position": position,
        "strategy_id": p.strategy_id,
        "tactic": p.tactic,
        "programme": p.programme,
        "number": p.number,
        "name": p.name,
        "activity": p.activity,
        "budget_baht": p.budget_baht,
        "location": p.location,
        "village": p.village,
        "unit": p.unit,
        "months": list(p.months),
        "funding": p.funding.value,
        "funding_note": p.funding_note,
        "ownership": p.ownership.value,
        "dev_plan": None
        if ref is None
        else {"edition": ref.edition, "page": ref.page, "row": ref.row},
        "match_key": None,
    }


def equipment_values(plan_id: int, e: Equipment, position: int) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "item_id": e.id,
        "position": position,
        "programme": e.programme,
        "number": e.number,
        "category": e.category,
        "type": e.type,
        "target": e.target,
        "budget_baht": e.budget_baht,
        "location": e.location,
        "unit": e.unit,
        "months": list(e.months),
    }


def next_position(conn: Connection, kind: str, plan_id: int) -> int:
    return int(conn.execute(_NEXT_POSITION[kind], {"plan_id": plan_id}).scalar_one())


def insert_item(conn: Connection, kind: str, values: Mapping[str, Any]) -> None:
    conn.execute(sa.insert(ITEM_TABLES[kind]), dict(values))


def position_of(conn: Connection, kind: str, plan_id: int, item_id: str) -> int | None:
    table = ITEM_TABLES[kind]
    found = conn.execute(
        sa.select(table.c.position).where(table.c.plan_id == plan_id, table.c.item_id == item_id)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def update_item(conn: Connection, kind: str, values: Mapping[str, Any]) -> None:
    """Write every column of the item but its key (match_key only through its own writer)."""
    table = ITEM_TABLES[kind]
    changed = {k: v for k, v in values.items() if k not in ("plan_id", "item_id", "match_key")}
    conn.execute(
        sa.update(table)
        .where(table.c.plan_id == values["plan_id"], table.c.item_id == values["item_id"])
        .values(**changed)
    )


def delete_item(conn: Connection, kind: str, plan_id: int, item_id: str) -> None:
    table = ITEM_TABLES[kind]
    conn.execute(sa.delete(table).where(table.c.plan_id == plan_id, table.c.item_id == item_id))


def delete_all(conn: Connection, plan_id: int) -> None:
    for table in ITEM_TABLES.values():
        conn.execute(sa.delete(table).where(table.c.plan_id == plan_id))


def insert_all(conn: Connection, plan_id: int, content: Content) -> None:
    """Every row of `content`, in its order (executemany per table)."""
    for kind, values in (
        ("strategy", [strategy_values(plan_id, s, i) for i, s in enumerate(content.strategies)]),
        ("project", [project_values(plan_id, p, i) for i, p in enumerate(content.projects)]),
        ("equipment", [equipment_values(plan_id, e, i) for i, e in enumerate(content.equipment)]),
    ):
        if values:
            conn.execute(sa.insert(ITEM_TABLES[kind]), values)


def save_head(
    conn: Connection, plan_id: int, revision: int, content: Content, now: datetime
) -> None:
    """The draft's header at `revision` (created by the first edit)."""
    values = {
        "revision": revision,
        "introduction": introduction_data(content.introduction),
        "changes": changes_data(content.changes),
        "updated_at": now,
    }
    if revision == 1:
        conn.execute(sa.insert(DRAFT), {"plan_id": plan_id, **values})
    else:
        conn.execute(sa.update(DRAFT).where(DRAFT.c.plan_id == plan_id).values(**values))


def insert_edit(conn: Connection, values: Mapping[str, Any]) -> int:
    return int(conn.execute(sa.insert(EDIT).returning(EDIT.c.id), dict(values)).scalar_one())


def latest_version(conn: Connection, plan_id: int) -> Mapping[str, Any] | None:
    row = conn.execute(_LATEST, {"plan_id": plan_id}).one_or_none()
    return None if row is None else dict(row._mapping)


def version(conn: Connection, plan_id: int, number: int) -> Mapping[str, Any] | None:
    row = conn.execute(_VERSION, {"plan_id": plan_id, "number": number}).one_or_none()
    return None if row is None else dict(row._mapping)


def insert_version(conn: Connection, values: Mapping[str, Any]) -> int:
    return int(conn.execute(sa.insert(VERSION).returning(VERSION.c.id), dict(values)).scalar_one())
