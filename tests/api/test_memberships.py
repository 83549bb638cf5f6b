"""Memberships over HTTP (docs/api.md "Memberships", "Acting in one of several roles"): an
admin grants and ends them; a person holding two roles names one in `X-As-Role`, or the
action's table rule picks the one permitted, or the answer is 409 `role_ambiguous`."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.account import AccountEvent, AccountEventKind
from models.clock import FixedClock
from models.enums import Role
from models.organization import User
from tests.api.conftest import Team, act, annual_body, create_plan, problem, token_headers
from workflow.verify_actors import verify_actors


def grant(client: TestClient, home: Team, username: str, role: str) -> dict[str, object]:
    response = client.post(
        f"/api/v1/users/{username}/memberships",
        json={"role": role, "organization_code": home.code},
        headers=home.headers(Role.ADMIN),
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_grant_list_end_and_their_events(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team
) -> None:
    clerk = home.office.staff.username
    granted = grant(client, home, clerk, "committee")
    assert granted["in_force"] is True and granted["ends_on"] is None
    listed = client.get(f"/api/v1/users/{clerk}/memberships", headers=home.headers(Role.ADMIN))
    assert [m["role"] for m in listed.json()["items"]] == ["staff", "committee"]
    again = client.post(
        f"/api/v1/users/{clerk}/memberships",
        json={"role": "committee", "organization_code": home.code},
        headers=home.headers(Role.ADMIN),
    )
    problem(again, 409, "conflict")
    assert again.json()["reasons"][0]["code"] == "membership_overlaps"
    # staff may not grant; an org role without an organization is refused beside the field
    refused = client.post(
        f"/api/v1/users/{clerk}/memberships",
        json={"role": "executive", "organization_code": home.code},
        headers=home.headers(Role.STAFF),
    )
    problem(refused, 403, "forbidden")
    ended = client.post(
        f"/api/v1/users/{clerk}/memberships/{granted['id']}/end",
        headers=home.headers(Role.ADMIN),
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["in_force"] is False  # its last day was yesterday
    with Session(engine) as session:
        kinds = [
            e.kind
            for e in session.exec(
                select(AccountEvent).where(AccountEvent.subject_username == clerk)
            )
        ]
        assert kinds.count(AccountEventKind.MEMBERSHIP_GRANTED) == 2  # the first role, then this
        assert kinds[-1] is AccountEventKind.MEMBERSHIP_ENDED
        assert verify_actors(session) == []


def test_a_person_of_two_roles_names_one_or_the_table_decides(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team
) -> None:
    clerk = home.office.staff.username
    grant(client, home, clerk, "committee")
    plan_id = create_plan(client, home)  # submit: only staff may, so staff it is
    submitted = act(client, home, Role.STAFF, plan_id, "submit")
    assert submitted.status_code == 200, submitted.text
    history = client.get(f"/api/v1/plans/{plan_id}/history", headers=home.headers(Role.STAFF))
    roles = [r["actor_role"] for r in history.json()["records"]]
    assert roles[-1] == "staff"
    # approve: only the committee may; the clerk is one, so it is done as committee
    approved = act(client, home, Role.STAFF, plan_id, "approve")
    assert approved.status_code == 200, approved.text
    history = client.get(f"/api/v1/plans/{plan_id}/history", headers=home.headers(Role.STAFF))
    assert [r["actor_role"] for r in history.json()["records"]][-1] == "committee"
    # named: as staff the clerk cannot approve; a role not held is refused at once
    supplementary = annual_body(kind="supplementary", trigger_kind="supplementary_budget")
    second = create_plan(client, home, supplementary)
    assert act(client, home, Role.STAFF, second, "submit").status_code == 200
    body = {"expected_version": 2}
    as_staff = {**home.headers(Role.STAFF), "X-As-Role": "staff"}
    url = f"/api/v1/plans/{second}/actions/approve"
    problem(client.post(url, json=body, headers=as_staff), 403, "forbidden")
    as_executive = {**home.headers(Role.STAFF), "X-As-Role": "executive"}
    refused = client.post(url, json=body, headers=as_executive)
    problem(refused, 403, "forbidden")
    assert refused.json()["reasons"][0]["code"] == "role_not_held"


def test_the_kind_of_plan_decides_who_creates(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team
) -> None:
    """Staff create annual plans, the executive amendments (the table's create rows): a
    clerk who is also the executive creates each in the role its row names, unasked."""
    person = home.office.staff.username
    grant(client, home, person, "executive")
    headers = token_headers(engine, clock, person)
    annual = client.post("/api/v1/plans", json=annual_body(), headers=headers)
    assert annual.status_code == 201, annual.text
    history = client.get(f"/api/v1/plans/{annual.json()['id']}/history", headers=headers)
    assert history.json()["records"][0]["actor_role"] == "staff"
    # named: as the executive, an annual plan is not theirs to create
    as_executive = {**headers, "X-As-Role": "executive"}
    refused = client.post("/api/v1/plans", json=annual_body(2563), headers=as_executive)
    problem(refused, 403, "forbidden")


def test_grant_and_end_from_the_cli(client: TestClient, home: Team, db_url: str) -> None:
    from tests.api.test_cli_accounts import run

    clerk = home.office.staff.username
    code, out, err = run(
        db_url, "accounts", "grant", clerk, "--role", "committee", "--organization", home.code
    )
    assert code == 0, err
    number = out.split(":")[0].split()[-1]
    code, listing, _ = run(db_url, "accounts", "memberships", clerk)
    assert code == 0 and [line.split("\t")[1] for line in listing.splitlines()] == [
        "staff",
        "committee",
    ]
    code, _, err = run(db_url, "accounts", "grant", clerk, "--role", "committee",
                       "--organization", home.code)  # fmt: skip
    assert code == 2 and "membership_overlaps" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(db_url, "accounts", "grant", clerk, "--role", "nobody")
    assert code == 2 and "--role must be one of" in err
    code, out, err = run(db_url, "accounts", "end-membership", clerk, "--membership", number)
    assert code == 0 and f"membership {number}" in out, err
    listed = client.get(f"/api/v1/users/{clerk}/memberships", headers=home.headers(Role.ADMIN))
    ended = [m for m in listed.json()["items"] if str(m["id"]) == number]
    assert ended[0]["in_force"] is False


def _ids(client: TestClient, headers: dict[str, str]) -> set[int]:
    listed = client.get("/api/v1/plans", headers=headers)
    assert listed.status_code == 200, listed.text
    return {p["id"] for p in listed.json()["items"]}


def test_me_lists_the_memberships_in_force_and_the_scope_follows_the_acting_role(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team, away: Team
) -> None:
    """A clerk of the home office who also audits the away office's province: `GET /me`
    names both memberships and the role acting; the plans listed are the acting role's, both
    offices' when none is named."""
    clerk = home.office.staff.username
    with Session(engine) as session:  # the auditor's scope is the account's
        user = session.exec(select(User).where(User.username == clerk)).one()
        user.scope_province = "พิษณุโลก"
        session.add(user)
        session.commit()
    auditing = grant(client, home, clerk, "auditor")
    ours, theirs = create_plan(client, home), create_plan(client, away)
    me = client.get("/api/v1/me", headers=home.headers(Role.STAFF)).json()
    assert (me["primary_role"], me["acting_role"], me["roles"]) == (
        "staff", None, ["auditor", "staff"])
    assert [(m["role"], m["organization_code"], m["ends_on"]) for m in me["memberships"]] == [
        ("auditor", None, None), ("staff", home.code, None)]
    assert all(m["starts_on"] for m in me["memberships"])
    as_auditor = {**home.headers(Role.STAFF), "X-As-Role": "auditor"}
    as_staff = {**home.headers(Role.STAFF), "X-As-Role": "staff"}
    named = client.get("/api/v1/me", headers=as_auditor).json()
    assert (named["role"], named["acting_role"]) == ("auditor", "auditor")
    assert _ids(client, as_auditor) == {theirs}
    assert _ids(client, as_staff) == {ours}
    assert _ids(client, home.headers(Role.STAFF)) == {ours, theirs}
    ended = client.post(f"/api/v1/users/{clerk}/memberships/{auditing['id']}/end",
                        headers=home.headers(Role.ADMIN))
    assert ended.status_code == 200, ended.text
    me = client.get("/api/v1/me", headers=home.headers(Role.STAFF)).json()
    assert (me["acting_role"], me["roles"]) == ("staff", ["staff"])
    assert _ids(client, home.headers(Role.STAFF)) == {ours}


def test_the_actions_offered_are_every_held_roles_until_one_is_named(
    client: TestClient, engine: Engine, clock: FixedClock, home: Team
) -> None:
    """A clerk on the committee: a submitted plan offers the committee's rows unasked (the
    table then acts as committee), none of them once staff is named."""
    clerk = home.office.staff.username
    grant(client, home, clerk, "committee")
    plan_id = create_plan(client, home)
    assert act(client, home, Role.STAFF, plan_id, "submit").status_code == 200

    def offered(headers: dict[str, str]) -> set[str]:
        found = client.get(f"/api/v1/plans/{plan_id}", headers=headers).json()
        return {a["action"] for a in found["allowed_actions"]}

    assert {"approve", "return_for_revision"} <= offered(home.headers(Role.STAFF))
    assert offered({**home.headers(Role.STAFF), "X-As-Role": "staff"}) & {
        "approve", "return_for_revision"} == set()
    assert "approve" in offered({**home.headers(Role.STAFF), "X-As-Role": "committee"})
