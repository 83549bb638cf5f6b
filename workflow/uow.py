"""The unit of work around a command: commit it whole, or store the refusal and re-raise."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from models.audit import RefusedAttempt
from models.clock import Clock
from models.db import WriteUnit, write_session, write_unit
from workflow.errors import DomainError

T = TypeVar("T")
X = TypeVar("X", Session, WriteUnit)


# PostgreSQL's deadlock and serialization failures: the transaction was rolled back whole,
# so running the command again is safe.
RETRYABLE = frozenset({"40P01", "40001"})
ATTEMPTS = 3


def run(engine: Engine, clock: Clock, command: Callable[[Session], T]) -> T:
    """Run `command` in one write transaction. A refused command leaves no trace but the
    refused-attempt record, written in its own short transaction after the rollback."""
    return _run(engine, clock, write_session, command)


def run_unit(engine: Engine, clock: Clock, command: Callable[[WriteUnit], T]) -> T:
    """`run` for a command that takes a `WriteUnit` (the action commands' hot path): the same
    one transaction and refusal record, without an ORM session unless a step makes one."""
    return _run(engine, clock, write_unit, command)


def _run(
    engine: Engine,
    clock: Clock,
    opener: Callable[[Engine], AbstractContextManager[X]],
    command: Callable[[X], T],
) -> T:
    try:
        return _attempt(engine, opener, command)
    except DomainError as error:
        if error.refusal is not None:
            with write_session(engine) as session:
                record_refusal(session, error, clock)
        raise


def _attempt(
    engine: Engine,
    opener: Callable[[Engine], AbstractContextManager[X]],
    command: Callable[[X], T],
) -> T:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with opener(engine) as tx:
                return command(tx)
        except DBAPIError as error:
            code = getattr(error.orig, "sqlstate", None)
            if code not in RETRYABLE or attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def record_refusal(session: Session, error: DomainError, clock: Clock) -> RefusedAttempt:
    refusal = error.refusal
    assert refusal is not None
    attempt = RefusedAttempt(
        plan_id=refusal.plan_id,
        organization_id=refusal.organization_id,
        report_id=refusal.report_id,
        action=refusal.action,
        actor_user_id=refusal.actor_user_id,
        actor_username=refusal.actor_username,
        actor_role=refusal.actor_role,
        effective_on=refusal.effective_on,
        attempted_at=clock.now(),
        code=error.code,
        reasons=[r.as_dict() for r in error.reasons],
        request_id=refusal.request_id,
    )
    session.add(attempt)
    session.flush()
    return attempt
