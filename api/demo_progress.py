"""The demo's progress (docs/domain.md "Progress"): the FY 2562 plan in force of อบต.แหลมรัง
followed up in two rounds, the 6-month round (as of 31 มี.ค. 2562) for the projects started by
then and the year's end (as of 30 ก.ย. 2562) for every item, with a realistic mix: most
projects completed a little under budget, some in progress, a few not started or cancelled.
Deterministic (by the item's place), recorded by the demo's staff through the batch command.
Skipped while the fiscal year has not ended on the clock given (a test's fixed clock)."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from models.clock import today_bangkok
from models.organization import User
from workflow import progress, uow
from workflow.accounts import actor_for
from workflow.command_base import Context
from workflow.content_seed import demo_content

STAFF = "laemrang.staff"
HALF_YEAR, YEAR_END = date(2019, 3, 31), date(2019, 9, 30)
# Every tenth item, by its place in the sheet: what became of it by the year's end.
PATTERN = (
    "completed",
    "completed",
    "in_progress",
    "completed",
    "not_started",
    "completed",
    "completed",
    "cancelled",
    "in_progress",
    "completed",
)
NOTES = {
    "in_progress": "อยู่ระหว่างก่อสร้าง ผู้รับจ้างส่งงานงวดที่ 1 แล้ว",
    "not_started": "รอการจัดสรรงบประมาณจากหน่วยงานอื่น",
    "cancelled": "ยกเลิกตามมติสภา โอนงบประมาณไปแก้ไขปัญหาภัยแล้ง",
}


def _day(fiscal_month: int, *, last: bool) -> date:
    """The first (or last) day of a calendar month of FY 2562 (Oct 2018 – Sep 2019)."""
    year = 2018 if fiscal_month >= 10 else 2019
    day = calendar.monthrange(year, fiscal_month)[1] if last else 1
    return date(year, fiscal_month, day)


def _final(i: int, item: progress.Item, months: tuple[int, ...]) -> dict[str, Any]:
    status = PATTERN[i % len(PATTERN)]
    start, end = _day(months[0], last=False), _day(months[-1], last=True)
    budget = item.planned_baht
    data: dict[str, Any] = {"status": status, "as_of": YEAR_END, "note": NOTES.get(status)}
    if status == "completed":
        paid = (budget * Decimal(95 + i % 5) / 100).quantize(Decimal("1"))
        data |= {
            "committed_baht": paid,
            "disbursed_baht": paid,
            "started_on": start,
            "finished_on": min(end, YEAR_END),
        }
    elif status == "in_progress":
        data |= {
            "committed_baht": budget,
            "disbursed_baht": (budget * Decimal("0.4")).quantize(Decimal("1")),
            "started_on": start,
        }
    elif status == "cancelled":
        data |= {"started_on": None}
    return data


def _half(final: dict[str, Any]) -> dict[str, Any] | None:
    """The 6-month round's entry of an item started by 31 มี.ค. 2562 (None otherwise)."""
    started = final.get("started_on")
    if (
        final["status"] not in ("completed", "in_progress")
        or started is None
        or started > HALF_YEAR
    ):
        return None
    committed = final["committed_baht"]
    return {
        "status": "in_progress",
        "as_of": HALF_YEAR,
        "started_on": started,
        "committed_baht": committed,
        "disbursed_baht": (committed * Decimal("0.3")).quantize(Decimal("1")),
    }


def seed_progress(engine: Engine, ctx: Context, plan_id: int) -> None:
    """Both rounds of the demo plan's progress, each one batch, dated by the items' months."""
    if today_bangkok(ctx.clock) < YEAR_END:
        return
    content = demo_content()
    months = {p.id: p.months for p in content.projects} | {
        e.id: e.months for e in content.equipment
    }
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == STAFF)).one()
        actor = actor_for(session, user)
        sheet = progress.read_sheet(session, plan_id=plan_id, actor=actor)
    finals = [
        (item, _final(i, item, months.get(item.id) or (10,))) for i, item in enumerate(sheet.items)
    ]
    halves = [(item, h) for item, f in finals if (h := _half(f)) is not None]
    for round_, source in ((halves, "demo: รอบ 6 เดือน"), (finals, "demo: รอบ 12 เดือน")):
        lines = [progress.Line(item.id, data) for item, data in round_]
        uow.run(
            engine,
            ctx.clock,
            lambda s, ls=lines, src=source: progress.record_batch(  # type: ignore[misc]
                s, ctx, plan_id=plan_id, actor=actor, lines=ls, source=src
            ),
        )
