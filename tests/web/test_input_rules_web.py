"""Every input rule (workflow/input_rules.py) through the web forms, on both engines: the
same bad inputs as tests/api/test_input_rules_http.py, each answered 422 with the rule's Thai
reason beside the field it names and the input kept (never a 500, NUL included), and good
inputs that still pass."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from models.enums import Role
from tests.factories import Office
from tests.web import test_pages as pages
from workflow import input_rules as rules

# The pages' world (built once per engine, a copy per test) and its fixtures.
world, db_url, clock, office, plans, client = (
    pages.world, pages.db_url, pages.clock, pages.office, pages.plans, pages.client
)
csrf, sign_in = pages.csrf, pages.sign_in


def thai(check: object, *args: object, **kwargs: object) -> str:
    """The Thai reason the rule gives for this input (what the page must show)."""
    with pytest.raises(rules.InvalidInput) as caught:
        check(*args, **kwargs)  # type: ignore[operator]
    return caught.value.reasons[0].th


@dataclass(frozen=True)
class Case:
    role: Role
    page: str  # the page whose form is posted (for the CSRF token)
    post: str
    form: str  # the form's name in the page (ids are form-field-error)
    field: str
    data: dict[str, str]
    th: str
    kept: str  # what the page shows again of the input


DRAFT = "/plans/{draft}"
NEW_PLAN = {
    "kind": "supplementary", "trigger_kind": "accumulated_funds", "trigger_on": "2018-09-21",
    "fiscal_year_be": "2562", "title": "แผนเพิ่มเติม", "effective_on": "",
}
USER = {"username": "somchai.k", "role": "auditor", "scope_province": "พิจิตร"}
HOLIDAY = {"day": "2019-01-02", "change": "add", "name": "วันหยุด", "source": "มติ ครม."}
ACT = {"expected_version": "1", "effective_on": "2018-09-21", "comment": "ส่ง"}
S, E, D = Role.STAFF, Role.EXECUTIVE, Role.ADMIN
TEXT = rules.free_text
BAD = [
    Case(S, "/plans/new", "/plans/new", "create", "title", {**NEW_PLAN, "title": "แผน\x00"},
         thai(TEXT, "\x00", field="t", max_length=9), "แผน"),
    Case(S, "/plans/new", "/plans/new", "create", "title", {**NEW_PLAN, "title": "\u200b"},
         thai(TEXT, "", field="t", max_length=9), ""),
    Case(S, "/plans/new", "/plans/new", "create", "trigger_on",
         {**NEW_PLAN, "trigger_on": "0001-01-01"},
         thai(rules.legal_date, rules.LEGAL_DATE_MIN.replace(year=1), field="d"), "0001-01-01"),
    *(
        Case(S, "/plans/new", "/plans/new", "create", "budget_baht",
             {**NEW_PLAN, "budget_baht": amount}, thai(rules.money, amount, field="b"), amount)
        for amount in ("NaN", "Infinity", "1e999999", "-5", "10.005")
    ),
    Case(S, "/plans/new", "/plans/new", "create", "fiscal_year_be",
         {**NEW_PLAN, "fiscal_year_be": "²²²²"}, thai(rules.fiscal_year, "²²²²"), "²²²²"),
    Case(S, DRAFT, DRAFT + "/actions/submit", "action-submit", "effective_on",
         {**ACT, "effective_on": "9999-12-31"},
         thai(rules.legal_date, rules.LEGAL_DATE_MAX.replace(year=9999), field="d"),
         "9999-12-31"),
    Case(S, DRAFT, DRAFT + "/actions/submit", "action-submit", "effective_on",
         {**ACT, "effective_on": "2018-09-19"}, "เหตุตั้งต้น", "2018-09-19"),
    Case(S, DRAFT, DRAFT + "/actions/submit", "action-submit", "comment",
         {**ACT, "comment": "ส่ง\x00"}, thai(TEXT, "\x00", field="c", max_length=9), "ส่ง"),
    Case(E, DRAFT, DRAFT + "/deadlines/preparation/extend", "extend-preparation",
         "new_due_on",
         {"expected_version": "1", "new_due_on": "9999-12-31", "comment": "รอ",
          "effective_on": "2018-09-21"},
         thai(rules.legal_date, rules.LEGAL_DATE_MAX.replace(year=9999), field="d"), "รอ"),
    *(
        Case(D, "/admin/users", "/admin/users", "add-user", "username",
             {**USER, "username": name}, thai(rules.username, name), html.escape(name))
        for name in ("system", "аdmin", "ad\u200bmin", "two words", "<b>x</b>", "Somchai", "ab")
    ),
    Case(D, "/admin/users", "/admin/users", "add-user", "scope_province",
         {**USER, "scope_province": "พิจิตร จังหวัด"}, "ไม่พบจังหวัด", "พิจิตร จังหวัด"),
    Case(D, "/admin/holidays", "/admin/holidays", "holiday", "name",
         {**HOLIDAY, "name": "วันหยุด\x00"}, thai(TEXT, "\x00", field="n", max_length=9),
         "วันหยุด"),
    Case(D, "/admin/holidays", "/admin/holidays/preview", "holiday", "day",
         {**HOLIDAY, "day": "1999-12-31"},
         thai(rules.legal_date, rules.LEGAL_DATE_MIN.replace(year=1999), field="d"),
         "1999-12-31"),
]


def _post(client: TestClient, office: Office, plans: tuple[int, int], case: Case) -> str:
    sign_in(client, office.by_role(case.role).username)
    page, post = (p.format(draft=plans[0]) for p in (case.page, case.post))
    response = client.post(post, data={"csrf_token": csrf(client, page), **case.data})
    if post.endswith("/preview"):  # the holiday preview answers the post itself
        assert response.status_code == 422, response.text[:500]
        return response.text
    return pages.refused_page(client, response).text


@pytest.mark.parametrize("case", BAD, ids=lambda c: f"{c.form}-{c.field}-{c.data[c.field][:9]}")
def test_bad_input_is_refused_beside_its_field(
    client: TestClient, office: Office, plans: tuple[int, int], case: Case
) -> None:
    page = _post(client, office, plans, case)
    beside = re.search(rf'id="{case.form}-{case.field}-error">(.*?)</ul>', page, re.S)
    assert beside is not None, f"no message beside {case.field}"
    assert html.escape(case.th) in beside.group(1) or case.th in beside.group(1)
    assert case.kept in page  # the input is kept


@pytest.mark.parametrize(
    "query",
    ["fiscal_year=²²²²", "actor=a%00b", "organization=%00", "date_from=0001-01-01"],
)
def test_auditor_filters_are_refused_not_a_server_error(
    client: TestClient, office: Office, query: str
) -> None:
    sign_in(client, office.auditor.username)
    assert client.get(f"/audit/history?{query}").status_code == 422
    assert client.get(f"/audit/history.csv?{query}").status_code == 422


def test_sign_in_with_a_nul_is_refused_with_the_rule(client: TestClient) -> None:
    token = csrf(client)
    data = {"csrf_token": token, "username": "a\x00", "password": "x"}
    refused = client.post("/signin", data=data)
    assert refused.status_code == 422
    assert html.escape(thai(rules.free_text, "\x00", field="u", max_length=9)) in refused.text


def test_good_inputs_still_pass(client: TestClient, office: Office) -> None:
    sign_in(client, office.admin.username)
    data = {**USER, "username": " phichit.sao ", "scope_province": "พิจิตร "}
    added = client.post("/admin/users", data={"csrf_token": csrf(client, "/admin/users"), **data})
    assert added.status_code == 303, added.text[:500]
    listed = client.get("/admin/users").text
    assert "phichit.sao" in listed and "จ.พิจิตร<" in listed
