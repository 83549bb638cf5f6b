"""The SQL statements a page runs do not grow with the number of plans (no query per plan):
the dashboard (staff and auditor), the public board, a plan page and the auditor's pages are
each counted on a small world that holds each kind of row they read, then again after more
plans (drafts, posted plans of a second organization of the auditor's province, an extended
clock) are added; the counts must match.

Counted on the engine the app serves (a SQLAlchemy `before_cursor_execute` listener), on both
engines, while one request runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from api.app import create_app
from api.settings import Settings
from models.clock import FixedClock
from models.enums import PlanKind, PlanState
from tests.factories import Office, create, extend, make_office, new_plan
from tests.helpers import walk
from workflow import uow
from workflow.account_admin import set_password
from workflow.calendar import WorkingCalendar
from workflow.commands import Context

PASSWORD = "count-password-2562"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Counter:
    """Statements sent to the database while `counting` is set."""

    def __init__(self, engine: Engine) -> None:
        self.counting = False
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: object, cursor: object, statement: str, *args: object) -> None:
        if self.counting:
            self.statements.append(statement)

    def get(self, client: TestClient, path: str) -> int:
        """The statements one GET of `path` ran (the page must answer 200)."""
        self.statements, self.counting = [], True
        try:
            response = client.get(path)
        finally:
            self.counting = False
        assert response.status_code == 200, (path, response.text[:300])
        return len(self.statements)


@pytest.fixture
def client(
    db_url: str, engine: Engine, clock: FixedClock, calendar: WorkingCalendar
) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=db_url), engine=engine, clock=clock, calendar=calendar)
    with TestClient(app, follow_redirects=False) as c:
        yield c


def sign_in(client: TestClient, username: str) -> None:
    client.cookies.clear()
    found = CSRF.search(client.get("/signin").text)
    assert found is not None
    data = {"csrf_token": found.group(1), "username": username, "password": PASSWORD}
    assert client.post("/signin", data=data).status_code == 303


def _more_plans(engine: Engine, ctx: Context, office: Office, other: Office) -> None:
    """Drafts of the office, posted plans of a second organization, an extended clock."""
    for n in range(4):
        create(engine, ctx, new_plan(office, PlanKind.SUPPLEMENTARY, title=f"ร่าง {n}"),
               office.staff)
    for _ in range(2):
        walk(engine, ctx, other, PlanKind.SUPPLEMENTARY, PlanState.POSTED)
    draft = create(engine, ctx, new_plan(other, PlanKind.SUPPLEMENTARY), other.staff)
    extend(engine, ctx, draft, other.executive, new_due_on=date(2018, 11, 30))


def _pages(plan_id: int) -> dict[str, list[str]]:
    """The pages counted, by who signs in ("" for nobody)."""
    return {
        "": [
            "/notices", "/notices?page=2", "/notices?province=พิจิตร",
            "/notices?organization=ทดสอบ&page=1",
        ],
        "staff": ["/dashboard", "/dashboard?fiscal_year=2562", f"/plans/{plan_id}"],
        "auditor": [
            "/dashboard",
            f"/plans/{plan_id}",
            "/audit/history",
            "/audit/compliance?fiscal_year=2562",
            "/audit/verify",
        ],
    }


def _count(client: TestClient, counter: Counter, office: Office, plan_id: int) -> dict[str, int]:
    counts = {}
    for who, paths in _pages(plan_id).items():
        if who:
            sign_in(client, office.by_role(getattr(office, who).role).username)
        else:
            client.cookies.clear()
        for path in paths:
            counts[f"{who or 'public'} {path}"] = counter.get(client, path)
    return counts


def test_no_page_runs_a_query_per_plan(
    client: TestClient, engine: Engine, ctx: Context, office: Office, clock: FixedClock
) -> None:
    other = make_office(engine, clock, "6660604")  # the same province: the auditor sees it
    for actor in (office.staff, office.auditor):
        uow.run(engine, clock, lambda s, u=actor.username: set_password(
            s, clock=clock, username=u, password=PASSWORD))
    plan = walk(engine, ctx, office, PlanKind.SUPPLEMENTARY, PlanState.POSTED)
    first = create(engine, ctx, new_plan(office, PlanKind.SUPPLEMENTARY, title="ร่างแรก"),
                   office.staff)  # each kind of row the pages read is there before: an extension
    extend(engine, ctx, first, office.executive, new_due_on=date(2018, 11, 30))
    counter = Counter(engine)
    assert plan.id is not None
    before = _count(client, counter, office, plan.id)
    _more_plans(engine, ctx, office, other)
    after = _count(client, counter, office, plan.id)
    grown = {page: (before[page], after[page]) for page in before if after[page] != before[page]}
    assert grown == {}, grown
    # the pages read the plans set-wise: a handful of statements, whatever the plans. The
    # dashboard: the sign-in lookup (one statement with its BEGIN: the session, the user, the
    # memberships, the listed organizations and the badge), then the page's ids, the count,
    # the plans, their clocks, the extensions and the holidays after a BEGIN; the board: a
    # BEGIN, the page's organizations and their posted plans (docs/benchmarks.md "Speed,
    # fifth round: pages"), a later page of all organizations their count first ("Speed,
    # eighth round: the pages")
    assert max(before[p] for p in before if "/dashboard" in p) <= 8, before
    assert max(before[p] for p in before if "/notices" in p and "page=2" not in p) <= 3, before
    assert before["public /notices?page=2"] <= 4, before


def test_the_board_refuses_a_control_character_beside_the_field(client: TestClient) -> None:
    page = client.get("/notices", params={"organization": "แหลม\x01รัง", "page": "1"})
    assert page.status_code == 422
    assert 'id="q-organization-error"' in page.text and 'value="แหลม' in page.text
    assert client.get("/notices", params={"page": "0"}).status_code != 200
