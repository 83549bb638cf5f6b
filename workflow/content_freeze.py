"""What an action of the workflow table does to the plan's content (`Rule.content`;
docs/domain.md "Plan content", clause 26 (1)–(2)).

`freeze` (submit): the draft becomes the plan's next frozen version, in the action's own
transaction; its number and SHA-256 go into the record's details, which are inside the
record's hash, and the version row names the record. `name` (approve, announce): the record
names the latest frozen version, so the chain says that what was announced is what the
committee approved and what was submitted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from models.fastsql import Prepared
from workflow import content_store
from workflow.content_model import EMPTY, canonical
from workflow.table import Rule


@dataclass(frozen=True)
class ContentStep:
    """The content's part of an action: what goes into the record, and the frozen version to
    store once the record exists (None: nothing to store)."""

    details: dict[str, Any]
    body: str | None = None

    def store(self, conn: Connection, *, plan_id: int, record_id: int, now: datetime) -> None:
        if self.body is None:
            return
        named = self.details["content"]
        content_store.insert_version(
            conn,
            {
                "plan_id": plan_id,
                "number": named["version"],
                "sha256": named["sha256"],
                "body": self.body,
                "record_id": record_id,
                "frozen_at": now,
            },
        )


NOTHING = ContentStep({})

# What an action names of the latest frozen version (not its body): number and hash.
_LATEST_NAMED = Prepared(
    sa.select(content_store.VERSION.c.number, content_store.VERSION.c.sha256)
    .where(content_store.VERSION.c.plan_id == sa.bindparam("plan_id"))
    .order_by(content_store.VERSION.c.number.desc())
    .limit(1)
)


def latest_named(conn: Connection, plan_id: int) -> tuple[int, str] | None:
    """The number and SHA-256 of the plan's latest frozen version; None if none was frozen."""
    found = _LATEST_NAMED.first(conn, {"plan_id": plan_id})
    return None if found is None else (int(found[0]), str(found[1]))


def content_step(conn: Connection, rule: Rule, plan_id: int) -> ContentStep:
    """The content step of `rule` for the plan (nothing for an action that leaves it alone)."""
    if rule.content == "freeze":
        return freeze(conn, plan_id)
    if rule.content == "name":
        latest = latest_named(conn, plan_id)
        if latest is None:  # a plan submitted before content was kept
            return NOTHING
        number, sha256 = latest
        return ContentStep({"content": {"version": number, "sha256": sha256}})
    return NOTHING


@lru_cache(maxsize=1)
def _empty() -> bytes:
    """The canonical bytes of the empty content (a plan never edited), encoded once."""
    return canonical(EMPTY)


def freeze(conn: Connection, plan_id: int) -> ContentStep:
    """The draft as the next frozen version (the empty content if it was never edited)."""
    body = content_store.stored_body(conn, plan_id) or _empty()
    latest = latest_named(conn, plan_id)
    number = 1 if latest is None else latest[0] + 1
    sha256 = hashlib.sha256(body).hexdigest()
    return ContentStep({"content": {"version": number, "sha256": sha256}}, body.decode("utf-8"))
