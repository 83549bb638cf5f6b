"""The content over HTTP on both engines (docs/api.md "Plan content"): edits with their
revision, reads of the draft and the frozen versions, the diff, ผด.01, and problem+json
refusals."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from models.enums import Role
from tests.api.conftest import REASON, Team, act, annual_body, create_plan, problem
from tests.content_factories import equipment_input, project_input

INTRO = {"background": "บทนำ", "objectives": "วัตถุประสงค์", "steps": "ขั้นตอน", "benefits": "ประโยชน์"}


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def base(plan_id: int) -> str:
    return f"/api/v1/plans/{plan_id}"


def with_strategy(client: TestClient, team: Team) -> tuple[int, str]:
    plan_id = create_plan(client, team, annual_body(budget_baht="300000.00"))
    made = ok(
        client.post(
            f"{base(plan_id)}/strategies",
            json={"expected_revision": 0, "number": 1, "name": "ด้านโครงสร้างพื้นฐาน"},
            headers=team.headers(Role.STAFF),
        ),
        201,
    )
    assert made["revision"] == 1 and made["item"]["name"] == "ด้านโครงสร้างพื้นฐาน"
    return plan_id, str(made["item_id"])


def test_edit_read_freeze_and_diff(client: TestClient, home: Team) -> None:
    staff = home.headers(Role.STAFF)
    plan_id, sid = with_strategy(client, home)
    one = ok(
        client.post(
            f"{base(plan_id)}/projects",
            headers=staff,
            json={"expected_revision": 1, **project_input(sid, 1)},
        ),
        201,
    )
    two = ok(
        client.post(
            f"{base(plan_id)}/projects",
            headers=staff,
            json={"expected_revision": 2, **project_input(sid, 2)},
        ),
        201,
    )
    ok(
        client.post(
            f"{base(plan_id)}/equipment",
            headers=staff,
            json={"expected_revision": 3, **equipment_input()},
        ),
        201,
    )
    ok(
        client.put(
            f"{base(plan_id)}/content/introduction",
            headers=staff,
            json={"expected_revision": 4, **INTRO},
        )
    )
    listed = ok(client.get(f"{base(plan_id)}/projects", headers=staff))
    assert listed["revision"] == 5 and [p["id"] for p in listed["items"]] == [
        one["item_id"],
        two["item_id"],
    ]
    summary = ok(client.get(f"{base(plan_id)}/summary", headers=home.headers(Role.AUDITOR)))
    assert summary["total_projects"] == 2 and summary["total_budget_baht"] == "203000.00"
    assert summary["by_strategy"][0]["strategy"] == "ด้านโครงสร้างพื้นฐาน"
    assert summary["plan_budget_baht"] == "300000.00"
    assert summary["budget_difference_baht"] == "-97000.00"
    assert ok(act(client, home, Role.STAFF, plan_id, "submit"))["state"] == "committee_review"
    frozen = problem(
        client.delete(
            f"{base(plan_id)}/projects/{one['item_id']}",
            params={"expected_revision": 5},
            headers=staff,
        ),
        409,
        "conflict",
    )
    assert frozen["reasons"][0]["code"] == "content_frozen"
    ok(act(client, home, Role.COMMITTEE, plan_id, "return_for_revision", comment=REASON))
    ok(
        client.patch(
            f"{base(plan_id)}/projects/{two['item_id']}",
            headers=staff,
            json={"expected_revision": 5, "budget_baht": "5000.00"},
        )
    )
    ok(
        client.delete(
            f"{base(plan_id)}/projects/{one['item_id']}",
            params={"expected_revision": 6},
            headers=staff,
        )
    )
    draft_diff = ok(
        client.get(
            f"{base(plan_id)}/content/diff",
            params={"from": 1},
            headers=home.headers(Role.COMMITTEE),
        )
    )
    assert [p["id"] for p in draft_diff["projects"]["removed"]] == [one["item_id"]]
    assert draft_diff["projects"]["changed"][0]["fields"] == [
        {"field": "budget_baht", "before": "102000.00", "after": "5000.00"}
    ]
    assert draft_diff["projects"]["budget_difference_baht"] == "-198000.00"
    ok(act(client, home, Role.STAFF, plan_id, "submit"))
    v1 = ok(client.get(f"{base(plan_id)}/content", params={"version": 1}, headers=staff))
    v2 = ok(client.get(f"{base(plan_id)}/content", params={"version": 2}, headers=staff))
    assert (v1["version"], len(v1["content"]["projects"])) == (1, 2)
    assert (v2["version"], len(v2["content"]["projects"])) == (2, 1)
    assert ok(
        client.get(f"{base(plan_id)}/content/diff", params={"from": 1, "to": 2}, headers=staff)
    ) == {**draft_diff, "to": 2}
    draft = ok(client.get(f"{base(plan_id)}/content", headers=staff))
    assert (draft["revision"], draft["sha256"]) == (7, v2["sha256"])
    problem(
        client.get(f"{base(plan_id)}/content", params={"version": 3}, headers=staff),
        404,
        "not_found",
    )


def test_refusals_are_problems(client: TestClient, home: Team, away: Team) -> None:
    staff = home.headers(Role.STAFF)
    plan_id, sid = with_strategy(client, home)
    url = f"{base(plan_id)}/projects"
    stale = problem(
        client.post(url, headers=staff, json={"expected_revision": 0, **project_input(sid)}),
        409,
        "stale_version",
    )
    assert stale["reasons"][0]["code"] == "stale_content_revision"
    assert "revision 1" in stale["reasons"][0]["en"]
    missing = problem(
        client.post(url, headers=staff, json={"expected_revision": 1, **project_input("nosuch")}),
        422,
        "validation_error",
    )
    assert missing["reasons"][0]["code"] == "no_such_strategy"
    bad_month = problem(
        client.post(
            url, headers=staff, json={"expected_revision": 1, **project_input(sid, months=[13])}
        ),
        422,
        "validation_error",
    )
    assert bad_month["reasons"]
    problem(
        client.post(
            url,
            headers=home.headers(Role.COMMITTEE),
            json={"expected_revision": 1, **project_input(sid)},
        ),
        403,
        "forbidden",
    )
    problem(
        client.post(
            url,
            headers=away.headers(Role.STAFF),
            json={"expected_revision": 1, **project_input(sid)},
        ),
        404,
        "not_found",
    )
    problem(
        client.get(f"{base(plan_id)}/content", headers=away.headers(Role.STAFF)), 404, "not_found"
    )
    problem(
        client.patch(
            f"{url}/{'0' * 32}", headers=staff, json={"expected_revision": 1, "name": "ใหม่"}
        ),
        404,
        "not_found",
    )
    assert ok(client.get(f"{base(plan_id)}/content", headers=staff))["revision"] == 1
