"""The one visibility rule (models.visibility), asked both ways round on both engines: from a
viewer's scope to the organizations it covers, and from an organization to the users who see
it. Own organization, province scope, listed organizations, both, none."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.db import make_engine, upgrade
from models.enums import OrgType, Role
from models.organization import AuditorScope, Organization, User
from models.visibility import Scope, scope_for, sees, user_scope, user_sees, visible
from tests.databases import ENGINES, databases

PHICHIT, PHITSANULOK = "พิจิตร", "พิษณุโลก"
ORGS = {"A": PHICHIT, "B": PHICHIT, "C": PHITSANULOK, "D": PHITSANULOK}
# username: (role, own organization, scope province, listed organizations)
PEOPLE: dict[str, tuple[Role, str | None, str | None, tuple[str, ...]]] = {
    "staff.a": (Role.STAFF, "A", None, ()),
    "executive.c": (Role.EXECUTIVE, "C", None, ()),
    "staff.b.stray": (Role.STAFF, "B", PHITSANULOK, ()),  # a province means nothing to staff
    "auditor.province": (Role.AUDITOR, None, PHICHIT, ()),
    "auditor.listed": (Role.AUDITOR, None, None, ("C",)),
    "auditor.both": (Role.AUDITOR, None, PHICHIT, ("D",)),
    "auditor.none": (Role.AUDITOR, None, None, ()),
    "admin": (Role.ADMIN, None, None, ()),
}
SEES = {
    "staff.a": {"A"},
    "executive.c": {"C"},
    "staff.b.stray": {"B"},
    "auditor.province": {"A", "B"},
    "auditor.listed": {"C"},
    "auditor.both": {"A", "B", "D"},
    "auditor.none": set(),
    "admin": set(),
}


@dataclass(frozen=True)
class World:
    engine: Engine
    org_ids: dict[str, int]  # code → id
    users: dict[str, User]

    def codes(self, ids: Iterable[int | None]) -> set[str]:
        by_id = {v: k for k, v in self.org_ids.items()}
        return {by_id[i] for i in ids if i is not None}


def _seed(session: Session) -> tuple[dict[str, int], dict[str, User]]:
    orgs = {}
    for code, province in ORGS.items():
        org = Organization(
            code=code, name=f"อบต.{code}", org_type=OrgType.SAO, district="-", province=province
        )
        session.add(org)
        session.flush()
        assert org.id is not None
        orgs[code] = org.id
    users = {}
    for name, (role, own, province, listed) in PEOPLE.items():
        user = User(
            username=name,
            full_name=name,
            role=role,
            organization_id=orgs[own] if own else None,
            scope_province=province,
            created_at=datetime(2018, 9, 21, tzinfo=UTC),
        )
        session.add(user)
        session.flush()
        assert user.id is not None
        session.add_all(AuditorScope(user_id=user.id, organization_id=orgs[c]) for c in listed)
        users[name] = user
    session.flush()
    return orgs, users


@pytest.fixture(scope="module", params=ENGINES)
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    """One database per engine for the module: the cases only read it."""
    url, drop = databases(request.param).new()
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        orgs, users = _seed(session)
        session.commit()
    yield World(engine, orgs, users)
    engine.dispose()
    drop()


@pytest.mark.parametrize("name", list(PEOPLE))
def test_a_scope_covers_exactly_the_organizations_its_viewer_sees(
    world: World, name: str
) -> None:
    with Session(world.engine) as session:
        scope = user_scope(session, world.users[name])
        query = select(Organization.id).where(visible(scope, Organization.id))
        assert world.codes(session.exec(query).all()) == SEES[name]
        one_by_one = {c for c, i in world.org_ids.items() if sees(session, scope, i)}
        assert one_by_one == SEES[name]


@pytest.mark.parametrize("code", list(ORGS))
def test_the_users_who_see_an_organization(world: World, code: str) -> None:
    with Session(world.engine) as session:
        query = select(User.username).where(user_sees(world.org_ids[code]))
        assert set(session.exec(query).all()) == {n for n, seen in SEES.items() if code in seen}


def test_the_predicate_filters_rows_that_join_the_organization(world: World) -> None:
    """A list query joins `organization` itself: the province part must not correlate to it."""
    with Session(world.engine) as session:
        scope = user_scope(session, world.users["auditor.both"])
        query = (
            select(User.username, Organization.code)
            .join(Organization, col(Organization.id) == col(User.organization_id))
            .where(visible(scope, User.organization_id))
        )
        assert set(session.exec(query).all()) == {("staff.a", "A"), ("staff.b.stray", "B")}


def test_the_system_sees_everything_and_an_empty_scope_nothing(world: World) -> None:
    with Session(world.engine) as session:
        everything = scope_for(Role.SYSTEM, organization_id=None)
        assert everything == Scope(everything=True)
        query = select(Organization.id).where(visible(everything, Organization.id))
        assert world.codes(session.exec(query).all()) == set(ORGS)
        assert all(sees(session, everything, i) for i in world.org_ids.values())
        nothing = select(Organization.id).where(visible(Scope(), Organization.id))
        assert session.exec(nothing).all() == []


def test_scopes_by_role() -> None:
    """Only an auditor's province and list count; only an organization role's own org does."""
    facts = {"organization_id": 7, "province": PHICHIT, "listed": (3,)}
    assert scope_for(Role.STAFF, **facts) == Scope(organization_id=7)
    assert scope_for(Role.EXECUTIVE, **facts) == Scope(organization_id=7)
    assert scope_for(Role.AUDITOR, **facts) == Scope(
        province=PHICHIT, organization_ids=frozenset({3})
    )
    assert scope_for(Role.ADMIN, **facts) == Scope()
