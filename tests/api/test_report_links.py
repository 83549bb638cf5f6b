"""A monitoring report's messages and refusals over HTTP (migration 0020), both engines: the
report's history lists its refused actions; the in-app alert of its message names it and
links to /reports/{id}; the admin's outbox names it on the message and each delivery."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from models.clock import FixedClock
from models.enums import Role
from notifications.outbox import DeliveryPolicy, pump
from notifications.senders import build_senders
from tests.api.conftest import Team, on, problem, token_headers
from tests.report_factories import monitoring_member

URL = "/api/v1/reports"
BASE = "https://localplan.example"


def test_a_reports_refusals_alerts_and_outbox_name_it(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team
) -> None:
    monitor = token_headers(engine, clock, monitoring_member(engine, clock, home.office).username)
    staff = home.headers(Role.STAFF)
    on(clock, date(2019, 4, 2))
    made = client.post(URL, json={"fiscal_year_be": 2562, "round": "half"}, headers=staff)
    assert made.status_code == 201, made.text
    report_id = made.json()["id"]
    refused = client.post(f"{URL}/{report_id}/actions/submit", json={"expected_version": 1},
                          headers=home.headers(Role.EXECUTIVE))
    problem(refused, 403, "forbidden")
    history = client.get(f"{URL}/{report_id}/history", headers=staff).json()
    assert [(r["action"], r["actor_role"], r["code"]) for r in history["refused"]] == [
        ("submit", "executive", "forbidden")]
    submitted = client.post(f"{URL}/{report_id}/actions/submit", json={"expected_version": 1},
                            headers=staff)
    assert submitted.status_code == 200, submitted.text
    pump(engine, clock, senders=build_senders(engine, clock),
         policy=DeliveryPolicy(link_base=BASE), owner="t")
    [alert] = client.get("/api/v1/me/alerts", headers=monitor).json()["items"]
    assert (alert["kind"], alert["report_id"], alert["plan_id"]) == (
        "report.submit", report_id, None)
    sent = client.get("/api/v1/admin/outbox?status=sent", headers=home.headers(Role.ADMIN))
    named = [(e["type"], e["report_id"]) for e in sent.json()["items"]
             if e["kind"] == "report.submit"]
    assert sorted(named) == [("delivery", report_id), ("message", report_id)]
