"""A plan in force of 61 projects and 3 equipment rows with progress in three rounds, built so
the monitoring report's figures can be counted by hand (tests/workflow/test_report_figures.py
writes them out; docs/domain.md "The report's figures").

Strategy 1: 30 own projects of 100,000.00 (ordinance): #1–12 completed (100,000.00 committed,
99,500.50 disbursed), #13–20 in progress (50,000.00/0.00 as of 31/12/2561, then
80,000.00/40,000.25 as of 31/03/2562), #21–27 no entry (#21 completed as of 15/05/2562, after
the report's date), #28–30 cancelled.
Strategy 2: 20 projects: #1–10 own, 50,000.00 (approved); #11–15 a central agency's,
200,000.00; #16–18 own with 0.00; #19–20 own, funding "other", 10,000.00. #1–5 completed
(50,000.00/50,000.00), #6–10 in progress (30,000.00/0.00), #11–13 completed
(200,000.00/150,000.10), #14–15 and #19–20 no entry, #16–18 cancelled.
Strategy 3: 11 projects of a regional agency, 33,333.33: #1 completed (33,333.33 both), the
rest no entry. Strategy 4: no project.
Equipment: 44,000.00 completed (43,900.00 both), 44,000.00 in progress (44,000.00/0.00),
12,500.50 no entry.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from models.clock import FixedClock, bangkok_noon
from models.enums import Action
from tests.content_factories import equipment_input, project_input, run
from tests.factories import Office, create, new_annual, perform_action
from workflow import content as cc
from workflow import progress, uow
from workflow.commands import Context
from workflow.content_model import (
    EMPTY,
    Content,
    equipment_from_input,
    new_id,
    project_from_input,
    strategy_from_input,
)

DONE, DOING, CANCELLED = "completed", "in_progress", "cancelled"
PLACES = ["บอร์ดประชาสัมพันธ์ที่ทำการ อบต.", "เว็บไซต์ อบต."]


def _projects(strategy_id: str, count: int, **over: Any) -> list[Any]:
    return [
        project_from_input(project_input(strategy_id, i + 1, **over), project_id=new_id())
        for i in range(count)
    ]


def world_content() -> Content:
    names = ("โครงสร้างพื้นฐาน", "สังคมและคุณภาพชีวิต", "เศรษฐกิจ", "การบริหารจัดการ")
    strategies = [
        strategy_from_input({"number": i + 1, "name": f"การพัฒนาด้าน{n}"}, strategy_id=new_id())
        for i, n in enumerate(names)
    ]
    s1, s2, s3 = (s.id for s in strategies[:3])
    central = {"ownership": "central", "funding": "outside_agency"}
    regional = {"ownership": "regional", "funding": "outside_agency"}
    projects = (
        _projects(s1, 30, budget_baht="100000.00")
        + _projects(s2, 10, budget_baht="50000.00")
        + _projects(s2, 5, budget_baht="200000.00", **central)
        + _projects(s2, 3, budget_baht="0.00")
        + _projects(s2, 2, budget_baht="10000.00", funding="other", funding_note="เงินบริจาค")
        + _projects(s3, 11, budget_baht="33333.33", **regional)
    )
    equipment = [
        equipment_from_input(equipment_input(i + 1, budget_baht=b), equipment_id=new_id())
        for i, b in enumerate(("44000.00", "44000.00", "12500.50"))
    ]
    return Content(
        introduction=EMPTY.introduction,
        strategies=tuple(strategies),
        projects=tuple(projects),
        equipment=tuple(equipment),
    )


def _line(item_id: str, status: str, committed: str, disbursed: str, as_of: str) -> Any:
    data = {"status": status, "committed_baht": committed, "disbursed_baht": disbursed,
            "as_of": as_of}  # fmt: skip
    if status in (DONE, DOING):
        data["started_on"] = "01/11/2561"
    if status == DONE:
        data["finished_on"] = as_of
    return progress.Line(item_id, data)


def rounds(content: Content) -> list[list[Any]]:
    """The three batches, in order (as of 31/12/2561, 31/03/2562, 15/05/2562)."""
    p, e = content.projects, content.equipment
    dec = "31/12/2561"
    first = [_line(x.id, DOING, "50000", "0", dec) for x in p[12:20]]
    mar = "31/03/2562"
    second = (
        [_line(x.id, DONE, "100000", "99500.50", mar) for x in p[0:12]]
        + [_line(x.id, DOING, "80000", "40000.25", mar) for x in p[12:20]]
        + [_line(x.id, CANCELLED, "0", "0", mar) for x in p[27:30]]
        + [_line(x.id, DONE, "50000", "50000", mar) for x in p[30:35]]
        + [_line(x.id, DOING, "30000", "0", mar) for x in p[35:40]]
        + [_line(x.id, DONE, "200000", "150000.10", mar) for x in p[40:43]]
        + [_line(x.id, CANCELLED, "0", "0", mar) for x in p[45:48]]
        + [_line(p[50].id, DONE, "33333.33", "33333.33", mar)]
        + [_line(e[0].id, DONE, "43900", "43900", mar), _line(e[1].id, DOING, "44000", "0", mar)]
    )
    third = [_line(p[20].id, DONE, "100000", "100000", "15/05/2562")]
    return [first, second, third]


def build_world(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office, *, posted: bool = False
) -> tuple[int, Content]:
    """The plan (announced under the fixture's clock, and posted if asked), then the rounds
    recorded on 1/6/2562."""
    plan = create(engine, ctx, new_annual(office, year=2562), office.staff)
    content = world_content()
    run(engine, ctx, lambda s: cc.replace_content(
        s, ctx, plan_id=plan.id, actor=office.staff, expected_revision=0, content=content,
        source="test"))  # fmt: skip
    p = perform_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    p = perform_action(engine, ctx, p, Action.APPROVE, office.committee)
    p = perform_action(engine, ctx, p, Action.ANNOUNCE, office.executive)
    if posted:
        perform_action(engine, ctx, p, Action.POST, office.staff, places=PLACES)
    clock.set(bangkok_noon(date(2019, 6, 1)))
    for lines in rounds(content):
        uow.run(engine, ctx.clock, lambda s, lines=lines: progress.record_batch(
            s, ctx, plan_id=plan.id, actor=office.staff, lines=lines, source="test"))  # fmt: skip
    return plan.id, content
