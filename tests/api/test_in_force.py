"""`GET /api/v1/plans/in-force` (public open data, JSON and CSV) and `POST /api/v1/plans/{id}/
content/copy-from-previous`, on the demo's announced plan and its real frozen content."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.demo import ORG_CODE, DemoResult, seed
from models.clock import FixedClock, bangkok_noon
from models.enums import Role
from models.organization import User
from tests.api.conftest import problem
from workflow import uow
from workflow.accounts import actor_for
from workflow.commands import Context
from workflow.content import add_project
from workflow.content_model import content_hash, project_data
from workflow.content_seed import demo_content

URL = "/api/v1/plans/in-force"


def _demo(engine: Engine, ctx: Context, clock: FixedClock) -> DemoResult:
    clock.set(bangkok_noon(date(2018, 11, 1)))
    return seed(engine, ctx)


def _headers(result: DemoResult, role: Role) -> dict[str, str]:
    token = next(t for _, r, t in result.tokens if r is role)
    return {"Authorization": f"Bearer {token}"}


def _in_force(client: TestClient, year: int = 2562, **extra: str) -> Any:
    return client.get(URL, params={"organization": ORG_CODE, "fiscal_year": year, **extra})


def test_the_demo_plan_in_force_as_json_without_sign_in(
    client: TestClient, engine: Engine, ctx: Context, clock: FixedClock
) -> None:
    result = _demo(engine, ctx, clock)
    response = _in_force(client)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [p["plan_id"] for p in body["plans"]] == [result.plan_id]
    assert body["plans"][0]["content_sha256"] == content_hash(demo_content())
    assert len(body["projects"]) == 66 and len(body["equipment"]) == 8
    assert body["summary"]["total_projects"] == 66
    total = sum(int(p["budget_baht"].replace(".", "")) for p in body["projects"])
    assert f"{total / 100:.2f}" == body["summary"]["total_budget_baht"]
    assert {p["source_plan_id"] for p in body["projects"]} == {result.plan_id}
    assert body["projects"][0]["strategy"] == "ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน"


def test_the_plan_in_force_as_csv_with_a_bom_and_thai_headers(
    client: TestClient, engine: Engine, ctx: Context, clock: FixedClock
) -> None:
    _demo(engine, ctx, clock)
    response = _in_force(client, format="csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:5] == ["รหัสโครงการ", "ยุทธศาสตร์", "แผนงาน", "ที่", "โครงการ"]
    assert len(rows) == 1 + 66
    first = demo_content().projects[0]
    assert rows[1][0] == first.id and rows[1][6] == f"{first.budget_baht:.2f}"
    assert rows[1][13].startswith("แผนการดำเนินงาน ครั้งที่ 1")


def test_no_plan_in_force_is_a_404_and_a_bad_year_a_422(
    client: TestClient, engine: Engine, ctx: Context, clock: FixedClock
) -> None:
    _demo(engine, ctx, clock)
    missing = problem(_in_force(client, 2563), 404, "not_found")
    assert missing["reasons"][0]["code"] == "no_plan_in_force"
    assert _in_force(client, 1999).status_code == 422
    # the route is not read as /plans/{id}
    assert client.get(URL).status_code == 422
    assert "plan_id" not in client.get(URL).text


def test_an_announced_supplementary_adds_its_projects(
    client: TestClient, engine: Engine, ctx: Context, clock: FixedClock
) -> None:
    demo = _demo(engine, ctx, clock)
    staff = _headers(demo, Role.STAFF)
    body = {
        "kind": "supplementary", "trigger_kind": "supplementary_budget",
        "trigger_on": "2018-11-01", "fiscal_year_be": 2562, "budget_baht": "500000.00",
        "title": "แผนการดำเนินงานเพิ่มเติม ครั้งที่ 1 ประจำปีงบประมาณ พ.ศ. 2562",
    }  # fmt: skip
    created = client.post("/api/v1/plans", json=body, headers=staff)
    assert created.status_code == 201, created.text
    plan_id = created.json()["id"]
    base = demo_content()
    added = replace(base.projects[0], id="f" * 32, name="โครงการก่อสร้างถนนเพิ่มเติม หมู่ที่ 9")

    def add(session: Session) -> None:
        user = session.exec(select(User).where(User.username == "laemrang.staff")).one()
        actor = actor_for(session, user)
        from workflow.content import add_strategy

        add_strategy(
            session, ctx, plan_id=plan_id, actor=actor, expected_revision=0,
            data={"number": 1, "name": base.strategies[0].name}, strategy_id="s" * 32,
        )  # fmt: skip
        data = {**project_data(added), "strategy_id": "s" * 32}
        add_project(
            session, ctx, plan_id=plan_id, actor=actor, expected_revision=1, data=data,
            project_id=added.id,
        )  # fmt: skip

    uow.run(engine, ctx.clock, add)
    steps = (("submit", Role.STAFF), ("approve", Role.COMMITTEE), ("announce", Role.EXECUTIVE))
    for day, (action, role) in enumerate(steps, start=2):
        clock.set(bangkok_noon(date(2018, 11, day)))
        version = client.get(f"/api/v1/plans/{plan_id}", headers=staff).json()["version"]
        done = client.post(
            f"/api/v1/plans/{plan_id}/actions/{action}",
            json={"expected_version": version},
            headers=_headers(demo, role),
        )
        assert done.status_code == 200, done.text
    found = _in_force(client).json()
    assert [p["plan_id"] for p in found["plans"]] == [demo.plan_id, plan_id]
    assert len(found["projects"]) == 67
    mine = next(p for p in found["projects"] if p["id"] == added.id)
    assert mine["source_plan_id"] == plan_id
    assert mine["strategy_id"] == base.strategies[0].id  # matched by name
    assert found["summary"]["by_strategy"][0]["projects"] == 19


def test_a_new_draft_starts_from_last_years_plan_in_force(
    client: TestClient, engine: Engine, ctx: Context, clock: FixedClock
) -> None:
    _demo(engine, ctx, clock)
    clock.set(bangkok_noon(date(2019, 9, 21)))
    demo = seed(engine, ctx)  # a second run: the same plan, fresh tokens
    staff = _headers(demo, Role.STAFF)
    body = {
        "kind": "annual", "trigger_kind": "annual_budget", "trigger_on": "2019-09-20",
        "fiscal_year_be": 2563, "title": "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2563",
    }  # fmt: skip
    created = client.post("/api/v1/plans", json=body, headers=staff)
    assert created.status_code == 201, created.text
    plan_id = created.json()["id"]
    url = f"/api/v1/plans/{plan_id}/content/copy-from-previous"
    copied = client.post(url, json={"expected_revision": 0}, headers=staff)
    assert copied.status_code == 200, copied.text
    assert copied.json()["projects"] == 66 and copied.json()["revision"] == 1
    assert copied.json()["content_sha256"] == content_hash(demo_content())  # ids kept
    for revision in (1, 0):
        again = client.post(url, json={"expected_revision": revision}, headers=staff)
        assert again.status_code == 409, again.text
        assert again.json()["reasons"][0]["code"] == "content_not_empty"
    committee = _headers(demo, Role.COMMITTEE)
    assert client.post(url, json={"expected_revision": 1}, headers=committee).status_code in (
        403,
        404,
    )
