"""Compliance across fiscal years (docs/domain.md "Compliance across years") on the world of
test_pages.py, both engines: the web page's per-year rows and totals, the reversed range
explained beside its field, the two CSVs (Thai headers with codes, titles, the moment in
Thai time and UTC), and the same figures from the JSON API."""
# ruff: noqa: F811 (the fixtures of test_pages.py, imported, are this module's arguments)

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from models.clock import FixedClock
from tests.factories import Office
from tests.web.test_pages import (  # noqa: F401 (fixtures)
    PASSWORD,
    client,
    clock,
    db_url,
    office,
    plans,
    sign_in,
    world,
)
from workflow.compliance_years import compliance_years
from workflow.queries import compliance


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_years_page_the_csvs_and_the_api_agree(
    client: TestClient, office: Office, plans: tuple[int, int], engine: object, clock: FixedClock
) -> None:
    sign_in(client, office.auditor.username)
    page = client.get("/audit/compliance/years?fiscal_year_from=2560&fiscal_year_to=2562")
    assert page.status_code == 200
    assert 'data-testid="year-2560"' in page.text and 'data-testid="totals"' in page.text
    summary = rows_of(client.get(
        "/audit/compliance/years.csv?fiscal_year_from=2560&fiscal_year_to=2562").text)
    assert [r["ปีงบประมาณ พ.ศ. (fiscal_year_be)"] for r in summary] == [
        "2560", "2561", "2562", "รวม (total)"]
    total = summary[-1]
    assert total["จำนวนแผน (plans)"] == "2"
    stamp = total["จัดทำเมื่อ (เวลาประเทศไทย)"]
    assert re.fullmatch(r"\d{1,2} \S+ 25\d\d เวลา \d\d:\d\d น\.", stamp), stamp
    assert total["จัดทำเมื่อ ISO UTC (generated_at)"].endswith("Z")
    per_plan = rows_of(client.get(
        "/audit/compliance/plans.csv?fiscal_year_from=2560&fiscal_year_to=2562").text)
    assert {r["เลขที่แผน (plan_id)"] for r in per_plan} == {str(p) for p in plans}
    assert all(r["ชื่อแผน (plan_title)"] for r in per_plan)
    assert {r["รหัสผล (status)"] for r in per_plan} <= {"on_time", "late", "overdue", "open"}
    assert any(r["ผล"] == "ทันกำหนด" for r in per_plan)
    # the JSON API: the same counts
    token = client.post("/api/v1/auth/token", data={
        "username": office.auditor.username, "password": PASSWORD}).json()["access_token"]
    api = client.get("/api/v1/audit/compliance/years?fiscal_year_from=2560&fiscal_year_to=2562",
                     headers={"Authorization": f"Bearer {token}"}).json()
    assert api["totals"]["plans"] == 2 and [y["fiscal_year_be"] for y in api["years"]] == [
        2560, 2561, 2562]
    for kind, counted in api["totals"]["clocks"].items():
        for status, n in counted.items():
            column = next(c for c in total if c.endswith(f"({kind}.{status})"))
            assert total[column] == str(n), (kind, status)
    backwards = client.get(
        "/api/v1/audit/compliance/years?fiscal_year_from=2562&fiscal_year_to=2560",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert backwards.status_code == 422 and "range_reversed" in backwards.text


def test_a_reversed_range_is_explained_beside_the_field_and_the_csv_refused(
    client: TestClient, office: Office
) -> None:
    sign_in(client, office.auditor.username)
    page = client.get("/audit/compliance/years?fiscal_year_from=2562&fiscal_year_to=2560")
    assert page.status_code == 422
    error = re.search(r'id="years-fiscal_year_to-error">(.*?)</ul>', page.text, re.S)
    assert error is not None and "อยู่ก่อนปีเริ่มต้น" in error.group(1)
    assert 'value="2562"' in page.text and 'value="2560"' in page.text  # the input is kept
    assert client.get("/audit/compliance/years.csv?fiscal_year_from=2562&fiscal_year_to=2560"
                      ).status_code == 422
    long = client.get("/audit/compliance/years?fiscal_year_from=2545&fiscal_year_to=2569")
    assert long.status_code == 422 and "ไม่เกิน 20 ปีงบประมาณ" in long.text
    assert client.get("/audit/compliance/years").status_code == 200  # the last five years
    sign_in(client, office.staff.username)
    assert client.get("/audit/compliance/years").status_code == 403


def test_the_core_counts_each_year_as_the_one_year_query(
    engine: object, office: Office, clock: FixedClock
) -> None:
    from sqlalchemy import Engine

    assert isinstance(engine, Engine)
    with Session(engine) as session:
        found = compliance_years(session, office.auditor, first_be=2561, last_be=2562, clock=clock)
        one = compliance(session, fiscal_year_be=2562, clock=clock)
    assert [p.plan_id for p in found.plans] == [p.plan_id for p in one]
    assert found.totals.plans == len(one) == found.years[1].plans
