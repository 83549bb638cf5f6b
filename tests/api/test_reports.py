"""Monitoring reports over HTTP (docs/api.md "Monitoring reports"): the whole walk by each
role's token, problem+json refusals with stable codes, the auditor across the scope, the
other office seeing nothing."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from models.clock import FixedClock
from models.enums import Role
from tests.api.conftest import PLACES, REASON, Team, on, problem, token_headers
from tests.report_factories import FINDINGS, monitoring_member

URL = "/api/v1/reports"


def test_a_report_walked_over_http(client: TestClient, engine: Engine, clock: FixedClock,
                                   home: Team, away: Team) -> None:
    monitor = token_headers(engine, clock, monitoring_member(engine, clock, home.office).username)
    staff, executive = home.headers(Role.STAFF), home.headers(Role.EXECUTIVE)
    on(clock, date(2019, 4, 2))
    made = client.post(URL, json={"fiscal_year_be": 2562, "round": "half"}, headers=staff)
    assert made.status_code == 201, made.text
    report = made.json()
    assert report["state"] == "draft" and report["actions"] == ["submit"]
    problem(client.post(URL, json={"fiscal_year_be": 2562, "round": "half"}, headers=staff),
            409, "conflict")
    rid = report["id"]

    def act(action: str, headers: dict[str, str], **body: object) -> dict[str, object]:
        got = client.post(f"{URL}/{rid}/actions/{action}", headers=headers,
                          json={"expected_version": report["version"], **body})
        assert got.status_code == 200, got.text
        return dict(got.json())

    report = act("submit", staff)
    refused = client.post(f"{URL}/{rid}/actions/approve", headers=monitor,
                          json={"expected_version": report["version"]})
    body = problem(refused, 409, "guard_refused")
    assert {r["code"] for r in body["reasons"]} == {"findings_required",
                                                    "recommendations_required"}
    problem(client.post(f"{URL}/{rid}/actions/approve", headers=staff,
                        json={"expected_version": report["version"], **FINDINGS}),
            403, "forbidden")
    report = act("approve", monitor, **FINDINGS)
    problem(client.post(f"{URL}/{rid}/actions/present", headers=executive,
                        json={"expected_version": 1}), 409, "stale_version")
    on(clock, date(2019, 4, 5))
    report = act("present", executive, effective_on="2019-04-03")  # the presentation date
    (clock_,) = report["clocks"]  # type: ignore[misc]
    assert clock_["kind"] == "report_announcement" and clock_["due_on"] == "2019-04-18"
    assert report["presented_on"] == "2019-04-03"
    report = act("announce", executive)
    report = act("post", staff, places=PLACES)
    assert report["state"] == "posted"
    problem(client.post(f"{URL}/{rid}/actions/withdraw", headers=executive,
                        json={"expected_version": report["version"], "comment": REASON}),
            409, "invalid_transition")  # withdrawn only before the announcement

    history = client.get(f"{URL}/{rid}/history", headers=home.headers(Role.AUDITOR)).json()
    assert [r["action"] for r in history["records"]] == [
        "create", "submit", "approve", "present", "announce", "post"]
    listed = client.get(URL, params={"round": "half"}, headers=home.headers(Role.AUDITOR))
    assert [r["id"] for r in listed.json()["items"]] == [rid]
    assert client.get(URL, headers=away.headers(Role.STAFF)).json()["items"] == []
    problem(client.get(f"{URL}/{rid}", headers=away.headers(Role.STAFF)), 404,
            "not_found")


def test_the_report_paper_is_its_figures_as_of_the_round_end(
    client: TestClient, engine: Engine, ctx: object, clock: FixedClock, home: Team,
    away: Team,
) -> None:
    """The figures of the plan the report names, as of 31 March for the 6-month round; its
    PDF carries the committee's findings, its .xlsx the same figures."""
    import io

    from openpyxl import load_workbook

    from tests.report_world import build_world

    plan_id, _ = build_world(engine, ctx, clock, home.office)  # type: ignore[arg-type]
    monitor = token_headers(engine, clock, monitoring_member(engine, clock, home.office).username)
    made = client.post(URL, json={"fiscal_year_be": 2562, "round": "half", "plan_id": plan_id},
                       headers=home.headers(Role.STAFF)).json()
    rid = made["id"]
    got = client.get(f"{URL}/{rid}/figures", headers=home.headers(Role.AUDITOR))
    assert got.status_code == 200, got.text
    body = got.json()
    assert (body["round"], body["as_of"], body["overall"]["items"]) == ("half", "2019-03-31", 61)
    assert body["overall"]["disbursed_baht"] == "2247341.63"
    submitted = client.post(f"{URL}/{rid}/actions/submit", headers=home.headers(Role.STAFF),
                            json={"expected_version": 1}).json()
    client.post(f"{URL}/{rid}/actions/approve", headers=monitor,
                json={"expected_version": submitted["version"], **FINDINGS})
    pdf = client.get(f"{URL}/{rid}/figures", params={"format": "pdf"},
                     headers=home.headers(Role.EXECUTIVE))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"{URL}/{rid}/figures", params={"format": "xlsx"},
                      headers=home.headers(Role.STAFF))
    assert load_workbook(io.BytesIO(xlsx.content))["สรุปผล"]["B9"].value == 61
    problem(client.get(f"{URL}/{rid}/figures", headers=away.headers(Role.STAFF)), 404,
            "not_found")
