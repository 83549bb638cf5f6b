"""Corrections through the API (docs/api.md "Corrections"): the same rules and refusals as the
core, the plan's history showing the value in force beside the record as first written."""

from __future__ import annotations

from datetime import date

import httpx2
from fastapi.testclient import TestClient

from models.clock import FixedClock
from models.enums import Role
from tests.api.conftest import Team, act, create_plan, on, problem, version


def posted(client: TestClient, home: Team, clock: FixedClock) -> int:
    """A plan posted, wrongly, on 9 Nov 2018 (announced 19 Oct); today is 12 Nov 2018."""
    on(clock, date(2018, 9, 21))
    plan_id = create_plan(client, home)
    on(clock, date(2018, 11, 12))
    for role, action, day in (
        (Role.STAFF, "submit", "2018-10-01"),
        (Role.COMMITTEE, "approve", "2018-10-16"),
        (Role.EXECUTIVE, "announce", "2018-10-19"),
    ):
        assert act(client, home, role, plan_id, action, effective_on=day).status_code == 200
    places = {"effective_on": "2018-11-09", "places": ["บอร์ด อบต."]}
    assert act(client, home, Role.STAFF, plan_id, "post", **places).status_code == 200
    return plan_id


def correction(
    client: TestClient, home: Team, plan_id: int, role: Role, **body: object
) -> httpx2.Response:
    payload = {"expected_version": version(client, home, plan_id), "record_seq": 5, **body}
    return client.post(
        f"/api/v1/plans/{plan_id}/corrections", json=payload, headers=home.headers(role)
    )


def test_a_posting_date_corrected_moves_the_deadlines_and_shows_in_the_history(
    client: TestClient, home: Team, clock: FixedClock
) -> None:
    plan_id = posted(client, home, clock)
    body = {"field": "effective_on", "value": "2018-10-26", "reason": "ตามภาพถ่ายการปิดประกาศ"}
    answer = correction(client, home, plan_id, Role.STAFF, **body)
    assert answer.status_code == 201, answer.text
    plan = answer.json()
    assert plan["posted_on"] == "2018-10-26"
    clocks = {d["kind"]: d for d in plan["deadlines"]}
    assert clocks["posting"]["status"] == "met"
    assert clocks["minimum_posting"]["due_on"] == "2018-11-26"
    history = client.get(f"/api/v1/plans/{plan_id}/history", headers=home.headers(Role.AUDITOR))
    records = history.json()["records"]
    assert records[4]["effective_on"] == "2018-11-09"  # as first written
    assert records[4]["in_force"] == {"effective_on": "2018-10-26"}
    listed = client.get(f"/api/v1/plans/{plan_id}/corrections", headers=home.headers(Role.STAFF))
    (one,) = listed.json()
    assert (one["corrects_seq"], one["before"], one["after"]) == (5, "2018-11-09", "2018-10-26")
    assert one["actor_username"] == home.office.staff.username


def test_refusals_are_the_cores(client: TestClient, home: Team, clock: FixedClock) -> None:
    plan_id = posted(client, home, clock)
    reason = {"reason": "แก้ไข"}
    future = correction(
        client, home, plan_id, Role.STAFF, field="effective_on", value="2018-11-20", **reason
    )
    assert problem(future, 409, "guard_refused")["reasons"][0]["code"] == "effective_in_future"
    problem(
        correction(client, home, plan_id, Role.COMMITTEE, field="comment", value="x", **reason),
        403,
        "forbidden",
    )
    problem(
        correction(client, home, plan_id, Role.STAFF, field="colour", value="x", **reason),
        422,
        "validation_error",
    )
    problem(
        correction(client, home, plan_id, Role.STAFF, field="effective_on", value="x", **reason),
        422,
        "validation_error",
    )
    blank = correction(client, home, plan_id, Role.STAFF, field="places", value=[], **reason)
    assert problem(blank, 409, "guard_refused")["reasons"][0]["code"] == "value_required"
