"""Limits an attacker cannot turn against the owner: failed logins, and commands on plans the
caller may not see (docs/operations.md "Login limits" and "Commands on plans outside one's
scope").

Failed logins (table `login_failure`) are limited on (username, address) and on the address:
past either limit the address waits until enough failures leave the window. Across addresses a
username is never locked: its failures in the window only make every address that failed on it
wait longer before its next try (a delay that doubles with each failure past a free number,
capped). An address that has not failed on the username, the owner's own, is never held back
by failures elsewhere. Commands on plans the caller may not see (table `unseen_attempt`) are
counted per user; past the limit the caller gets 429 until the oldest leaves the window.
Every 429 says in `Retry-After` the time actually left. The rows live in the database, so the
limits hold across restarts and across several API processes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, Engine
from sqlmodel import Session, col, delete, select

from api.settings import Settings
from models.clock import Clock
from models.db import WriteUnit
from models.throttle import UnseenAttempt
from models.token import LoginFailure
from workflow import uow
from workflow.command_base import NotVisible
from workflow.errors import DomainError, reason

T = TypeVar("T")
log = logging.getLogger("localplan.api")
KEPT_WINDOWS = 4  # rows older than this many windows are pruned as new ones arrive


@dataclass
class TooManyAttempts(DomainError):
    """Too many failed logins, or commands on plans outside one's scope (HTTP 429)."""

    retry_after: int = 1  # seconds until the caller may try again
    code = "too_many_attempts"


@dataclass(frozen=True)
class LoginLimits:
    window: timedelta
    per_pair: int = 5  # failures of one username from one address
    per_address: int = 20  # failures from one address, whatever the username
    free_per_username: int = 5  # failures of a username, all addresses, before any delay
    delay: timedelta = timedelta(seconds=1)  # the first delay, doubled at each failure after
    max_delay: timedelta = timedelta(seconds=60)


@dataclass(frozen=True)
class UnseenLimits:
    window: timedelta
    limit: int = 20


def login_limits(settings: Settings) -> LoginLimits:
    return LoginLimits(
        window=timedelta(minutes=settings.login_window_minutes),
        per_pair=settings.login_max_failures_per_pair,
        per_address=settings.login_max_failures_per_address,
        free_per_username=settings.login_free_failures_per_username,
        delay=timedelta(seconds=settings.login_delay_seconds),
        max_delay=timedelta(seconds=settings.login_max_delay_seconds),
    )


def unseen_limits(settings: Settings) -> UnseenLimits:
    return UnseenLimits(
        window=timedelta(minutes=settings.unseen_window_minutes),
        limit=settings.unseen_max_attempts,
    )


def seconds(left: timedelta) -> int:
    """`Retry-After`: whole seconds, rounded up (a client that waits that long gets in)."""
    return max(math.ceil(left.total_seconds()), 1)


def left_in_window(
    times: Sequence[datetime], limit: int, window: timedelta, now: datetime
) -> timedelta:
    """How long until fewer than `limit` of `times` (ascending, all inside the window) remain
    in it; zero when already fewer."""
    if len(times) < limit:
        return timedelta(0)
    return max(times[len(times) - limit] + window - now, timedelta(0))


# --- failed logins --------------------------------------------------------------------------


def _failure_times(
    session: Session, since: datetime, *where: ColumnElement[bool]
) -> list[datetime]:
    query = select(LoginFailure.attempted_at).where(col(LoginFailure.attempted_at) > since, *where)
    return list(session.exec(query.order_by(col(LoginFailure.attempted_at))).all())


def username_delay(failures: int, limits: LoginLimits) -> timedelta:
    """The wait after a failure when the username has `failures` in the window."""
    past = failures - limits.free_per_username
    if past < 0:
        return timedelta(0)
    delay: timedelta = limits.delay * 2 ** min(past, 40)
    return min(delay, limits.max_delay)


def login_wait(
    session: Session, *, username: str, address: str, clock: Clock, limits: LoginLimits
) -> timedelta:
    """How long this (username, address) must still wait before a password check; zero: go."""
    now = clock.now()
    since = now - limits.window
    pair = _failure_times(
        session, since, col(LoginFailure.username) == username, col(LoginFailure.address) == address
    )
    address_times = _failure_times(session, since, col(LoginFailure.address) == address)
    waits = [
        left_in_window(pair, limits.per_pair, limits.window, now),
        left_in_window(address_times, limits.per_address, limits.window, now),
    ]
    if pair:  # only an address that failed on this username is slowed by its failures
        everywhere = _failure_times(session, since, col(LoginFailure.username) == username)
        waits.append(pair[-1] + username_delay(len(everywhere), limits) - now)
    return max(waits)


def login_refused(wait: timedelta) -> TooManyAttempts:
    left = seconds(wait)
    return TooManyAttempts(
        [
            reason(
                "too_many_attempts",
                f"เข้าสู่ระบบผิดหลายครั้งเกินไป โปรดลองใหม่ในอีก {left} วินาที",
                f"too many failed logins; try again in {left} s",
            )
        ],
        retry_after=left,
    )


def record_failure(
    session: Session, *, username: str, address: str, clock: Clock, limits: LoginLimits
) -> None:
    """Log a failed login; drop entries far older than the window so the table stays small."""
    now = clock.now()
    session.exec(
        delete(LoginFailure).where(
            col(LoginFailure.attempted_at) < now - KEPT_WINDOWS * limits.window
        )
    )
    session.add(LoginFailure(username=username[:64], address=address[:64], attempted_at=now))
    session.flush()


def forget_failures(session: Session, *, username: str, address: str) -> None:
    """A successful login wipes that pair's failures (not the username's elsewhere)."""
    session.exec(
        delete(LoginFailure).where(
            col(LoginFailure.username) == username[:64], col(LoginFailure.address) == address[:64]
        )
    )


# --- commands on plans the caller may not see -----------------------------------------------


def run_command(
    engine: Engine, clock: Clock, command: Callable[[Session], T], *, limits: UnseenLimits
) -> T:
    """`workflow.uow.run`, with a command on a plan the caller may not see counted against the
    caller (never in that plan's trail): answered 404 as a missing plan, or 429 past the
    limit."""
    return _counting(engine, clock, lambda: uow.run(engine, clock, command), limits)


def run_unit_command(
    engine: Engine, clock: Clock, command: Callable[[WriteUnit], T], *, limits: UnseenLimits
) -> T:
    """`run_command` for a command that takes a `WriteUnit` (`workflow.uow.run_unit`: no ORM
    session unless a step makes one)."""
    return _counting(engine, clock, lambda: uow.run_unit(engine, clock, command), limits)


def _counting(engine: Engine, clock: Clock, work: Callable[[], T], limits: UnseenLimits) -> T:
    try:
        return work()
    except NotVisible as error:
        _count(engine, clock, error, limits)
        raise


def _count(engine: Engine, clock: Clock, error: NotVisible, limits: UnseenLimits) -> None:
    attempt = error.attempt
    if attempt is None or attempt.actor_user_id is None:
        return  # the scheduler (`system`) sees every plan: nothing to count
    user_id = attempt.actor_user_id
    uow.run(
        engine,
        clock,
        lambda s: count_unseen(s, error, user_id=user_id, clock=clock, limits=limits),
    )


def count_unseen(
    session: Session, error: NotVisible, *, user_id: int, clock: Clock, limits: UnseenLimits
) -> None:
    """Count one more attempt against the user, or refuse with 429 (counting nothing) when the
    window is full."""
    now = clock.now()
    times = list(
        session.exec(
            select(UnseenAttempt.attempted_at)
            .where(
                UnseenAttempt.user_id == user_id,
                col(UnseenAttempt.attempted_at) > now - limits.window,
            )
            .order_by(col(UnseenAttempt.attempted_at))
        ).all()
    )
    wait = left_in_window(times, limits.limit, limits.window, now)
    if wait > timedelta(0):
        raise _unseen_refused(wait) from error
    if len(times) + 1 == limits.limit:
        log.warning("user %s: %d commands on plans outside their scope", user_id, limits.limit)
    attempt = error.attempt
    assert attempt is not None
    session.exec(
        delete(UnseenAttempt).where(
            col(UnseenAttempt.user_id) == user_id,
            col(UnseenAttempt.attempted_at) < now - KEPT_WINDOWS * limits.window,
        )
    )
    session.add(
        UnseenAttempt(
            user_id=user_id,
            action=attempt.action[:32],
            plan_id=attempt.plan_id,
            attempted_at=now,
            request_id=attempt.request_id,
        )
    )
    session.flush()


def _unseen_refused(wait: timedelta) -> TooManyAttempts:
    left = seconds(wait)
    return TooManyAttempts(
        [
            reason(
                "too_many_unseen_attempts",
                f"ดำเนินการกับแผนที่ไม่พบหลายครั้งเกินไป โปรดลองใหม่ในอีก {left} วินาที",
                f"too many commands on plans not found; try again in {left} s",
            )
        ],
        retry_after=left,
    )
