"""The failed-login limit: failures per username and per address within a window.

Failures are stored in the database (table `login_failure`), so the limit holds across
restarts and across several API processes. Used by the password login (`api/auth.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from models.clock import Clock
from models.token import LoginFailure


@dataclass(frozen=True)
class LoginLimits:
    window: timedelta
    per_username: int
    per_address: int


def _failures(session: Session, column: object, value: str, since: datetime) -> int:
    count = session.exec(
        select(func.count())
        .select_from(LoginFailure)
        .where(column == value, col(LoginFailure.attempted_at) > since)
    ).one()
    return int(count)


def login_blocked(
    session: Session, *, username: str, address: str, clock: Clock, limits: LoginLimits
) -> bool:
    since = clock.now() - limits.window
    return (
        _failures(session, col(LoginFailure.username), username, since) >= limits.per_username
        or _failures(session, col(LoginFailure.address), address, since) >= limits.per_address
    )


def record_failure(
    session: Session, *, username: str, address: str, clock: Clock, limits: LoginLimits
) -> None:
    """Log a failed login; drop entries far older than the window so the table stays small."""
    now = clock.now()
    session.exec(
        delete(LoginFailure).where(col(LoginFailure.attempted_at) < now - 4 * limits.window)
    )
    session.add(LoginFailure(username=username[:64], address=address[:64], attempted_at=now))
    session.flush()
