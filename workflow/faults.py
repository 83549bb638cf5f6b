"""Deadlines the sweep cannot process, set aside so they never stop the sweep of the others
(docs/operations.md "Set-aside deadlines").

A deadline whose unit raises (a date the arithmetic overflows, a row a hand edit broke, a bug)
is *set aside*: one open episode in `deadline_fault` with the error and a fingerprint of the
row as it failed (the deadline's stored text and its plan's version and state), and one alert
to the admins through the outbox, in the same transaction. The sweep then passes over the row
while it is unchanged, trying it again once a legal day (the try updates the episode, never
alerts again). The episode is cleared when the row is swept again (fixed, or the plan moved) or
is no longer due (closed, cancelled, its next look in the future). /healthz reports `degraded`
while any episode is open. Errors of the database itself (unreachable, locked) are not the
row's: they stop the pass, and the next tick tries again.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, col, select

from models import store
from models.clock import Clock
from models.db import read_session, write_session
from models.enums import Role
from models.fault import DeadlineFault
from workflow.notices import message

log = logging.getLogger(__name__)
ERROR_LIMIT = 2000
ALERT_KIND = "deadline.set_aside"
SWEPT, NOT_DUE = "swept", "not_due"

_D, _P = store.DEADLINE, store.PLAN
# The row as stored, each column as text: readable even when its values are not (a date a
# hand edit broke), and the same text as long as nobody changes the row or its plan.
_ROWS = (
    sa.select(
        _D.c.id,
        _D.c.plan_id,
        _P.c.organization_id,
        *(sa.cast(c, sa.String) for c in (*_D.c, _P.c.version, _P.c.state)),
    )
    .join(_P, _P.c.id == _D.c.plan_id)
    .where(_D.c.id.in_(sa.bindparam("ids", expanding=True)))
)


@dataclass(frozen=True)
class RowFacts:
    deadline_id: int
    plan_id: int
    organization_id: int
    fingerprint: str


def is_row_error(error: Exception) -> bool:
    """Whether the error is the deadline's to bear (set it aside) rather than the database's
    (stop this pass; the next tick tries again)."""
    if isinstance(error, (OperationalError, InterfaceError, PoolTimeout)):
        return False
    return not getattr(error, "connection_invalidated", False)


def describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_LIMIT]


def row_facts(conn: Connection, deadline_ids: list[int]) -> dict[int, RowFacts]:
    """Each deadline's plan, organization and fingerprint (absent: the row is gone)."""
    if not deadline_ids:
        return {}
    out = {}
    for row in conn.execute(_ROWS, {"ids": deadline_ids}):
        text = "\x1f".join("" if v is None else str(v) for v in row[3:])
        digest = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
        out[row[0]] = RowFacts(row[0], row[1], row[2], digest)
    return out


def open_faults(session: Session) -> list[DeadlineFault]:
    """The episodes not cleared yet, oldest first."""
    query = select(DeadlineFault).where(col(DeadlineFault.cleared_at).is_(None))
    return list(session.exec(query.order_by(col(DeadlineFault.id))).all())


def passed_over(
    engine: Engine, faults: dict[int, DeadlineFault], candidates: list[int], today: date
) -> set[int]:
    """The candidates this pass skips: set aside, unchanged since, and tried today already."""
    waiting = [d for d in candidates if d in faults and faults[d].tried_on >= today]
    if not waiting:
        return set()
    with read_session(engine) as session:
        facts = row_facts(session.connection(), waiting)
    return {d for d in waiting if d in facts and facts[d].fingerprint == faults[d].fingerprint}


def set_aside(
    engine: Engine, clock: Clock, *, deadline_id: int, error: Exception, today: date
) -> bool:
    """Record that the deadline's unit failed; True when this opens a new episode (and its
    alert to the admins), False for a further try of an open one or a row that is gone."""
    try:
        with write_session(engine) as session:
            return _set_aside(session, clock, deadline_id, describe(error), today)
    except IntegrityError:  # another process opened the episode first: it alerted
        return False


def _set_aside(session: Session, clock: Clock, deadline_id: int, error: str, today: date) -> bool:
    conn = session.connection()
    facts = row_facts(conn, [deadline_id]).get(deadline_id)
    if facts is None:
        return False  # deleted meanwhile: nothing left to sweep
    now = clock.now()
    fault = session.exec(
        select(DeadlineFault).where(
            DeadlineFault.deadline_id == deadline_id, col(DeadlineFault.cleared_at).is_(None)
        )
    ).first()
    if fault is not None:  # still failing (perhaps after a change that did not fix it)
        fault.error, fault.fingerprint = error, facts.fingerprint
        fault.tried_at, fault.tried_on, fault.tries = now, today, fault.tries + 1
        session.add(fault)
        return False
    fault = DeadlineFault(
        deadline_id=deadline_id,
        plan_id=facts.plan_id,
        organization_id=facts.organization_id,
        error=error,
        fingerprint=facts.fingerprint,
        set_aside_at=now,
        tried_at=now,
        tried_on=today,
    )
    session.add(fault)
    session.flush()
    assert fault.id is not None
    store.insert_values(conn, store.OUTBOX, _alert(fault, now))
    return True


def _alert(fault: DeadlineFault, now: datetime) -> dict[str, Any]:
    """The admins' message: ids and the error only (admins see no plans, docs/domain.md
    "Roles"), so no plan is attached."""
    return message(
        key=f"{ALERT_KIND}:{fault.id}",
        kind=ALERT_KIND,
        organization_id=fault.organization_id,
        plan_id=None,
        audience=(Role.ADMIN,),
        payload={
            "fault_id": fault.id,
            "deadline_id": fault.deadline_id,
            "plan_id": fault.plan_id,
            "error": fault.error,
            "set_aside_at": now.isoformat(),
        },
        now=now,
        deadline_id=fault.deadline_id,
    )


def clear(engine: Engine, clock: Clock, fault_id: int, because: str) -> None:
    """Close an episode (`swept` or `not_due`); the row stays for the record."""
    with write_session(engine) as session:
        session.connection().execute(
            sa.update(DeadlineFault)
            .where(col(DeadlineFault.id) == fault_id, col(DeadlineFault.cleared_at).is_(None))
            .values(cleared_at=clock.now(), cleared_because=because)
        )
