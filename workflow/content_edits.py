"""Adding, changing and removing one strategy, project (ผด.02) or equipment row (ผด.02/1) of
a draft (docs/domain.md "Plan content"). Each is one edit through `content.apply_edit`: the
rules of every field (`content_model.*_from_input`), then the rules across rows
(`check_content`: ids unique, each project's strategy exists) before a row is written.

An item keeps its stable id for life; a change (PATCH) names only the fields it changes, the
others keep their values, and the whole item passes the rules again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from workflow import content_store
from workflow import input_rules as rules
from workflow.actors import Actor
from workflow.command_base import Context
from workflow.content_core import Draft, Edit, apply_edit
from workflow.content_model import (
    Content,
    Equipment,
    Project,
    Strategy,
    equipment_data,
    equipment_from_input,
    new_id,
    project_data,
    project_from_input,
    strategy_from_input,
)
from workflow.errors import NotFound, reason

Item = Strategy | Project | Equipment
ID_MAX = 64


@dataclass(frozen=True)
class Kind:
    """How one kind of item is read from input, shown, stored and found in the content."""

    name: str  # strategy, project, equipment
    th: str
    parse: Callable[[Mapping[str, Any], str], Any]
    data: Callable[[Any], dict[str, Any]]
    values: Callable[[int, Any, int], dict[str, Any]]
    field: str  # the Content field holding them

    def items(self, content: Content) -> tuple[Any, ...]:
        found: tuple[Any, ...] = getattr(content, self.field)
        return found

    def with_items(self, content: Content, items: tuple[Any, ...]) -> Content:
        fields: dict[str, Any] = {self.field: items}
        return replace(content, **fields)


STRATEGY: Kind = Kind(
    "strategy",
    "ยุทธศาสตร์",
    lambda d, i: strategy_from_input(d, strategy_id=i),
    content_store.strategy_data,
    content_store.strategy_values,
    "strategies",
)
PROJECT: Kind = Kind(
    "project",
    "โครงการ",
    lambda d, i: project_from_input(d, project_id=i),
    project_data,
    content_store.project_values,
    "projects",
)
EQUIPMENT: Kind = Kind(
    "equipment",
    "ครุภัณฑ์",
    lambda d, i: equipment_from_input(d, equipment_id=i),
    equipment_data,
    content_store.equipment_values,
    "equipment",
)


def _no_such(kind: Kind, item_id: str) -> NotFound:
    return NotFound(
        [
            reason(
                "item_not_found",
                f"ไม่พบ{kind.th}ที่ระบุในร่างแผนนี้",
                f"the draft has no {kind.name} {item_id}",
            )
        ]
    )


def _item_id(raw: str | None) -> str:
    if raw is None:
        return new_id()
    cleaned = rules.free_text(raw, field="id", max_length=ID_MAX)
    assert cleaned is not None
    return cleaned


def _find(kind: Kind, content: Content, item_id: str) -> tuple[int, Any]:
    for index, item in enumerate(kind.items(content)):
        if item.id == item_id:
            return index, item
    raise _no_such(kind, item_id)


def add_item(
    session: Session,
    ctx: Context,
    kind: Kind,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    data: Mapping[str, Any],
    item_id: str | None = None,
) -> Draft:
    """Add one item at the end of its list (a new stable id unless one is given)."""
    item = kind.parse(data, _item_id(item_id))

    def write(conn: Connection, new: Content) -> None:
        position = content_store.next_position(conn, kind.name, plan_id)
        content_store.insert_item(conn, kind.name, kind.values(plan_id, item, position))

    edit = Edit(
        f"add_{kind.name}", item.id, lambda c: kind.with_items(c, (*kind.items(c), item)), write
    )
    return apply_edit(
        session, ctx, plan_id=plan_id, actor=actor, expected_revision=expected_revision, edit=edit
    )


def update_item(
    session: Session,
    ctx: Context,
    kind: Kind,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    item_id: str,
    data: Mapping[str, Any],
) -> Draft:
    """Change the fields `data` names of one item; its id and place in the list stay."""
    changed: dict[str, Any] = {}

    def change(content: Content) -> Content:
        index, old = _find(kind, content, item_id)
        merged = {**kind.data(old), **{k: v for k, v in data.items() if k != "id"}}
        changed["item"] = kind.parse(merged, item_id)
        items = list(kind.items(content))
        items[index] = changed["item"]
        return kind.with_items(content, tuple(items))

    def write(conn: Connection, new: Content) -> None:
        content_store.update_item(conn, kind.name, kind.values(plan_id, changed["item"], 0))

    edit = Edit(f"update_{kind.name}", item_id, change, write)
    return apply_edit(
        session, ctx, plan_id=plan_id, actor=actor, expected_revision=expected_revision, edit=edit
    )


def remove_item(
    session: Session,
    ctx: Context,
    kind: Kind,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    item_id: str,
) -> Draft:
    """Remove one item (a strategy only while no project belongs to it)."""

    def change(content: Content) -> Content:
        _find(kind, content, item_id)
        if kind.name == "strategy" and any(p.strategy_id == item_id for p in content.projects):
            raise rules.InvalidInput(
                [
                    reason(
                        "strategy_in_use",
                        "ลบยุทธศาสตร์ที่ยังมีโครงการอยู่ไม่ได้ กรุณาย้ายหรือลบโครงการก่อน",
                        "a strategy with projects cannot be removed: move or remove them first",
                    )
                ],
                field="strategy_id",
            )
        return kind.with_items(content, tuple(i for i in kind.items(content) if i.id != item_id))

    edit = Edit(
        f"remove_{kind.name}",
        item_id,
        change,
        lambda conn, _: content_store.delete_item(conn, kind.name, plan_id, item_id),
    )
    return apply_edit(
        session, ctx, plan_id=plan_id, actor=actor, expected_revision=expected_revision, edit=edit
    )
