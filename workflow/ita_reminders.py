"""Reminders before the transparency assessment's evidence window (docs/domain.md "The
transparency checklist", "Reminders"): from `days_before` days before the window opens until it
closes, the office's staff and executive are told, once per organization × ITA year × item, of
each item that is not there yet (status `not_yet` or `missing`; `unknown` is never reminded).

`remind` is the one command: for one organization it writes, in the caller's transaction, an
`ita_reminder` row (the audit record, append-only, an entry of the log) and an outbox message
per item; the row's unique key and the message's idempotency key make a second pass, a
restart or a second process add nothing. `reminder_pass` is the scheduler's daily pass: one
read of every organization's checklist (set-wise), then one transaction per organization that
owes a reminder.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import store
from models.clock import Clock, today_bangkok
from models.db import read_session
from models.enums import Role
from models.ita import ItaReminder
from models.organization import Organization
from workflow import ita, uow
from workflow.actors import SYSTEM
from workflow.ita_data import ItaYear, available_years, load_year
from workflow.notices import message

log = logging.getLogger(__name__)
AUDIENCE = (Role.STAFF, Role.EXECUTIVE)
REMINDED = (ita.NOT_YET, ita.MISSING)
KIND = "ita.reminder"


@dataclass
class ReminderReport:
    day: date
    years: list[int] = field(default_factory=list)  # the ITA years whose reminders were due
    written: list[str] = field(default_factory=list)  # idempotency keys


def reminder_key(year: int, organization_id: int, code: str) -> str:
    return f"ita:{year}:o{organization_id}:{code}"


def due_years(today: date, *, days_before: int, years: Sequence[ItaYear]) -> list[ItaYear]:
    """The ITA years whose reminder period holds `today`: from `days_before` days before
    the window opens to its last day."""
    return [
        y for y in years if y.window.start - timedelta(days=days_before) <= today <= y.window.end
    ]


def remind(session: Session, *, clock: Clock, ita_year: ItaYear, organization_id: int,
           today: date) -> list[str]:  # fmt: skip
    """Remind one organization's staff and executive of the items of `ita_year` it lacks and
    was not reminded of; the keys written (docs/domain.md "The transparency checklist")."""
    org = session.get(Organization, organization_id)
    assert org is not None
    row = ita.assess(session, ita_year, [org], today=today)[0]
    done = set(session.exec(select(ItaReminder.item_code).where(
        ItaReminder.organization_id == organization_id, ItaReminder.ita_year == ita_year.year,
    )).all())  # fmt: skip
    now, written = clock.now(), []
    conn = session.connection()
    for line in row.items:
        if line.status not in REMINDED or line.code in done:
            continue
        key = reminder_key(ita_year.year, organization_id, line.code)
        details = {"title": line.title, "fiscal_year": line.fiscal_year,
                   "satisfied_with": line.satisfied_with,
                   "satisfied_with_th": line.satisfied_with_th}  # fmt: skip
        session.add(ItaReminder(
            organization_id=organization_id, ita_year=ita_year.year, item_code=line.code,
            status=line.status, legal_day=today, window_start=ita_year.window.start,
            recorded_at=now, actor_username=SYSTEM.username, details=details,
        ))  # fmt: skip
        payload = {"year": ita_year.year, "code": line.code, "status": line.status,
                   "window_start": ita_year.window.start.isoformat(),
                   "window_end": ita_year.window.end.isoformat(), "emitted_on": today.isoformat(),
                   "basis": ita_year.basis, **details}  # fmt: skip
        store.insert_values(conn, store.OUTBOX, message(
            key=key, kind=KIND, organization_id=organization_id, plan_id=None,
            audience=AUDIENCE, payload=payload, now=now,
        ))  # fmt: skip
        written.append(key)
    session.flush()
    return written


def reminder_pass(engine: Engine, clock: Clock, *, days_before: int,
                  years: Sequence[ItaYear] | None = None) -> ReminderReport:  # fmt: skip
    """The daily pass: every organization owing a reminder of a due ITA year gets one
    transaction (`remind`); another process's reminders are left as they are."""
    today = today_bangkok(clock)
    known = years if years is not None else [load_year(y) for y in available_years()]
    report = ReminderReport(day=today)
    for ita_year in due_years(today, days_before=days_before, years=known):
        report.years.append(ita_year.year)
        for organization_id in _owing(engine, ita_year, today):
            try:
                report.written += _unit(engine, clock, ita_year, organization_id, today)
            except IntegrityError:  # another process reminded this organization first
                log.info("ita %s: organization %s reminded by another process",
                         ita_year.year, organization_id)  # fmt: skip
    if report.written:
        log.info("ita reminders %s: %d written", today, len(report.written))
    return report


def _unit(engine: Engine, clock: Clock, ita_year: ItaYear, organization_id: int,
          today: date) -> list[str]:  # fmt: skip
    def command(session: Session) -> list[str]:
        return remind(session, clock=clock, ita_year=ita_year, organization_id=organization_id,
                      today=today)  # fmt: skip

    return uow.run(engine, clock, command)


def _owing(engine: Engine, ita_year: ItaYear, today: date) -> list[int]:
    """The organizations with an item to remind and no reminder of it yet (three reads)."""
    with read_session(engine) as session:
        orgs = list(session.exec(select(Organization).order_by(col(Organization.id))).all())
        rows = ita.assess(session, ita_year, orgs, today=today)
        done = set(session.exec(
            select(ItaReminder.organization_id, ItaReminder.item_code)
            .where(ItaReminder.ita_year == ita_year.year)
        ).all())  # fmt: skip
    return [
        r.organization_id for r in rows
        if any(i.status in REMINDED and (r.organization_id, i.code) not in done for i in r.items)
    ]  # fmt: skip
