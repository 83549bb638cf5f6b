"""The content's rows read and written (models/content.py), as `content_model` values.

Plain SQLAlchemy Core on the command's connection, statements built once. Rows read back are
not run through the input rules again: only the commands write them, after the rules. The
order of each list is the order the rows were given in (`position`); the draft's hash is the
hash of the content read back in that order.
"""

from __future__ import annotations

import hashlib
import json
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
from models.fastsql import Prepared
from models.store import table_of
from workflow.content_codec import changes_data, content_of_data, introduction_data, strategy_data
from workflow.content_model import (
    CONTENT_SCHEMA,
    EMPTY,
    Content,
    Equipment,
    Project,
    Strategy,
    canonical,
    equipment_data,
    project_data,
)
from workflow.duplicates import match_key

DRAFT = table_of(ContentDraft)
STRATEGY = table_of(ContentStrategy)
PROJECT = table_of(ContentProject)
EQUIPMENT = table_of(ContentEquipment)
EDIT = table_of(ContentEdit)
VERSION = table_of(ContentVersion)
ITEM_TABLES = {"strategy": STRATEGY, "project": PROJECT, "equipment": EQUIPMENT}

PLAN_PARAM: Any = sa.bindparam("plan_id")
DRAFT_HEAD = sa.select(DRAFT.c.revision, DRAFT.c.introduction, DRAFT.c.changes).where(
    DRAFT.c.plan_id == PLAN_PARAM
)
_FRAGMENTS = {
    name: sa.select(table.c.data).where(table.c.plan_id == PLAN_PARAM).order_by(table.c.position)
    for name, table in ITEM_TABLES.items()
}
_NEXT_POSITION = {
    name: sa.select(sa.func.coalesce(sa.func.max(table.c.position), -1) + 1).where(
        table.c.plan_id == PLAN_PARAM
    )
    for name, table in ITEM_TABLES.items()
}
_UPDATE = {
    name: sa.update(t).where(
        t.c.plan_id == sa.bindparam("b_plan_id"), t.c.item_id == sa.bindparam("b_item_id")
    )
    for name, t in ITEM_TABLES.items()
}
_LATEST = (
    sa.select(VERSION)
    .where(VERSION.c.plan_id == PLAN_PARAM)
    .order_by(VERSION.c.number.desc())
    .limit(1)
)
_DRAFT_HEAD = Prepared(DRAFT_HEAD)
_FRAGMENTS_PREPARED = {name: Prepared(q) for name, q in _FRAGMENTS.items()}
_VERSION = sa.select(VERSION).where(
    VERSION.c.plan_id == PLAN_PARAM, VERSION.c.number == sa.bindparam("number")
)








def canonical_json(data: object) -> str:
    """The canonical JSON text of `data` (content_model.canonical's form)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))




def _parsed(fragments: list[str]) -> list[dict[str, Any]]:
    parsed: list[dict[str, Any]] = json.loads("[" + ",".join(fragments) + "]")
    return parsed


def parsed_one(fragment: str) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(fragment)
    return parsed








def canonical_of_parts(
    introduction: Mapping[str, Any], changes: Sequence[Any], fragments: Mapping[str, list[str]]
) -> bytes:
    """`content_model.canonical` of a draft from its stored parts, without re-encoding its
    items: the keys sorted (changes, equipment, introduction, projects, schema, strategies),
    each item's own canonical JSON as stored."""
    text = (
        f'{{"changes":{canonical_json(changes)},'
        f'"equipment":[{",".join(fragments["equipment"])}],'
        f'"introduction":{canonical_json(introduction)},'
        f'"projects":[{",".join(fragments["project"])}],'
        f'"schema":{CONTENT_SCHEMA},'
        f'"strategies":[{",".join(fragments["strategy"])}]}}'
    )
    return text.encode("utf-8")


def fragments(conn: Connection, plan_id: int) -> dict[str, list[str]]:
    params = {"plan_id": plan_id}
    return {  # one fetchall each
        name: [row[0] for row in q.rows(conn, params)] for name, q in _FRAGMENTS_PREPARED.items()
    }


def load_known(conn: Connection, plan_id: int) -> tuple[int, Content, dict[int, str]]:
    """The draft's revision and content, and each item's stored JSON by the item object's
    identity (so an edit re-encodes only what it changed: `hash_of`)."""
    head = conn.execute(DRAFT_HEAD, {"plan_id": plan_id}).one_or_none()
    if head is None:
        return 0, EMPTY, {}
    parts = fragments(conn, plan_id)
    content = content_of_data(
        {
            "introduction": head.introduction,
            "changes": head.changes,
            "strategies": _parsed(parts["strategy"]),
            "projects": _parsed(parts["project"]),
            "equipment": _parsed(parts["equipment"]),
        }
    )
    known: dict[int, str] = {}
    for items, kind in (
        (content.strategies, "strategy"),
        (content.projects, "project"),
        (content.equipment, "equipment"),
    ):
        known.update(zip(map(id, items), parts[kind], strict=True))
    return int(head.revision), content, known


def load(conn: Connection, plan_id: int) -> tuple[int, Content]:
    """The draft's revision and content (revision 0 and the empty content if never edited),
    from the items' stored canonical JSON."""
    revision, content, _ = load_known(conn, plan_id)
    return revision, content


def hash_of(content: Content, known: Mapping[int, str]) -> str:
    """`content_model.content_hash(content)`, re-encoding only the items not in `known`."""

    def parts(items: Sequence[Any], data: Any) -> list[str]:
        return [known.get(id(i)) or canonical_json(data(i)) for i in items]

    body = canonical_of_parts(
        introduction_data(content.introduction),
        changes_data(content.changes),
        {
            "strategy": parts(content.strategies, strategy_data),
            "project": parts(content.projects, project_data),
            "equipment": parts(content.equipment, equipment_data),
        },
    )
    return hashlib.sha256(body).hexdigest()


def stored_body(conn: Connection, plan_id: int) -> bytes | None:
    """The draft's canonical bytes as stored (its parts, not re-encoded); None if never edited."""
    head = _DRAFT_HEAD.first(conn, {"plan_id": plan_id})
    if head is None:
        return None
    _revision, introduction, changes = head
    return canonical_of_parts(introduction, changes, fragments(conn, plan_id))


def stored_hash(conn: Connection, plan_id: int) -> str:
    """The SHA-256 of the draft as stored."""
    body = stored_body(conn, plan_id)
    return hashlib.sha256(body if body is not None else canonical(EMPTY)).hexdigest()


def strategy_values(plan_id: int, s: Strategy, position: int) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "item_id": s.id,
        "position": position,
        "data": canonical_json(strategy_data(s)),
        "number": s.number,
        "name": s.name,
    }


def project_values(plan_id: int, p: Project, position: int) -> dict[str, Any]:
    ref = p.dev_plan
    return {
        "plan_id": plan_id,
        "item_id": p.id,
        "position": position,
        "data": canonical_json(project_data(p)),
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
        "match_key": match_key(p),  # the duplicates' normalized form (workflow/duplicates.py)
    }


def equipment_values(plan_id: int, e: Equipment, position: int) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "item_id": e.id,
        "position": position,
        "data": canonical_json(equipment_data(e)),
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


def update_item(conn: Connection, kind: str, values: Mapping[str, Any]) -> None:
    """Write every column of the item but its key and place (match_key follows the name and
    place)."""
    kept = ("plan_id", "item_id", "position")  # an item keeps its place
    changed = {k: v for k, v in values.items() if k not in kept}
    key = {"b_plan_id": values["plan_id"], "b_item_id": values["item_id"]}
    conn.execute(_UPDATE[kind], {**key, **changed})  # the SET clause: the keys of `changed`


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


_INSERT_VERSION = Prepared(sa.insert(VERSION).returning(VERSION.c.id), keyed=True)


def insert_version(conn: Connection, values: Mapping[str, Any]) -> int:
    return int(_INSERT_VERSION.scalar(conn, values))
