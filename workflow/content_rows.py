"""An edit of one strategy, project or equipment row, at a cost that does not grow with the
plan (docs/benchmarks.md "content: an edit against an action"). The rules across rows
(`content_model.check_content`: ids unique, strategy numbers unique, each project's
strategy exists, each change names a project it can act on) are checked with targeted
queries instead of on the whole content; the one row is written; the history row's hash
comes from the items' stored canonical JSON read back (`content_store.canonical_of_parts`:
the same bytes `audit verify` checks, without building the items); and the new draft's
content is built from that JSON only if a caller asks for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlmodel import Session

from models.enums import Role
from workflow import content_codec as codec
from workflow import content_store as cs
from workflow import input_rules as rules
from workflow.actors import Actor
from workflow.command_base import Context
from workflow.content_core import Draft, check_revision, open_draft
from workflow.content_model import EMPTY, ChangeKind, Content, Strategy
from workflow.errors import reason

ORDER = ("strategy", "project", "equipment")  # check_content's order of the lists
PLURAL = {"strategy": "strategies", "project": "projects", "equipment": "equipment"}
_PLAN: Any = sa.bindparam("plan_id")
_ITEM: Any = sa.bindparam("item_id")
_DATA = {
    kind: sa.select(t.c.data).where(t.c.plan_id == _PLAN, t.c.item_id == _ITEM)
    for kind, t in cs.ITEM_TABLES.items()
}
_NUMBER_TAKEN = sa.select(cs.STRATEGY.c.item_id).where(
    cs.STRATEGY.c.plan_id == _PLAN,
    cs.STRATEGY.c.number == sa.bindparam("number"),
    cs.STRATEGY.c.item_id != _ITEM,
)
_IN_USE = sa.select(cs.PROJECT.c.item_id).where(
    cs.PROJECT.c.plan_id == _PLAN, cs.PROJECT.c.strategy_id == _ITEM
)


def _refuse(field: str, code: str, th: str, en: str) -> rules.InvalidInput:
    return rules.InvalidInput([reason(code, th, en)], field=field)


@dataclass(frozen=True)
class Head:
    """The draft's header as an item edit needs it: its revision, introduction and changes
    (as stored), which an item edit leaves as they are."""

    revision: int
    introduction: Mapping[str, Any]
    changes: tuple[Mapping[str, Any], ...]


def read_head(conn: Connection, plan_id: int) -> Head:
    row = conn.execute(cs.DRAFT_HEAD, {"plan_id": plan_id}).one_or_none()
    if row is None:
        return Head(0, codec.introduction_data(EMPTY.introduction), ())
    return Head(int(row.revision), row.introduction, tuple(row.changes))


def item_data(conn: Connection, kind: str, plan_id: int, item_id: str) -> dict[str, Any] | None:
    """One item's stored canonical data (its `*_data` form), None if the draft has none."""
    text = conn.execute(_DATA[kind], {"plan_id": plan_id, "item_id": item_id}).scalar()
    return None if text is None else cs.parsed_one(text)


def item_of(kind: str, data: Mapping[str, Any]) -> Any:
    """The value of an item from its stored canonical data (trusted, as `content_store`)."""
    if kind == "strategy":
        return Strategy(id=data["id"], number=data["number"], name=data["name"])
    return codec.project_of(data) if kind == "project" else codec.equipment_of(data)


def check_new_id(conn: Connection, kind: str, plan_id: int, item_id: str) -> None:
    """An added item's id is used by no item of the draft (check_content's `duplicate_id`,
    named by the later of the two lists, as check_content finds it)."""
    for other in ORDER:
        if item_data(conn, other, plan_id, item_id) is not None:
            later = max(ORDER.index(kind), ORDER.index(other))
            raise _refuse(
                f"{PLURAL[ORDER[later]]}.id", "duplicate_id", f"รหัส {item_id} ซ้ำกัน",
                f"the id {item_id} is used twice",
            )  # fmt: skip


def check_item(
    conn: Connection,
    kind: str,
    plan_id: int,
    item: Any,
    head: Head,
    old: Mapping[str, Any] | None = None,
) -> None:
    """The rules across rows an added item, or a changed one (`old`: its stored data), can
    break, in check_content's order; what a change keeps held before it and holds still."""
    if kind == "strategy" and (old is None or old["number"] != item.number):
        taken = {"plan_id": plan_id, "number": item.number, "item_id": item.id}
        if conn.execute(_NUMBER_TAKEN, taken).first() is not None:
            raise _refuse(
                "strategies.number", "duplicate_number", "ลำดับยุทธศาสตร์ซ้ำกัน",
                "two strategies have the same number",
            )  # fmt: skip
    moved = kind == "project" and (old is None or old["strategy_id"] != item.strategy_id)
    if moved and item_data(conn, "strategy", plan_id, item.strategy_id) is None:
        raise _refuse(
            "strategy_id", "no_such_strategy", "ไม่มียุทธศาสตร์ที่ระบุในแผนนี้",
            f"the plan has no strategy {item.strategy_id}",
        )  # fmt: skip
    if kind == "project" and old is None:
        check_changes(head, item.id, in_content=True)


def check_changes(head: Head, project_id: str, *, in_content: bool) -> None:
    """Each change of the draft still names a project it can act on once `project_id` is in
    the content (added) or not (removed): check_content's `change_mismatch`."""
    for change in head.changes:
        removal = ChangeKind(change["kind"]) is ChangeKind.REMOVE
        if change["project_id"] == project_id and removal == in_content:
            raise _refuse(
                "changes.project_id", "change_mismatch",
                "รายการแก้ไขไม่ตรงกับโครงการในร่าง (เพิ่ม/เปลี่ยนแปลงต้องมีโครงการ ยกเลิกต้องไม่มี)",
                "an add or change names a project of the draft; a removal names none",
            )  # fmt: skip


def check_removal(conn: Connection, kind: str, plan_id: int, item_id: str, head: Head) -> None:
    """A strategy leaves only while no project belongs to it; a project only while no add or
    change of the draft names it."""
    if kind == "strategy" and conn.execute(
        _IN_USE, {"plan_id": plan_id, "item_id": item_id}
    ).first() is not None:
        raise _refuse(
            "strategy_id", "strategy_in_use",
            "ลบยุทธศาสตร์ที่ยังมีโครงการอยู่ไม่ได้ กรุณาย้ายหรือลบโครงการก่อน",
            "a strategy with projects cannot be removed: move or remove them first",
        )  # fmt: skip
    if kind == "project":
        check_changes(head, item_id, in_content=False)


_BUMP = (
    sa.update(cs.DRAFT)
    .where(cs.DRAFT.c.plan_id == sa.bindparam("b_plan_id"))
    .values(revision=sa.bindparam("b_revision"), updated_at=sa.bindparam("b_at"))
)


def bump_head(conn: Connection, plan_id: int, revision: int, now: datetime) -> None:
    """The draft's header at `revision` (created, empty, by the first edit)."""
    if revision == 1:
        cs.save_head(conn, plan_id, revision, EMPTY, now)
    else:
        conn.execute(_BUMP, {"b_plan_id": plan_id, "b_revision": revision, "b_at": now})


@dataclass(frozen=True)
class RowEdit:
    """One item edit: its op and item for the history, and what it checks and writes on the
    connection once the revision is checked (returning the item added or changed, if any)."""

    op: str
    item_id: str
    apply: Callable[[Connection, Head], Any]


def apply_row_edit(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    edit: RowEdit,
) -> Draft:
    """Lock, check the revision, check and write the row, record: an item edit's one path."""
    actor = actor.acting((Role.STAFF,))  # edits are staff's (docs/domain.md "Memberships")
    conn, _ = open_draft(session, plan_id=plan_id, actor=actor)
    head = read_head(conn, plan_id)
    check_revision(head.revision, expected_revision)
    item = edit.apply(conn, head)
    now = ctx.clock.now()
    revision = head.revision + 1
    bump_head(conn, plan_id, revision, now)
    parts = cs.fragments(conn, plan_id)
    body = cs.canonical_of_parts(head.introduction, head.changes, parts)
    sha256 = hashlib.sha256(body).hexdigest()
    cs.insert_edit(
        conn,
        {
            "plan_id": plan_id, "revision": revision, "op": edit.op, "item_id": edit.item_id,
            "source": None, "actor_user_id": actor.user_id, "actor_username": actor.username,
            "actor_role": actor.role, "at": now, "sha256": sha256,
        },
    )  # fmt: skip
    return Draft(plan_id, revision, load=_loader(head, parts), sha256=sha256, item=item)


def _loader(head: Head, parts: Mapping[str, list[str]]) -> Callable[[], Content]:
    """The new draft's content built from the stored JSON the hash was computed from, on
    first use only (most callers of an item edit need its revision, hash and item alone)."""

    def load() -> Content:
        def parsed(kind: str) -> Any:
            return json.loads("[" + ",".join(parts[kind]) + "]")

        return codec.content_of_data(
            {
                "introduction": head.introduction,
                "changes": head.changes,
                "strategies": parsed("strategy"),
                "projects": parsed("project"),
                "equipment": parsed("equipment"),
            }
        )

    return load
