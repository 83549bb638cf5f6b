"""The unit of work around a command: commit it whole, or store the refusal and re-raise."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from models.audit import RefusedAttempt
from models.clock import Clock
from models.db import write_session
from workflow.errors import DomainError

T = TypeVar("T")


# PostgreSQL's deadlock and serialization failures: the transaction was rolled back whole,
# so running the command again is safe.
RETRYABLE = frozenset({"40P01", "40001"})
ATTEMPTS = 3


def run(engine: Engine, clock: Clock, command: Callable[[Session], T]) -> T:
    """Run `command` in one write transaction. A refused command leaves no trace but the
    refused-attempt record, written in its own short transaction after the rollback."""
    try:
        return _attempt(engine, command)
    except DomainError as error:
        if error.refusal is not None:
            with write_session(engine) as session:
                record_refusal(session, error, clock)
        raise


def _attempt(engine: Engine, command: Callable[[Session], T]) -> T:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with write_session(engine) as session:
                return command(session)
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
