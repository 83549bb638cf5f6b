"""The plan's content: the draft read and edited, the frozen versions read (docs/domain.md
"Plan content"; clause 26 (1): the support committee drafts the plan, clause 26 (2): the
committee reviews what was submitted).

Every edit is one command in the caller's transaction: it locks the plan (the same opening
as the workflow's commands), refuses unless the actor is staff of the plan's organization, the
plan is in a state the table lets the content be edited in (`table.CONTENT_EDITABLE`: a draft,
new or returned) and the edit names the draft's current revision; then it validates the whole
new content (`content_model.check_content`) before writing anything, writes the rows that
change, raises the revision by one and appends the edit's history row (`content_edit`: who,
when, what, the content's SHA-256 after it). An edit never touches the plan's version or its
chain: open action forms stay valid. Item commands are in `workflow/content_edits.py`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from models import store
from workflow import content_codec, content_store
from workflow import input_rules as rules
from workflow.actors import Actor
from workflow.command_base import MAX_ID, Context, not_found, sees
from workflow.content_core import Draft, Edit, Frozen, apply_edit, header_only
from workflow.content_edits import EQUIPMENT, PROJECT, STRATEGY, add_item, remove_item, update_item
from workflow.content_model import (
    Change,
    ChangeKind,
    Content,
    check_content,
    introduction_from_input,
)
from workflow.errors import NotFound, reason

__all__ = [
    "Draft",
    "Frozen",
    "add_equipment",
    "add_project",
    "add_strategy",
    "read_draft",
    "read_version",
    "remove_equipment",
    "remove_project",
    "remove_strategy",
    "replace_content",
    "set_changes",
    "set_introduction",
    "update_equipment",
    "update_project",
    "update_strategy",
]
SOURCE_MAX = 200


# --- reads -------------------------------------------------------------------------------


def _visible_plan(session: Session, plan_id: int, actor: Actor) -> store.PlanRow:
    conn = session.connection()
    plan = store.PLANS.row(conn, plan_id) if 0 < plan_id <= MAX_ID else None
    if plan is None or not sees(actor, session, plan.organization_id):
        raise NotFound([not_found()])
    return plan


def read_draft(session: Session, *, plan_id: int, actor: Actor) -> Draft:
    """The plan's current content and revision, for anyone who may see the plan (after
    submission it is the last frozen version: nothing can change it until it is returned)."""
    _visible_plan(session, plan_id, actor)
    revision, content = content_store.load(session.connection(), plan_id)
    return Draft(plan_id, revision, content)


def read_version(
    session: Session, *, plan_id: int, actor: Actor, version: int | None = None
) -> Frozen:
    """Frozen version `version` of the plan's content (None: the latest)."""
    _visible_plan(session, plan_id, actor)
    conn = session.connection()
    if version is None:
        row = content_store.latest_version(conn, plan_id)
    elif 0 < version <= MAX_ID:
        row = content_store.version(conn, plan_id, version)
    else:
        row = None
    if row is None:
        raise NotFound(
            [
                reason(
                    "content_version_not_found", "ไม่พบฉบับของเนื้อหาแผนที่ระบุ", "no such content version"
                )
            ]
        )
    return frozen_of(row)


def frozen_of(row: Mapping[str, Any]) -> Frozen:
    content = content_codec.content_of_data(json.loads(row["body"]))
    return Frozen(
        row["plan_id"], row["number"], row["sha256"], content, row["record_id"], row["frozen_at"]
    )


# --- whole-content commands --------------------------------------------------------------


def set_introduction(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    data: Mapping[str, Any],
) -> Draft:
    """ส่วนที่ 1 บทนำ (1.1–1.4) and the optional คำนำ, replaced whole."""
    intro = introduction_from_input(data)
    edit = Edit(
        "set_introduction",
        None,
        lambda c: Content(intro, c.strategies, c.projects, c.equipment, c.changes),
        header_only,
    )
    return apply_edit(
        session, ctx, plan_id=plan_id, actor=actor, expected_revision=expected_revision, edit=edit
    )


def change_from_input(data: Mapping[str, Any]) -> Change:
    """One change of an amendment: its kind, the project it concerns, its reason (required)."""
    raw_kind = data.get("kind")
    if raw_kind not in {k.value for k in ChangeKind}:
        raise rules.InvalidInput(
            [reason("not_a_choice", "ชนิดของการแก้ไขไม่ถูกต้อง", "kind is add, change or remove")],
            field="changes.kind",
        )
    project_id = rules.free_text(
        str(data.get("project_id", "")), field="changes.project_id", max_length=64
    )
    text = data.get("reason")
    why = rules.free_text(
        text if isinstance(text, str) else "", field="changes.reason",
        max_length=rules.COMMENT_MAX, multiline=True,
    )  # fmt: skip
    assert project_id is not None and why is not None
    return Change(ChangeKind(str(raw_kind)), project_id, why)


def set_changes(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    changes: Sequence[Mapping[str, Any]],
) -> Draft:
    """An amendment's list of changes (added, changed, removed; each with its reason)."""
    new_changes = tuple(change_from_input(c) for c in changes)
    edit = Edit(
        "set_changes",
        None,
        lambda c: Content(c.introduction, c.strategies, c.projects, c.equipment, new_changes),
        header_only,
    )
    return apply_edit(
        session, ctx, plan_id=plan_id, actor=actor, expected_revision=expected_revision, edit=edit
    )


def replace_content(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    content: Content,
    source: str,
) -> Draft:
    """The whole content replaced (a spreadsheet import, last year's plan in force as the
    start): one edit, `source` says where it came from."""
    check_content(content)

    def write(conn: Connection, new: Content) -> None:
        content_store.delete_all(conn, plan_id)
        content_store.insert_all(conn, plan_id, new)

    edit = Edit("replace", None, lambda _: content, write, source=source[:SOURCE_MAX] or None)
    return apply_edit(
        session, ctx, plan_id=plan_id, actor=actor, expected_revision=expected_revision, edit=edit
    )


# --- one item: strategies, projects (ผด.02), equipment (ผด.02/1) --------------------------


def add_project(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    data: Mapping[str, Any],
    project_id: str | None = None,
) -> Draft:
    """Add a project (a new stable id unless one is given)."""
    return add_item(
        session, ctx, PROJECT, plan_id=plan_id, actor=actor,
        expected_revision=expected_revision, data=data, item_id=project_id,
    )  # fmt: skip


def update_project(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    project_id: str,
    data: Mapping[str, Any],
) -> Draft:
    """Change the fields `data` names of a project."""
    return update_item(
        session, ctx, PROJECT, plan_id=plan_id, actor=actor,
        expected_revision=expected_revision, item_id=project_id, data=data,
    )  # fmt: skip


def remove_project(
    session: Session, ctx: Context, *, plan_id: int, actor: Actor, expected_revision: int,
    project_id: str,
) -> Draft:  # fmt: skip
    return remove_item(
        session, ctx, PROJECT, plan_id=plan_id, actor=actor,
        expected_revision=expected_revision, item_id=project_id,
    )  # fmt: skip


def add_equipment(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    data: Mapping[str, Any],
    equipment_id: str | None = None,
) -> Draft:
    return add_item(
        session, ctx, EQUIPMENT, plan_id=plan_id, actor=actor,
        expected_revision=expected_revision, data=data, item_id=equipment_id,
    )  # fmt: skip


def update_equipment(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    equipment_id: str,
    data: Mapping[str, Any],
) -> Draft:
    return update_item(
        session, ctx, EQUIPMENT, plan_id=plan_id, actor=actor,
        expected_revision=expected_revision, item_id=equipment_id, data=data,
    )  # fmt: skip


def remove_equipment(
    session: Session, ctx: Context, *, plan_id: int, actor: Actor, expected_revision: int,
    equipment_id: str,
) -> Draft:  # fmt: skip
    return remove_item(
        session, ctx, EQUIPMENT, plan_id=plan_id, actor=actor,
        expected_revision=expected_revision, item_id=equipment_id,
    )  # fmt: skip


def add_strategy(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    data: Mapping[str, Any],
    strategy_id: str | None = None,
) -> Draft:
    return add_item(
        session, ctx, STRATEGY, plan_id=plan_id, actor=actor,
        expected_revision=expected_revision, data=data, item_id=strategy_id,
    )  # fmt: skip


def update_strategy(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    strategy_id: str,
    data: Mapping[str, Any],
) -> Draft:
    return update_item(
        session, ctx, STRATEGY, plan_id=plan_id, actor=actor,
        expected_revision=expected_revision, item_id=strategy_id, data=data,
    )  # fmt: skip


def remove_strategy(
    session: Session, ctx: Context, *, plan_id: int, actor: Actor, expected_revision: int,
    strategy_id: str,
) -> Draft:  # fmt: skip
    """Remove a strategy no project belongs to."""
    return remove_item(
        session, ctx, STRATEGY, plan_id=plan_id, actor=actor,
        expected_revision=expected_revision, item_id=strategy_id,
    )  # fmt: skip
