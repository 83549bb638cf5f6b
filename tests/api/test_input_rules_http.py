"""Every input rule (workflow/input_rules.py) through the JSON API, on both engines: a table
of bad inputs, each refused with 422, the rule's code, the field and Thai and English texts
(never a 500, NUL included on PostgreSQL), and good inputs that still pass. The web and the
CLI have the same tables (tests/web/test_input_rules_web.py, tests/cli/test_input_rules_cli.py).

One world per engine (an office, a draft plan, tokens): bad inputs write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from models.clock import FixedClock, bangkok_noon
from models.db import make_engine, upgrade
from models.enums import Role
from tests.api.conftest import Team, annual_body, make_team, problem
from tests.conftest import HOLIDAYS_2018
from tests.databases import ENGINES, databases
from workflow.calendar import WorkingCalendar

BODY_TOO_LONG = "ก" * 301


@dataclass
class World:
    client: TestClient
    team: Team
    plan_id: int


@pytest.fixture(scope="module", params=ENGINES)
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    url, drop = databases(request.param).new()
    engine = make_engine(url)
    upgrade(engine)
    clock = FixedClock(bangkok_noon(date(2018, 9, 21)))
    team = make_team(engine, clock, "6660603", "พิจิตร")
    app = create_app(
        Settings(database_url=url),
        engine=engine,
        clock=clock,
        calendar=WorkingCalendar.from_days(HOLIDAYS_2018),
    )
    with TestClient(app) as client:
        made = client.post("/api/v1/plans", json=annual_body(), headers=team.headers(Role.STAFF))
        assert made.status_code == 201, made.text
        yield World(client, team, made.json()["id"])
    engine.dispose()
    drop()


@dataclass(frozen=True)
class Case:
    """One request: who sends it, where, with what; the rule's code and field expected."""

    role: Role
    method: str
    path: str
    code: str
    field: str
    json: Any = None
    content: str | None = None

    def send(self, world: World) -> Any:
        headers = world.team.headers(self.role)
        path = self.path.format(plan=world.plan_id)
        if self.content is not None:
            headers = {**headers, "Content-Type": "application/json"}
            return world.client.request(self.method, path, content=self.content, headers=headers)
        return world.client.request(self.method, path, json=self.json, headers=headers)


def plan(**extra: object) -> dict[str, Any]:
    return annual_body(**extra)


def user(**extra: object) -> dict[str, Any]:
    return {"username": "somchai.k", "role": "auditor", "scope_province": "พิจิตร", **extra}


S, E, A, D = Role.STAFF, Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN
ACTION = "/api/v1/plans/{plan}/actions/submit"
EXTEND = "/api/v1/plans/{plan}/deadlines/preparation/extensions"
BAD = [
    # free text: NUL and other controls, blank once invisible characters go, too long
    Case(S, "POST", "/api/v1/plans", "text_control_character", "title", plan(title="แผน\x00")),
    Case(S, "POST", "/api/v1/plans", "text_blank", "title", plan(title=" \u200b ")),
    Case(S, "POST", "/api/v1/plans", "text_too_long", "title", plan(title=BODY_TOO_LONG)),
    Case(S, "POST", "/api/v1/plans", "text_control_character", "trigger_note",
         plan(trigger_note="a\x1bb")),
    Case(S, "POST", ACTION, "text_control_character", "comment",
         {"expected_version": 1, "comment": "a\x00"}),
    Case(S, "POST", ACTION, "text_control_character", "places.0",
         {"expected_version": 1, "places": ["บอร์ด\x00"]}),
    Case(D, "PUT", "/api/v1/admin/holidays/2019-01-02", "text_control_character", "name",
         {"kind": "add", "name": "วันหยุด\x00", "source": "มติ ครม."}),
    Case(D, "PUT", "/api/v1/admin/holidays/2019-01-02", "text_blank", "source",
         {"kind": "add", "name": "วันหยุด", "source": "\u200b"}),
    Case(S, "POST", "/api/v1/auth/token", "text_control_character", "username",
         {"username": "laemrang\x00", "password": "x"}),
    # legal dates: 2000-01-01 to 2199-12-31 everywhere
    Case(S, "POST", "/api/v1/plans", "date_out_of_range", "trigger_on",
         plan(trigger_on="0001-01-01")),
    Case(S, "POST", ACTION, "date_out_of_range", "effective_on",
         {"expected_version": 1, "effective_on": "9999-12-31"}),
    Case(E, "POST", EXTEND, "date_out_of_range", "new_due_on",
         {"expected_version": 1, "new_due_on": "9999-12-31", "reason": "รอ"}),
    Case(D, "PUT", "/api/v1/admin/holidays/1999-12-31", "date_out_of_range", "day",
         {"kind": "add", "name": "วันหยุด", "source": "มติ ครม."}),
    Case(S, "GET", "/api/v1/calendar/deadlines?announced_on=2200-01-01", "date_out_of_range",
         "announced_on"),
    # money
    *(
        Case(S, "POST", "/api/v1/plans", code, "budget_baht", plan(budget_baht=amount))
        for amount, code in [
            ("NaN", "money_out_of_range"),
            ("Infinity", "money_out_of_range"),
            ("-5", "money_out_of_range"),
            (-5, "money_out_of_range"),
            ("1000000000000.01", "money_out_of_range"),
            ("10.005", "money_fraction"),
            (True, "money_out_of_range"),
        ]
    ),
    Case(S, "POST", "/api/v1/plans", "money_out_of_range", "budget_baht",
         content='{"kind": "annual", "trigger_kind": "annual_budget", "trigger_on": '
         '"2018-09-20", "fiscal_year_be": 2562, "title": "t", "budget_baht": 1e999999}'),
    # fiscal years
    Case(S, "POST", "/api/v1/plans", "fiscal_year_out_of_range", "fiscal_year_be",
         plan(fiscal_year_be=2222000)),
    Case(S, "GET", "/api/v1/plans?fiscal_year=²²²²", "fiscal_year_out_of_range", "fiscal_year"),
    Case(A, "GET", "/api/v1/audit/compliance?fiscal_year=2542", "fiscal_year_out_of_range",
         "fiscal_year"),
    # filters: no NUL reaches the database; provinces from the list
    Case(S, "GET", "/api/v1/plans?organization=66%00", "text_control_character",
         "organization"),
    Case(A, "GET", "/api/v1/audit/transitions?actor=a%00b", "text_control_character", "actor"),
    Case(A, "GET", "/api/v1/audit/transitions?province=Phichit", "province_unknown",
         "province"),
    # usernames, roles, provinces of new users
    *(
        Case(D, "POST", "/api/v1/admin/users", code, "username", user(username=name))
        for name, code in [
            ("system", "username_reserved"),
            ("аdmin", "username_characters"),  # Cyrillic а
            ("ad\u200bmin", "username_characters"),
            ("two words", "username_characters"),
            ("line\nbreak", "username_characters"),
            ("<b>x</b>", "username_characters"),
            ("Somchai", "username_characters"),
            ("ab", "username_length"),
        ]
    ),
    Case(D, "POST", "/api/v1/admin/users", "role_reserved", "role", user(role="system")),
    Case(D, "POST", "/api/v1/admin/users", "province_unknown", "scope_province",
         user(scope_province="พิจิตร จังหวัด")),
    Case(D, "PUT", "/api/v1/admin/users/a%00/password", "text_control_character", "username",
         {"password": "a-long-enough-password"}),
    # booleans are true or false, nothing else
    Case(D, "POST", "/api/v1/admin/outbox/retry", "bool_type", "all", {"all": 0}),
    Case(S, "GET", "/api/v1/calendar/deadlines?announced_on=2018-10-25&conservative=1",
         "bool_type", "conservative"),
    Case(S, "GET", "/api/v1/plans?overdue=yes", "bool_type", "overdue"),
]


@pytest.mark.parametrize("case", BAD, ids=lambda c: f"{c.code}-{c.field}-{c.path[8:30]}")
def test_bad_input_is_refused_with_the_rule(world: World, case: Case) -> None:
    body = problem(case.send(world), 422, "validation_error")
    assert [(r["code"], r["field"]) for r in body["reasons"]][:1] == [(case.code, case.field)]


def test_the_rule_texts_are_the_same_as_the_core(world: World) -> None:
    """The schema's refusal carries the rule's own Thai and English reason."""
    from workflow import input_rules as rules

    body = problem(BAD[0].send(world), 422, "validation_error")
    with pytest.raises(rules.InvalidInput) as caught:
        rules.free_text("แผน\x00", field="title", max_length=300)
    ruled = caught.value.reasons[0]
    assert (body["reasons"][0]["th"], body["reasons"][0]["en"]) == (ruled.th, ruled.en)


def test_effective_dates_are_never_before_the_trigger(world: World) -> None:
    """A domain guard (409, recorded as a refused attempt), not a shape: docs/domain.md."""
    refused = Case(S, "POST", ACTION, "", "",
                   {"expected_version": 1, "effective_on": "2018-09-19"}).send(world)
    body = problem(refused, 409, "guard_refused")
    codes = [r["code"] for r in body["reasons"]]  # created on the 21st: before that, too
    assert codes == ["effective_before_trigger", "effective_before_previous"]


def test_good_inputs_still_pass_cleaned(world: World) -> None:
    """Trailing spaces trimmed, a province exact once trimmed, repeated scopes folded, a
    budget with satang, Thai text kept."""
    made = Case(D, "POST", "/api/v1/admin/users", "", "", user(
        username=" phichit.sao ", scope_province="พิจิตร ", full_name=" สมชาย ",
        scope_organization_codes=["6660603", "6660603"],
    )).send(world)
    assert made.status_code == 201, made.text
    assert (made.json()["username"], made.json()["scope_province"]) == ("phichit.sao", "พิจิตร")
    assert made.json()["full_name"] == "สมชาย"
    supplementary = {
        "kind": "supplementary", "trigger_kind": "accumulated_funds", "trigger_on": "2018-09-21",
        "fiscal_year_be": 2562.0, "title": "  แผนเพิ่มเติม ครั้งที่ 1  ", "budget_baht": 0.57,
        "trigger_note": "บรรทัด 1\r\nบรรทัด 2",
    }
    created = Case(S, "POST", "/api/v1/plans", "", "", supplementary).send(world)
    assert created.status_code == 201, created.text
    got = created.json()
    assert got["fiscal_year_be"] == 2562  # JSON's 2562.0 is the integer 2562
    assert (got["title"], got["budget_baht"], got["trigger_note"]) == (
        "แผนเพิ่มเติม ครั้งที่ 1", "0.57", "บรรทัด 1\nบรรทัด 2"
    )
    found = Case(A, "GET", "/api/v1/audit/transitions?province=พิจิตร", "", "").send(world)
    assert found.status_code == 200 and found.json()["items"]
    calc = Case(S, "GET", "/api/v1/calendar/deadlines?trigger_on=2018-09-20&conservative=true",
                "", "").send(world)
    assert calc.status_code == 200, calc.text
