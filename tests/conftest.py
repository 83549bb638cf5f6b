"""Shared fixtures: a real, migrated database per test on SQLite and PostgreSQL, a fixed clock,
explicit holidays."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from models.clock import FixedClock, bangkok_noon
from models.db import make_engine, upgrade
from models.enums import OrgType, PlanKind, Role, TriggerKind
from models.plan import Plan
from tests.databases import ENGINES, databases
from workflow import uow
from workflow.accounts import actor_for, add_organization, add_user
from workflow.actors import Actor
from workflow.calendar import WorkingCalendar
from workflow.commands import Context, NewPlan, create_plan
from workflow.policy import WorkflowPolicy

# The holidays of docs/domain.md "Worked examples": 2018 substitute Mon 15 Oct, Tue 23 Oct,
# Wed 5 Dec, Mon 10 Dec; plus New Year 2019 for the BE-year crossing.
HOLIDAYS_2018 = frozenset(
    {
        date(2018, 10, 15),
        date(2018, 10, 23),
        date(2018, 12, 5),
        date(2018, 12, 10),
        date(2018, 12, 31),
        date(2019, 1, 1),
    }
)


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, migrated database per test, on each engine (see tests/databases.py)."""
    url, drop = databases(request.param).new()
    yield url
    drop()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    built = make_engine(db_url)
    upgrade(built)
    yield built
    built.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(bangkok_noon(date(2018, 9, 21)))


@pytest.fixture
def calendar() -> WorkingCalendar:
    return WorkingCalendar.from_days(HOLIDAYS_2018)


@pytest.fixture
def ctx(clock: FixedClock, calendar: WorkingCalendar) -> Context:
    return Context(policy=WorkflowPolicy(), clock=clock, calendar=calendar)


@dataclass
class Office:
    """One organization with a person in each role, plus an auditor and an admin."""

    organization_id: int
    staff: Actor
    committee: Actor
    executive: Actor
    auditor: Actor
    admin: Actor

    def by_role(self, role: Role) -> Actor:
        return {
            Role.STAFF: self.staff,
            Role.COMMITTEE: self.committee,
            Role.EXECUTIVE: self.executive,
            Role.AUDITOR: self.auditor,
            Role.ADMIN: self.admin,
        }[role]


def make_office(engine: Engine, clock: FixedClock, code: str, province: str = "พิจิตร") -> Office:
    def seed(session: Session) -> Office:
        org = add_organization(
            session,
            code=code,
            name=f"อบต.ทดสอบ {code}",
            org_type=OrgType.SAO,
            district="บึงนาราง",
            province=province,
        )
        actors = {}
        for role in (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN):
            user = add_user(
                session,
                clock=clock,
                username=f"{role.value}-{code}",
                role=role,
                organization=org,
                scope_province=province if role is Role.AUDITOR else None,
            )
            actors[role] = actor_for(session, user)
        assert org.id is not None
        return Office(
            org.id,
            actors[Role.STAFF],
            actors[Role.COMMITTEE],
            actors[Role.EXECUTIVE],
            actors[Role.AUDITOR],
            actors[Role.ADMIN],
        )

    return uow.run(engine, clock, seed)


@pytest.fixture
def office(engine: Engine, clock: FixedClock) -> Office:
    return make_office(engine, clock, "6660603")


def new_annual(
    office: Office, *, trigger_on: date = date(2018, 9, 20), year: int = 2562
) -> NewPlan:
    return NewPlan(
        organization_id=office.organization_id,
        kind=PlanKind.ANNUAL,
        trigger_kind=TriggerKind.ANNUAL_BUDGET,
        trigger_on=trigger_on,
        title=f"แผนการดำเนินงาน ประจำปี {year}",
        fiscal_year_be=year,
    )


def create(engine: Engine, ctx: Context, new: NewPlan, actor: Actor, **kw: object) -> Plan:
    return uow.run(engine, ctx.clock, lambda s: create_plan(s, ctx, new=new, actor=actor, **kw))  # type: ignore[arg-type]


def pytest_sessionfinish(session: pytest.Session) -> None:
    for kind in ENGINES:
        databases(kind).cleanup()
