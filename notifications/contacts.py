"""E-mail addresses and the language of people's alerts (an address is optional: without one a
person gets in-app alerts only). Preferences, not history: no audit record (as e-mail)."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from models.alert import UserContact
from models.clock import Clock
from models.enums import Language
from models.organization import User

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ContactError(ValueError):
    """Bad contact input (`missing`: the user, id or office named does not exist)."""

    def __init__(self, message: str, *, th: str = "", missing: bool = False) -> None:
        super().__init__(message)
        self.th = th or message
        self.missing = missing


def user_named(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or user.id is None:
        raise ContactError(f"no user {username}", th=f"ไม่มีผู้ใช้ {username}", missing=True)
    return user


def set_language(session: Session, *, username: str, language: str) -> User:
    """Set the language of a person's alerts: "th" or "en"."""
    if language not in {lang.value for lang in Language}:
        raise ContactError(
            f"language must be th or en, not {language!r}", th="ภาษาต้องเป็น th หรือ en"
        )
    user = user_named(session, username)
    user.language = language
    session.add(user)
    session.flush()
    return user


def set_email(session: Session, *, username: str, email: str | None, clock: Clock) -> User:
    """Set (or, with None, remove) a person's e-mail address."""
    user = user_named(session, username)
    assert user.id is not None
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
