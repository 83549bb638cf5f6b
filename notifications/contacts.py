"""E-mail addresses of people (optional: without one a person gets in-app alerts only)."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from models.alert import UserContact
from models.clock import Clock
from models.organization import User

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ContactError(ValueError):
    pass


def set_email(session: Session, *, username: str, email: str | None, clock: Clock) -> User:
    """Set (or, with None, remove) a person's e-mail address."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or user.id is None:
        raise ContactError(f"no user {username}")
    row = session.get(UserContact, user.id)
    if email is None:
        if row is not None:
            session.delete(row)
        return user
    if not EMAIL.match(email) or len(email) > 254:
        raise ContactError(f"not an e-mail address: {email!r}")
    if row is None:
        row = UserContact(user_id=user.id, email=email, updated_at=clock.now())
    row.email, row.updated_at = email, clock.now()
    session.add(row)
    session.flush()
    return user


def list_emails(session: Session) -> list[tuple[str, str]]:
    rows = session.exec(
        select(User.username, UserContact.email).join(
            UserContact, col(UserContact.user_id) == col(User.id)
        )
    ).all()
    return sorted((str(u), str(e)) for u, e in rows)
