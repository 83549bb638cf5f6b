"""LINE users and groups seen by the webhook, and their links to people and offices
(docs/operations.md "LINE").

A follow (someone added the account), a join (the account was added to a group) and any message
or member event record the ids of their source: the user id, and for a group or room its id as
well as the writer's user id when LINE gives it. An unfollow or leave marks the contact
inactive (nothing is pushed to it until it comes back). An admin links a user id to a person
and a group id to an office; pushes go only to linked, active contacts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from models.alert import LineContact
from models.clock import Clock
from models.organization import Organization
from notifications.contacts import ContactError, user_named

GONE = {"unfollow": "user", "leave": "group"}  # events after which pushes fail


def sources(event: dict[str, Any]) -> list[tuple[str, str]]:
    """The (kind, id) pairs an event names: its group or room, and its user."""
    source = event.get("source")
    if not isinstance(source, dict):
        return []
    found = []
    kind = str(source.get("type", ""))
    for name, key in (("group", "groupId"), ("room", "roomId")):
        if kind == name and isinstance(source.get(key), str):
            found.append((name, str(source[key])))
    if isinstance(source.get("userId"), str):
        found.append(("user", str(source["userId"])))
    return found


def record_events(
    session: Session, events: Iterable[dict[str, Any]], *, channel: str, clock: Clock
) -> int:
    """Record the sources of a webhook call's events; how many contacts were new."""
    now, added = clock.now(), 0
    for event in events:
        kind_of_event = str(event.get("type", "event"))[:32]
        for kind, line_id in sources(event):
            if not line_id or len(line_id) > 64:
                continue
            row = session.exec(select(LineContact).where(LineContact.line_id == line_id)).first()
            if row is None:
                row = LineContact(
                    line_id=line_id,
                    kind=kind,
                    channel=channel,
                    last_event=kind_of_event,
                    first_seen_at=now,
                    last_seen_at=now,
                )
                added += 1
            gone = GONE.get(kind_of_event) == kind or (
                kind_of_event == "leave" and kind == "room"
            )
            row.active = not gone
            row.last_event, row.last_seen_at, row.channel = kind_of_event, now, channel
            session.add(row)
            session.flush()
    return added


def list_contacts(session: Session, *, unlinked: bool = False) -> list[LineContact]:
    query = select(LineContact).order_by(col(LineContact.last_seen_at).desc())
    if unlinked:
        query = query.where(
            col(LineContact.user_id).is_(None), col(LineContact.organization_id).is_(None)
        )
    return list(session.exec(query))


def link(
    session: Session,
    *,
    line_id: str,
    username: str | None = None,
    org_code: str | None = None,
    clock: Clock,
) -> LineContact:
    """Link a captured user id to a person, or a group id to an office (neither: unlink)."""
    row = session.exec(select(LineContact).where(LineContact.line_id == line_id)).first()
    if row is None:
        raise ContactError(
            f"no LINE contact {line_id}", th=f"ไม่พบรหัส LINE {line_id}", missing=True
        )
    row.user_id = row.organization_id = row.linked_at = None
    if username is not None:
        if row.kind != "user":
            raise ContactError(
                "a person links to a LINE user id, not a group",
                th="ผู้ใช้เชื่อมได้กับรหัสผู้ใช้ LINE เท่านั้น ไม่ใช่กลุ่ม",
            )
        row.user_id = user_named(session, username).id
    if org_code is not None:
        if row.kind == "user":
            raise ContactError(
                "an office links to a LINE group id, not a user",
                th="หน่วยงานเชื่อมได้กับรหัสกลุ่ม LINE เท่านั้น",
            )
        org = session.exec(select(Organization).where(Organization.code == org_code)).first()
        if org is None:
            raise ContactError(
                f"no organization {org_code}", th=f"ไม่มีหน่วยงาน {org_code}", missing=True
            )
        row.organization_id = org.id
    if row.user_id is not None or row.organization_id is not None:
        row.linked_at = clock.now()
    session.add(row)
    session.flush()
    return row
