"""Shared fixtures: a real, migrated database per test on SQLite and PostgreSQL, a fixed clock,
explicit holidays."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine

from models.clock import FixedClock, bangkok_noon
from models.db import make_engine, upgrade
from tests.databases import ENGINES, databases
from tests.factories import Office, make_office
from workflow.calendar import WorkingCalendar
from workflow.commands import Context
from workflow.policy import WorkflowPolicy

# An announcement renders its papers with WeasyPrint (about a second each); the tests of
# documents turn it on (tests/api/test_documents.py), the rest of the suite need not wait.
os.environ.setdefault("LOCALPLAN_DOCUMENTS_AT_ANNOUNCE", "false")

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


@pytest.fixture
def office(engine: Engine, clock: FixedClock) -> Office:
    return make_office(engine, clock, "6660603")


def pytest_sessionfinish(session: pytest.Session) -> None:
    for kind in ENGINES:
        databases(kind).cleanup()
