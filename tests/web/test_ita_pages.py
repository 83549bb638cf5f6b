"""The transparency checklist's pages (docs/domain.md "The transparency checklist"): an
office's page with what is missing, the auditors' page and CSV across their scope, and the
statements they run not growing with the organizations (tests/web/test_query_counts.py's
counter), on both engines."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from models.clock import FixedClock
from tests.factories import Office, make_office
from tests.ita_factories import posted_2567
from tests.web.test_query_counts import PASSWORD, Counter, client, sign_in
from workflow import uow
from workflow.account_admin import set_password
from workflow.commands import Context

__all__ = ["client"]  # the fixture: the app on the test's database


def _passwords(engine: Engine, clock: FixedClock, *people: str) -> None:
    for name in people:
        uow.run(engine, clock, lambda s, u=name: set_password(
            s, clock=clock, username=u, password=PASSWORD))  # fmt: skip


def test_the_pages_show_what_is_missing_and_do_not_grow(
    client: TestClient, engine: Engine, ctx: Context, office: Office, clock: FixedClock
) -> None:
    _passwords(engine, clock, office.staff.username, office.auditor.username)
    plan_id = posted_2567(engine, ctx, office, progress=False)
    bare = make_office(engine, clock, "6660604")  # the auditor's province, nothing posted
    sign_in(client, office.staff.username)
    page = client.get("/ita", params={"year": 2567})
    assert page.status_code == 200, page.text[:300]
    assert 'data-testid="missing">ยังไม่มี: O12' in page.text
    assert f'href="/notices/{plan_id}/plan.pdf"' in page.text
    assert 'data-testid="assumption"' in page.text and 'href="/ita"' in page.text
    assert client.get(f"/notices/{plan_id}/content").status_code == 200  # O11's page
    assert client.get(f"/board/plans/{plan_id}/progress").status_code == 200  # O12's page
    assert client.get("/ita", params={"organization_id": bare.organization_id}).status_code == 404
    assert client.get("/audit/ita").status_code == 403
    sign_in(client, office.auditor.username)
    page = client.get("/audit/ita", params={"year": 2567, "status": "missing", "item": "O11"})
    assert page.status_code == 200 and 'data-code="6660604"' in page.text
    assert 'data-code="6660603"' not in page.text
    csv = client.get("/audit/ita.csv", params={"year": 2567})
    assert csv.text.startswith('\ufeff"รหัสองค์กร"') and csv.text.count("\n") == 3
    counter = Counter(engine)
    paths = ["/audit/ita?year=2567", "/audit/ita.csv?year=2567",
             f"/ita?year=2567&organization_id={bare.organization_id}"]  # fmt: skip
    before = [counter.get(client, p) for p in paths]
    for n in range(3):
        posted_2567(engine, ctx, make_office(engine, clock, f"666061{n}"))
    after = [counter.get(client, p) for p in paths]
    assert before == after and max(after) <= 12, (before, after)
    assert client.get("/audit/ita.csv", params={"year": 2567}).text.count("\n") == 6
