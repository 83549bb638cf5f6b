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
from typing import Any

from sqlalchemy import Connection

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


def content_step(conn: Connection, rule: Rule, plan_id: int) -> ContentStep:
    """The content step of `rule` for the plan (nothing for an action that leaves it alone)."""
    if rule.content == "freeze":
        return freeze(conn, plan_id)
    if rule.content == "name":
        latest = content_store.latest_version(conn, plan_id)
        if latest is None:  # a plan submitted before content was kept
            return NOTHING
        return ContentStep({"content": {"version": latest["number"], "sha256": latest["sha256"]}})
    return NOTHING


def freeze(conn: Connection, plan_id: int) -> ContentStep:
    """The draft as the next frozen version (the empty content if it was never edited)."""
    body = content_store.stored_body(conn, plan_id) or canonical(EMPTY)
    latest = content_store.latest_version(conn, plan_id)
    number = 1 if latest is None else int(latest["number"]) + 1
    sha256 = hashlib.sha256(body).hexdigest()
    return ContentStep({"content": {"version": number, "sha256": sha256}}, body.decode("utf-8"))
