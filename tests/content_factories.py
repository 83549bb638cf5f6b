"""Content for tests: realistic inputs for strategies, projects and equipment, and the
content commands run in their own transaction as a request would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from workflow import content as cc
from workflow import uow
from workflow.actors import Actor
from workflow.commands import Context
from workflow.content_model import EMPTY, Content, new_id, project_from_input, strategy_from_input

STRATEGIES = (
    "การพัฒนาด้านโครงสร้างพื้นฐาน",
    "การพัฒนาด้านเศรษฐกิจ",
    "การพัฒนาด้านสังคมและคุณภาพชีวิต",
    "การพัฒนาด้านการศึกษา ศาสนาและวัฒนธรรม",
    "การพัฒนาด้านทรัพยากรธรรมชาติและสิ่งแวดล้อม",
    "การพัฒนาด้านการบริหารจัดการองค์กร",
)


def project_input(strategy_id: str, n: int = 1, **over: Any) -> dict[str, Any]:
    """The input of one project of ผด.02 (a road in หมู่ที่ n)."""
    data: dict[str, Any] = {
        "strategy_id": strategy_id,
        "programme": "แผนงานอุตสาหกรรมและการโยธา",
        "number": n,
        "name": f"โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ {n % 12 + 1}",
        "activity": "ก่อสร้างถนน คสล. กว้าง 4 เมตร ยาว 200 เมตร หนา 0.15 เมตร",
        "budget_baht": f"{100000 + n * 1000}.00",
        "location": f"หมู่ที่ {n % 12 + 1} บ้านแหลมรัง",
        "village": n % 12 + 1,
        "unit": "กองช่าง",
        "months": [1, 2, 3],
    }
    data.update(over)
    return data


def equipment_input(n: int = 1, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "programme": "แผนงานบริหารงานทั่วไป",
        "number": n,
        "type": "ครุภัณฑ์คอมพิวเตอร์",
        "target": "จัดซื้อเครื่องคอมพิวเตอร์โน้ตบุ๊ก จำนวน 2 เครื่อง",
        "budget_baht": "44000.00",
        "location": "ที่ทำการ อบต.",
        "unit": "สำนักปลัด",
        "months": [11],
    }
    data.update(over)
    return data


def content_of(projects: int, strategies: int = 6) -> Content:
    """A content of `projects` projects spread over `strategies` strategies."""
    strats = tuple(
        strategy_from_input({"number": i + 1, "name": STRATEGIES[i % 6]}, strategy_id=new_id())
        for i in range(strategies)
    )
    rows = tuple(
        project_from_input(project_input(strats[i % strategies].id, i + 1), project_id=new_id())
        for i in range(projects)
    )
    return Content(introduction=EMPTY.introduction, strategies=strats, projects=rows)


def run(engine: Engine, ctx: Context, command: Callable[[Session], cc.Draft]) -> cc.Draft:
    return uow.run(engine, ctx.clock, command)


def edit(
    engine: Engine,
    ctx: Context,
    name: str,
    *,
    plan_id: int,
    actor: Actor,
    expected_revision: int,
    **kw: Any,
) -> cc.Draft:
    """The content command `name` (e.g. "add_project") in its own transaction."""
    command = getattr(cc, name)
    return run(
        engine,
        ctx,
        lambda s: command(
            s, ctx, plan_id=plan_id, actor=actor, expected_revision=expected_revision, **kw
        ),
    )


def seed(
    engine: Engine, ctx: Context, *, plan_id: int, actor: Actor, projects: int = 5
) -> cc.Draft:
    """Replace the draft's content (at revision 0) with `projects` projects."""
    content = content_of(projects)
    return run(
        engine,
        ctx,
        lambda s: cc.replace_content(
            s, ctx, plan_id=plan_id, actor=actor, expected_revision=0, content=content,
            source="test",
        ),
    )  # fmt: skip
