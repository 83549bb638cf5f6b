"""A small office whose history touches every table `audit verify` checks, and the helpers the
tamper tests share (docs/integrity.md "What verification finds")."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.audit import RefusedAttempt
from models.calendar import CalendarChange
from models.deadline import Deadline, DeadlineExtension
from models.enums import Action, DeadlineKind, OverlayKind, PlanKind, PlanState, Role
from models.migrations.append_only import drop_conflict_guards, drop_guards
from tests.factories import Office, attempt, create, extend, new_plan
from tests.helpers import walk
from workflow import uow
from workflow.actors import Actor
from workflow.audit import verify
from workflow.commands import Context
from workflow.overlay import OverlayEntry, change_overlay

Found = set[tuple[str, str, int | None, str | None]]
ADMIN = Actor(user_id=None, username="cli:test", role=Role.ADMIN)


@dataclass(frozen=True)
class World:
    posted: int  # an annual plan posted at two places: its minimum posting clock is open
    amended: int  # a supplementary plan superseded by `amendment`
    amendment: int  # announced: its posting clock is open, moved by a holiday
    extended: int  # a supplementary plan with a budget, its preparation clock extended twice
    clock: int  # the extended plan's preparation deadline
    extensions: tuple[int, int]
    changes: tuple[int, int]  # two calendar changes of one day: added, then renamed
    refused: tuple[int, int]


def build(engine: Engine, ctx: Context, office: Office) -> World:
    posted = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    amendment = walk(engine, ctx, office, PlanKind.AMENDMENT, PlanState.ANNOUNCED)
    new = replace(new_plan(office, PlanKind.SUPPLEMENTARY), budget_baht=Decimal("125000.50"))
    plan = create(engine, ctx, new, office.staff)
    due = plan.clock(DeadlineKind.PREPARATION)
    assert due is not None
    plan = extend(engine, ctx, plan, office.executive, new_due_on=due.due_on + timedelta(5))
    plan = extend(engine, ctx, plan, office.executive, new_due_on=due.due_on + timedelta(9))
    posting = amendment.id or 0
    with Session(engine) as s:
        day = s.exec(
            select(Deadline.last_working_on).where(
                Deadline.plan_id == posting, Deadline.kind == DeadlineKind.POSTING
            )
        ).one()
    for name in ("วันหยุดพิเศษ", "วันหยุดพิเศษ (แก้ชื่อ)"):
        entry = OverlayEntry(day, OverlayKind.ADD, name, "มติ ครม.")
        uow.run(
            engine,
            ctx.clock,
            lambda s, e=entry: change_overlay(  # type: ignore[misc]
                s, entry=e, actor=ADMIN, clock=ctx.clock, policy=ctx.policy
            ),
        )
    for action in (Action.ANNOUNCE, Action.APPROVE):  # two attempts, told apart by action
        assert attempt(engine, ctx, plan.id or 0, action, office.staff) != "ok"
    with Session(engine) as s:
        amended = s.exec(select(DeadlineExtension.id).order_by(col(DeadlineExtension.id))).all()
        changes = s.exec(select(CalendarChange.id).order_by(col(CalendarChange.id))).all()
        refused = s.exec(select(RefusedAttempt.id).order_by(col(RefusedAttempt.id))).all()
    return World(
        posted=posted.id or 0,
        amended=amendment.amends_plan_id or 0,
        amendment=posting,
        extended=plan.id,
        clock=due.id,
        extensions=(amended[0] or 0, amended[1] or 0),
        changes=(changes[0] or 0, changes[1] or 0),
        refused=(refused[0] or 0, refused[1] or 0),
    )


def found(engine: Engine) -> Found:
    """(problem, table, row id, field) of every break `audit verify` reports."""
    with Session(engine) as s:
        return {(b.problem, b.table, b.row_id, b.field) for b in verify(s).breaks}


def tamper(engine: Engine, *sql: str, tables: tuple[str, ...] = ()) -> None:
    """Run `sql` by hand, with the append-only guards of `tables` dropped first."""
    with engine.begin() as conn:
        drop_guards(conn, tables)
        drop_conflict_guards(conn, tables)
        for statement in sql:
            conn.exec_driver_sql(statement)
