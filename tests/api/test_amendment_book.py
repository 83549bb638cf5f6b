"""`GET /api/v1/plans/{id}/document.pdf` of an amendment to the demo's announced plan: the
book prints the change with the budget before (the plan in force, workflow/in_force.py) and
after and its reason, read back from the real PDF (docs/domain.md "Documents")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from documents.pdf_text import extract
from models.clock import FixedClock, bangkok_noon
from models.enums import Role
from models.organization import User
from tests.api.test_in_force import _demo, _headers
from workflow import uow
from workflow.accounts import actor_for
from workflow.commands import Context
from workflow.content import add_project, add_strategy, set_changes
from workflow.content_model import project_data
from workflow.content_seed import demo_content

WHY = "ราคาวัสดุก่อสร้างสูงขึ้น จึงต้องแก้ไขงบประมาณให้เพียงพอ"


def test_an_amendments_book_prints_the_change_before_and_after_with_its_reason(
    client: TestClient, engine: Engine, ctx: Context, clock: FixedClock
) -> None:
    demo = _demo(engine, ctx, clock)
    body = {
        "kind": "amendment", "trigger_kind": "amendment_decision", "trigger_on": "2018-11-01",
        "title": "แผนการดำเนินงาน แก้ไข ครั้งที่ 1/2562", "amends_plan_id": demo.plan_id,
    }  # fmt: skip
    created = client.post("/api/v1/plans", json=body, headers=_headers(demo, Role.EXECUTIVE))
    assert created.status_code == 201, created.text
    plan_id = created.json()["id"]
    before = demo_content().projects[0]
    after = replace(before, budget_baht=before.budget_baht + Decimal("123456"))

    def edit(session: Session) -> None:
        user = session.exec(select(User).where(User.username == "laemrang.staff")).one()
        actor = actor_for(session, user)
        add_strategy(
            session, ctx, plan_id=plan_id, actor=actor, expected_revision=0,
            data={"number": 1, "name": "โครงสร้างพื้นฐาน"}, strategy_id=before.strategy_id,
        )  # fmt: skip
        add_project(
            session, ctx, plan_id=plan_id, actor=actor, expected_revision=1,
            data=project_data(after), project_id=after.id,
        )  # fmt: skip
        set_changes(
            session, ctx, plan_id=plan_id, actor=actor, expected_revision=2,
            changes=[{"kind": "change", "project_id": after.id, "reason": WHY}],
        )  # fmt: skip

    uow.run(engine, ctx.clock, edit)
    clock.set(bangkok_noon(date(2018, 11, 2)))
    staff = _headers(demo, Role.STAFF)
    version = client.get(f"/api/v1/plans/{plan_id}", headers=staff).json()["version"]
    done = client.post(f"/api/v1/plans/{plan_id}/actions/submit",
                       json={"expected_version": version}, headers=staff)  # fmt: skip
    assert done.status_code == 200, done.text
    book = client.get(f"/api/v1/plans/{plan_id}/document.pdf", headers=staff)
    assert book.status_code == 200, book.text
    text = "".join("".join(extract(book.content)).split())
    assert "รายการที่แก้ไขจากแผนการดำเนินงานที่ใช้บังคับ" in text and "เปลี่ยนแปลง" in text
    assert "".join(WHY.split()) in text
    assert f"{before.budget_baht:,.0f}" in text and f"{after.budget_baht:,.0f}" in text
