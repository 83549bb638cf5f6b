"""Whole lifecycles over HTTP, each step by its role, on docs/domain.md "Worked examples" dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.settings import Settings
from models.clock import FixedClock
from models.enums import Role
from tests.api.conftest import PLACES, REASON, Team, act, annual_body, on, problem
from workflow.calendar import WorkingCalendar

STAFF, COMMITTEE, EXECUTIVE, AUDITOR = Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


def allowed(client: TestClient, team: Team, role: Role, plan_id: int) -> set[str]:
    body = ok(client.get(f"/api/v1/plans/{plan_id}", headers=team.headers(role)))
    return {a["action"] for a in body["allowed_actions"]}


def deadline(plan: dict[str, Any], kind: str) -> dict[str, Any]:
    found: dict[str, Any] = next(d for d in plan["deadlines"] if d["kind"] == kind)
    return found


BODIES = {
    "annual": annual_body(),
    "supplementary": {
        "kind": "supplementary",
        "trigger_kind": "accumulated_funds",
        "trigger_on": "2018-09-20",
        "fiscal_year_be": 2562,
        "title": "แผนการดำเนินงานเพิ่มเติม ครั้งที่ 1/2562",
        "budget_baht": "1250000.50",
    },
}


@pytest.mark.parametrize("kind", ["annual", "supplementary"])
def test_regular_plan_lifecycle(
    client: TestClient, home: Team, clock: FixedClock, kind: str
) -> None:
    # Budget announced Thu 20 Sep 2018: preparation due Sat 20 Oct (strict), act by Fri 19 Oct.
    created = ok(
        client.post(
            "/api/v1/plans",
            json={**BODIES[kind], "effective_on": on(clock, date(2018, 9, 21))},
            headers=home.headers(STAFF),
        )
    )
    plan_id = created["id"]
    assert created["state"] == "draft" and created["version"] == 1
    prep = deadline(created, "preparation")
    assert (prep["due_on"], prep["last_working_on"]) == ("2018-10-20", "2018-10-19")
    assert prep["due_on_th"] == "20 ต.ค. 2561" and prep["last_working_on_th"] == "19 ต.ค. 2561"
    assert {a["action"] for a in created["allowed_actions"]} == {"submit"}
    assert allowed(client, home, EXECUTIVE, plan_id) == {"withdraw"}

    ok(act(client, home, STAFF, plan_id, "submit", effective_on=on(clock, date(2018, 10, 1))))
    refused = act(client, home, COMMITTEE, plan_id, "return_for_revision")
    assert problem(refused, 409, "guard_refused")["reasons"][0]["code"] == "reason_required"
    back = act(client, home, COMMITTEE, plan_id, "return_for_revision", comment=REASON)
    assert ok(back)["state"] == "draft"
    ok(act(client, home, STAFF, plan_id, "submit", effective_on=on(clock, date(2018, 10, 3))))
    ok(act(client, home, COMMITTEE, plan_id, "approve", effective_on=on(clock, date(2018, 10, 8))))
    sent = act(client, home, EXECUTIVE, plan_id, "send_back", comment=REASON)
    assert ok(sent)["state"] == "committee_review"
    ok(act(client, home, COMMITTEE, plan_id, "approve", effective_on=on(clock, date(2018, 10, 16))))

    # The executive extends preparation (clause 27) past 20 Oct, then announces on 25 Oct.
    plan = ok(client.get(f"/api/v1/plans/{plan_id}", headers=home.headers(EXECUTIVE)))
    assert deadline(plan, "preparation")["can_extend"] is True
    extension = client.post(
        f"/api/v1/plans/{plan_id}/deadlines/preparation/extensions",
        json={
            "expected_version": plan["version"],
            "new_due_on": "2018-11-05",
            "reason": "รอผลการพิจารณาของคณะกรรมการ",
            "effective_on": on(clock, date(2018, 10, 18)),
        },
        headers=home.headers(EXECUTIVE),
    )
    extended = ok(extension)
    assert extension.status_code == 201
    assert extended["due_on"] == "2018-11-05" and extended["extended"] is True
    assert extended["extensions"][0]["previous_due_on"] == "2018-10-20"

    announced = ok(
        act(
            client, home, EXECUTIVE, plan_id, "announce", effective_on=on(clock, date(2018, 10, 25))
        )
    )
    assert announced["announced_on_th"] == "25 ต.ค. 2561"
    assert deadline(announced, "preparation")["status"] == "met"  # met thanks to the extension
    posting = deadline(announced, "posting")
    assert (posting["due_on"], posting["due_on_th"]) == ("2018-11-09", "9 พ.ย. 2561")

    # Posting on Mon 12 Nov is late: recorded and flagged, never blocked.
    posted = ok(
        act(
            client,
            home,
            STAFF,
            plan_id,
            "post",
            effective_on=on(clock, date(2018, 11, 12)),
            places=PLACES,
        )
    )
    assert posted["state"] == "posted" and posted["posting_places"] == PLACES
    assert deadline(posted, "posting")["status"] == "late"
    removal = deadline(posted, "minimum_posting")
    assert (removal["due_on"], removal["due_on_th"]) == ("2018-12-13", "13 ธ.ค. 2561")

    # Completing before the earliest removal date is refused, and the refusal is on record.
    early = act(
        client, home, STAFF, plan_id, "complete_posting", effective_on=on(clock, date(2018, 12, 12))
    )
    reasons = problem(early, 409, "guard_refused")["reasons"]
    assert reasons[0]["code"] == "minimum_posting_not_satisfied"
    assert "13 ธ.ค. 2561" in reasons[0]["th"]
    done = ok(
        act(
            client,
            home,
            STAFF,
            plan_id,
            "complete_posting",
            effective_on=on(clock, date(2018, 12, 13)),
        )
    )
    assert done["state"] == "posting_complete" and done["allowed_actions"] == []

    history = ok(client.get(f"/api/v1/plans/{plan_id}/history", headers=home.headers(AUDITOR)))
    assert [r["action"] for r in history["records"]] == [
        "create",
        "submit",
        "return_for_revision",
        "submit",
        "approve",
        "send_back",
        "approve",
        "extend_deadline",
        "announce",
        "post",
        "complete_posting",
    ]
    post_record = history["records"][9]
    assert post_record["details"]["late"] == ["posting"]
    assert post_record["effective_on_th"] == "12 พ.ย. 2561"
    assert [(r["action"], r["code"]) for r in history["refused"]] == [
        ("return_for_revision", "guard_refused"),
        ("complete_posting", "guard_refused"),
    ]
    verify = ok(client.get("/api/v1/audit/verify", headers=home.headers(AUDITOR)))
    assert verify["intact"] is True and verify["records_checked"] == 11

    # State at an instant: right after the late posting, before completion.
    at = "2018-12-01T00:00:00+07:00"
    state = ok(
        client.get(
            f"/api/v1/plans/{plan_id}/state", params={"at": at}, headers=home.headers(AUDITOR)
        )
    )
    assert state["state"] == "posted" and state["version"] == 10
    before = ok(
        client.get(
            f"/api/v1/plans/{plan_id}/state",
            params={"at": "2018-09-01T00:00:00Z"},
            headers=home.headers(STAFF),
        )
    )
    assert before["state"] is None and before["version"] == 0


def test_amendment_lifecycle_skips_committee_and_supersedes(
    client: TestClient, home: Team, clock: FixedClock
) -> None:
    original = ok(
        client.post(
            "/api/v1/plans",
            json={**annual_body(), "effective_on": on(clock, date(2018, 9, 21))},
            headers=home.headers(STAFF),
        )
    )["id"]
    ok(act(client, home, STAFF, original, "submit", effective_on=on(clock, date(2018, 10, 1))))
    ok(act(client, home, COMMITTEE, original, "approve", effective_on=on(clock, date(2018, 10, 2))))
    ok(
        act(
            client, home, EXECUTIVE, original, "announce", effective_on=on(clock, date(2018, 10, 8))
        )
    )

    # Amending is the executive's power: staff may not start one.
    body = {
        "kind": "amendment",
        "trigger_kind": "amendment_decision",
        "trigger_on": on(clock, date(2019, 3, 1)),
        "title": "แผนการดำเนินงาน แก้ไข ครั้งที่ 1/2562",
        "amends_plan_id": original,
    }
    refused = client.post("/api/v1/plans", json=body, headers=home.headers(STAFF))
    problem(refused, 403, "forbidden")
    amendment = ok(client.post("/api/v1/plans", json=body, headers=home.headers(EXECUTIVE)))
    plan_id = amendment["id"]
    assert amendment["deadlines"] == [] and amendment["fiscal_year_be"] == 2562

    submitted = ok(
        act(client, home, STAFF, plan_id, "submit", effective_on=on(clock, date(2019, 3, 4)))
    )
    assert submitted["state"] == "awaiting_announcement"  # no committee review by default
    problem(act(client, home, COMMITTEE, plan_id, "approve"), 409, "invalid_transition")
    sent = ok(act(client, home, EXECUTIVE, plan_id, "send_back", comment=REASON))
    assert sent["state"] == "draft"
    ok(act(client, home, STAFF, plan_id, "submit", effective_on=on(clock, date(2019, 3, 5))))
    ok(act(client, home, EXECUTIVE, plan_id, "announce", effective_on=on(clock, date(2019, 3, 6))))
    superseded = ok(client.get(f"/api/v1/plans/{original}", headers=home.headers(STAFF)))
    assert superseded["superseded_by_plan_id"] == plan_id

    posted = ok(
        act(
            client,
            home,
            STAFF,
            plan_id,
            "post",
            effective_on=on(clock, date(2019, 3, 21)),
            places=PLACES,
        )
    )
    assert deadline(posted, "posting")["status"] == "met"  # D+15 = 21 Mar: on the last day
    early = act(
        client, home, STAFF, plan_id, "complete_posting", effective_on=on(clock, date(2019, 4, 20))
    )
    problem(early, 409, "guard_refused")
    done = act(
        client, home, STAFF, plan_id, "complete_posting", effective_on=on(clock, date(2019, 4, 21))
    )
    assert ok(done)["state"] == "posting_complete"


def test_withdraw_cancels_open_deadlines_and_ends_the_plan(
    client: TestClient, home: Team, clock: FixedClock
) -> None:
    plan_id = ok(client.post("/api/v1/plans", json=annual_body(), headers=home.headers(STAFF)))[
        "id"
    ]
    problem(act(client, home, EXECUTIVE, plan_id, "withdraw"), 409, "guard_refused")
    gone = ok(act(client, home, EXECUTIVE, plan_id, "withdraw", comment="งบประมาณถูกยกเลิก"))
    assert gone["state"] == "withdrawn"
    assert deadline(gone, "preparation")["status"] == "cancelled"
    problem(act(client, home, STAFF, plan_id, "submit"), 409, "invalid_transition")


def test_stale_version_is_409(client: TestClient, home: Team) -> None:
    plan_id = ok(client.post("/api/v1/plans", json=annual_body(), headers=home.headers(STAFF)))[
        "id"
    ]
    response = client.post(
        f"/api/v1/plans/{plan_id}/actions/submit",
        json={"expected_version": 0},
        headers=home.headers(STAFF),
    )
    assert "version 1" in problem(response, 409, "stale_version")["detail"]


def test_future_effective_date_is_refused(
    client: TestClient, home: Team, clock: FixedClock
) -> None:
    on(clock, date(2018, 9, 21))
    plan_id = ok(client.post("/api/v1/plans", json=annual_body(), headers=home.headers(STAFF)))[
        "id"
    ]
    response = act(client, home, STAFF, plan_id, "submit", effective_on="2018-09-22")
    assert problem(response, 409, "guard_refused")["reasons"][0]["code"] == "effective_in_future"


def test_amendment_with_committee_review_setting(
    settings: Settings, engine: Engine, clock: FixedClock, calendar: WorkingCalendar, home: Team
) -> None:
    """LOCALPLAN_AMENDMENT_REQUIRES_COMMITTEE=true: the amendment goes through the committee,
    so it can be returned for revision and sent back; it has no preparation clock to extend."""
    strict = settings.model_copy(update={"amendment_requires_committee": True})
    app = create_app(strict, engine=engine, clock=clock, calendar=calendar)
    with TestClient(app) as client:
        original = ok(
            client.post(
                "/api/v1/plans",
                json={**annual_body(), "effective_on": on(clock, date(2018, 9, 21))},
                headers=home.headers(STAFF),
            )
        )["id"]
        for role, action, day in (
            (STAFF, "submit", date(2018, 10, 1)),
            (COMMITTEE, "approve", date(2018, 10, 2)),
            (EXECUTIVE, "announce", date(2018, 10, 8)),
        ):
            ok(act(client, home, role, original, action, effective_on=on(clock, day)))
        body = {
            "kind": "amendment",
            "trigger_kind": "amendment_decision",
            "trigger_on": on(clock, date(2019, 3, 1)),
            "title": "แผนการดำเนินงาน แก้ไข ครั้งที่ 1/2562",
            "amends_plan_id": original,
        }
        plan_id = ok(client.post("/api/v1/plans", json=body, headers=home.headers(EXECUTIVE)))["id"]
        submitted = ok(act(client, home, STAFF, plan_id, "submit"))
        assert submitted["state"] == "committee_review"
        returned = ok(act(client, home, COMMITTEE, plan_id, "return_for_revision", comment=REASON))
        assert returned["state"] == "draft"
        ok(act(client, home, STAFF, plan_id, "submit", effective_on=on(clock, date(2019, 3, 4))))
        ok(act(client, home, COMMITTEE, plan_id, "approve"))
        sent = ok(act(client, home, EXECUTIVE, plan_id, "send_back", comment=REASON))
        assert sent["state"] == "committee_review"
        ok(act(client, home, COMMITTEE, plan_id, "approve"))
        extension = client.post(
            f"/api/v1/plans/{plan_id}/deadlines/preparation/extensions",
            json={"expected_version": 7, "new_due_on": "2019-04-30", "reason": "ขอขยาย"},
            headers=home.headers(EXECUTIVE),
        )
        problem(extension, 409, "invalid_transition")  # no preparation clock on an amendment
        ok(
            act(
                client,
                home,
                EXECUTIVE,
                plan_id,
                "announce",
                effective_on=on(clock, date(2019, 3, 5)),
            )
        )
        late = ok(
            act(
                client,
                home,
                STAFF,
                plan_id,
                "post",
                effective_on=on(clock, date(2019, 3, 25)),
                places=PLACES,
            )
        )
        assert deadline(late, "posting")["status"] == "late"  # due 20 Mar
        early = act(
            client,
            home,
            STAFF,
            plan_id,
            "complete_posting",
            effective_on=on(clock, date(2019, 4, 24)),
        )
        problem(early, 409, "guard_refused")
        done = act(
            client,
            home,
            STAFF,
            plan_id,
            "complete_posting",
            effective_on=on(clock, date(2019, 4, 25)),
        )
        assert ok(done)["state"] == "posting_complete"
        history = ok(client.get(f"/api/v1/plans/{plan_id}/history", headers=home.headers(AUDITOR)))
        assert [r["action"] for r in history["records"]] == [
            "create",
            "submit",
            "return_for_revision",
            "submit",
            "approve",
            "send_back",
            "approve",
            "announce",
            "post",
            "complete_posting",
        ]


def test_every_write_answers_with_what_a_read_then_returns(
    client: TestClient, home: Team, clock: FixedClock
) -> None:
    """The write routes build their answer from what the command returns (no second read):
    byte for byte what GET /plans/{id} returns to the same caller right after."""

    def same_as_read(response: Any, role: Role) -> dict[str, Any]:
        body = ok(response)
        read = client.get(f"/api/v1/plans/{plan_id}", headers=home.headers(role))
        assert response.content == read.content
        return body

    created = client.post(
        "/api/v1/plans",
        json={**BODIES["supplementary"], "effective_on": on(clock, date(2018, 9, 21))},
        headers=home.headers(STAFF),
    )
    plan_id = ok(created)["id"]
    same_as_read(created, STAFF)
    steps = [
        (STAFF, "submit", date(2018, 10, 1), {}),
        (COMMITTEE, "approve", date(2018, 10, 16), {}),
        (EXECUTIVE, "announce", date(2018, 10, 19), {}),
        (STAFF, "post", date(2018, 10, 26), {"places": PLACES}),
        (STAFF, "complete_posting", date(2018, 11, 26), {}),
    ]
    for role, action, day, extra in steps:
        if action == "announce":  # an extended clock shows its extensions too
            read = ok(client.get(f"/api/v1/plans/{plan_id}", headers=home.headers(EXECUTIVE)))
            extension = client.post(
                f"/api/v1/plans/{plan_id}/deadlines/preparation/extensions",
                json={
                    "expected_version": read["version"],
                    "new_due_on": "2018-11-05",
                    "reason": REASON,
                    "effective_on": on(clock, date(2018, 10, 18)),
                },
                headers=home.headers(EXECUTIVE),
            )
            shown = ok(client.get(f"/api/v1/plans/{plan_id}", headers=home.headers(EXECUTIVE)))
            assert ok(extension) == deadline(shown, "preparation")
        response = act(client, home, role, plan_id, action, effective_on=on(clock, day), **extra)
        assert same_as_read(response, role)["state"] != "draft"
