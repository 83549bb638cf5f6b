"""The core of every content edit (docs/domain.md "Plan content"): the draft and frozen
values, the opening (the plan locked, the editor and the state checked), the revision check
and `apply_edit`, the one path of every edit (workflow/content.py, workflow/content_edits.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from models.enums import Role
from workflow import content_store
from workflow.actors import Actor
from workflow.command_base import Context, load_visible
from workflow.content_model import (
    Content,
    check_content,
    content_hash,
)
from workflow.errors import Conflict, Forbidden, Refusal, StaleVersion, reason
from workflow.table import CONTENT_EDITABLE, STATE_LABELS

EDIT_ACTION = "edit_content"  # what an unseen attempt is counted as (api/throttling.py)
SOURCE_MAX = 200


class Draft:
    """The editable content of a plan at its revision (0: never edited, the empty content).

    An edit of one item returns its draft with the content not read (`load` reads it on first
    use, docs/benchmarks.md "content: an edit against an action"), its hash as the history
    row holds it, and the item the edit added or changed (`item`)."""

    __slots__ = ("_content", "_load", "_sha256", "item", "plan_id", "revision")

    def __init__(
        self,
        plan_id: int,
        revision: int,
        content: Content | None = None,
        *,
        load: Callable[[], Content] | None = None,
        sha256: str | None = None,
        item: Any = None,
    ) -> None:
        if content is None and load is None:
            raise ValueError("a draft needs its content or a way to load it")
        self.plan_id, self.revision, self.item = plan_id, revision, item
        self._content, self._load, self._sha256 = content, load, sha256

    @property
    def content(self) -> Content:
        if self._content is None:
            assert self._load is not None
            self._content = self._load()
        return self._content

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            self._sha256 = content_hash(self.content)
        return self._sha256

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Draft):
            return NotImplemented
        return (self.plan_id, self.revision, self.content) == (
            other.plan_id,
            other.revision,
            other.content,
        )

    def __hash__(self) -> int:
        return hash((self.plan_id, self.revision))

    def __repr__(self) -> str:
        return f"Draft(plan_id={self.plan_id}, revision={self.revision})"


@dataclass(frozen=True)
class Frozen:
    """Frozen version `number` of a plan's content (1 = the first submission), as the submit
    record `record_id` names it."""

    plan_id: int
    number: int
    sha256: str
    content: Content
    record_id: int
    frozen_at: datetime


# --- the edit every command makes --------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One edit: its op and item for the history, the new content from the current one, and
    the rows to write once the new content has passed the rules."""

    op: str
    item_id: str | None
    change: Callable[[Content], Content]
    write: Callable[[Connection, Content], None]
    source: str | None = None


def open_draft(session: Session, *, plan_id: int, actor: Actor) -> tuple[Connection, int]:
    """The plan locked for an edit, if the actor may edit its content now; the connection and
    the plan's organization."""
    refusal = Refusal(EDIT_ACTION, actor.user_id, actor.username, actor.role, plan_id=plan_id)
    conn, plan = load_visible(session, plan_id, actor, refusal)
    staff = actor.role is Role.STAFF and actor.holds(Role.STAFF, plan.organization_id)
    if not staff or actor.organization_id != plan.organization_id:
        raise Forbidden(
            [
                reason(
                    "content_not_editor",
                    "เฉพาะเจ้าหน้าที่ขององค์กรเจ้าของแผนจึงแก้ไขเนื้อหาแผนได้",
                    "only staff of the plan's organization may edit its content",
                )
            ]
        )
    if plan.state not in CONTENT_EDITABLE:
        th = STATE_LABELS[plan.state][0]
        raise Conflict(
            [
                reason(
                    "content_frozen",
                    f"แก้ไขเนื้อหาแผนไม่ได้ แผนอยู่ในสถานะ{th} (แก้ไขได้เฉพาะร่าง)",
                    f"the content is frozen: the plan is {plan.state.value}, "
                    "and only a draft's content may be edited",
                )
            ]
        )
    return conn, plan.organization_id


def check_revision(revision: int, expected_revision: int) -> None:
    if expected_revision != revision:
        raise StaleVersion(
            [
                reason(
                    "stale_content_revision",
                    f"เนื้อหาแผนถูกแก้ไขไปแล้ว ขณะนี้เป็นฉบับแก้ไขที่ {revision}",
                    f"the content is at revision {revision}, not {expected_revision}",
                )
            ]
        )


def apply_edit(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    edit: Edit,
) -> Draft:
    """Lock, check, change, validate, write, record: the one path of every edit."""
    actor = actor.acting((Role.STAFF,))  # edits are staff's (docs/domain.md "Memberships")
    conn, _ = open_draft(session, plan_id=plan_id, actor=actor)
    revision, content, known = content_store.load_known(conn, plan_id)
    check_revision(revision, expected_revision)
    new = check_content(edit.change(content))
    edit.write(conn, new)
    now = ctx.clock.now()
    revision += 1
    content_store.save_head(conn, plan_id, revision, new, now)
    content_store.insert_edit(
        conn,
        {
            "plan_id": plan_id,
            "revision": revision,
            "op": edit.op,
            "item_id": edit.item_id,
            "source": edit.source,
            "actor_user_id": actor.user_id,
            "actor_username": actor.username,
            "actor_role": actor.role,
            "at": now,
            "sha256": content_store.hash_of(new, known),
        },
    )
    return Draft(plan_id, revision, new)


def header_only(conn: Connection, content: Content) -> None:
    """The header holds the introduction and the changes: `save_head` writes them."""
