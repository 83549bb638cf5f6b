"""An admin corrects a user's full name (docs/integrity.md "Account events and the actor check"): a
`name_changed` account event with the name before and after, in the same transaction. Role,
organization and scope are workflow/account_status.py; passwords workflow/account_admin.py.
A plain function over a session: it flushes, never commits."""

from __future__ import annotations

from sqlmodel import Session

from models.account import AccountEventKind
from models.clock import Clock
from models.organization import User
from workflow import input_rules as rules
from workflow.account_admin import require_admin
from workflow.accounts import find_user, record_event
from workflow.actors import Actor


def change_name(
    session: Session, *, actor: Actor, clock: Clock, username: str, full_name: str
) -> User:
    """Set a user's full name (free text, as when the user was added); no event when it is
    the same name."""
    actor = require_admin(actor)
    user = find_user(session, username)
    name = rules.optional_text(full_name, field="full_name", max_length=rules.FULL_NAME_MAX)
    name = name or ""
    if name == user.full_name:
        return user
    details = {"before": {"full_name": user.full_name}, "after": {"full_name": name}}
    user.full_name = name
    session.add(user)
    session.flush()
    kind = AccountEventKind.NAME_CHANGED
    record_event(session, clock=clock, actor=actor, kind=kind, subject=user, details=details)
    return user
