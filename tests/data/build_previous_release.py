"""Builds tests/data/previous_release.sql with the code of the previous release (commit c50cd36,
the last one before migrations 0005 and 0006), never with today's code:

    git archive c50cd36 | tar -x -C /tmp/old
    cd /tmp/old && PYTHONPATH=/tmp/old python /path/to/tests/data/build_previous_release.py OUT.db
    sqlite3 OUT.db .dump > tests/data/previous_release.sql

The database: the old `localplan demo` (อบต.แหลมรัง, an FY 2562 annual plan walked to
`announced`), then two FY 2570 supplementary plans with the preparation clock open: one
extended by the executive, the other moved by a holiday added on its last working day; and one
refused attempt. Every history table of that release holds rows; a fixed clock keeps it
reproducible.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime

from sqlmodel import Session, create_engine, select

from api.demo import seed
from models.clock import FixedClock
from models.db import upgrade
from models.deadline import Deadline
from models.enums import Action, DeadlineKind, OverlayKind, PlanKind, TriggerKind
from models.organization import User
from models.plan import Plan
from workflow import uow
from workflow.accounts import actor_for
from workflow.actors import Actor
from workflow.commands import Context, NewPlan, create_plan, extend_deadline, perform
from workflow.errors import DomainError
from workflow.overlay import OverlayEntry, change_overlay
from workflow.policy import WorkflowPolicy

CLOCK = FixedClock(datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
CTX = Context(WorkflowPolicy(), CLOCK)


def _actor(session: Session, username: str) -> Actor:
    return actor_for(session, session.exec(select(User).where(User.username == username)).one())


def _supplementary(session: Session, title: str) -> int:
    plan = create_plan(
        session,
        CTX,
        new=NewPlan(
            organization_id=1,
            kind=PlanKind.SUPPLEMENTARY,
            trigger_kind=TriggerKind.SUPPLEMENTARY_BUDGET,
            trigger_on=date(2026, 11, 10),
            fiscal_year_be=2570,
            title=title,
            budget_baht=None,
        ),
        actor=_actor(session, "laemrang.staff"),
        effective_on=date(2026, 11, 11),
    )
    assert plan.id is not None
    return plan.id


def main(path: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine)
    seed(engine, CTX)
    first = uow.run(engine, CLOCK, lambda s: _supplementary(s, "แผนเพิ่มเติม ครั้งที่ 1/2570"))
    second = uow.run(engine, CLOCK, lambda s: _supplementary(s, "แผนเพิ่มเติม ครั้งที่ 2/2570"))

    def extend(session: Session) -> None:
        plan = session.get(Plan, first)
        assert plan is not None
        extend_deadline(
            session,
            CTX,
            plan_id=first,
            kind=DeadlineKind.PREPARATION,
            actor=_actor(session, "laemrang.executive"),
            expected_version=plan.version,
            new_due_on=date(2027, 1, 15),
            reason_text="รอมติสภาเรื่องโครงการเพิ่มเติม",
        )

    uow.run(engine, CLOCK, extend)

    def holiday(session: Session) -> None:
        due = session.exec(select(Deadline.last_working_on).where(Deadline.plan_id == second)).one()
        admin = Actor(user_id=None, username="cli:builder", role=_actor(session, "admin").role)
        entry = OverlayEntry(due, OverlayKind.ADD, "วันหยุดพิเศษ", "มติ ครม. (ตัวอย่าง)")
        change_overlay(session, entry=entry, actor=admin, clock=CLOCK, policy=CTX.policy)

    uow.run(engine, CLOCK, holiday)

    def refused(session: Session) -> None:
        perform(
            session,
            CTX,
            plan_id=second,
            action=Action.ANNOUNCE,
            actor=_actor(session, "laemrang.staff"),
            expected_version=1,
        )

    try:
        uow.run(engine, CLOCK, refused)
    except DomainError:
        pass  # recorded as a refused attempt, which is the point
    else:
        raise SystemExit("the staff announced a draft: not the previous release?")


if __name__ == "__main__":
    main(sys.argv[1])
