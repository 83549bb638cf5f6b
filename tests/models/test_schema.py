"""The models and the migrations agree; history tables are append-only; types keep meaning."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

import models.tables  # noqa: F401
from models.clock import FixedClock
from models.db import alembic_config, make_engine, migrations_current, upgrade
from models.enums import Role
from models.organization import User
from models.plan import Plan
from models.types import Satang, UTCDateTime
from tests.factories import Office
from workflow import uow


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
    assert migrations_current(engine)


def test_upgrade_from_empty_down_to_base_and_up_again(tmp_path: Path) -> None:
    built = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert not migrations_current(built)
    upgrade(built)
    assert migrations_current(built)
    command.downgrade(alembic_config(built), "base")
    assert sa.inspect(built).get_table_names() == ["alembic_version"]
    upgrade(built)
    assert set(SQLModel.metadata.tables) <= set(sa.inspect(built).get_table_names())
    built.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    engine.dispose()


def test_utc_instants_survive_sqlite(engine: Engine, clock: FixedClock, office: Office) -> None:
    bangkok = timezone(timedelta(hours=7))
    at = datetime(2018, 10, 25, 23, 30, 15, 123456, tzinfo=bangkok)
    with Session(engine) as s:
        user = User(username="tz", full_name="tz", role=Role.ADMIN, created_at=at)
        s.add(user)
        s.commit()
        user_id = user.id
    with Session(engine) as s:
        loaded = s.get(User, user_id)
        assert loaded is not None
        assert loaded.created_at == at
        assert loaded.created_at.tzinfo is UTC
        assert loaded.created_at.isoformat() == "2018-10-25T16:30:15.123456+00:00"
    with engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT created_at FROM \"user\" WHERE username='tz'").scalar()
    if engine.dialect.name == "sqlite":  # stored as UTC text without an offset
        assert str(raw).startswith("2018-10-25 16:30:15.123456")
    else:  # timestamptz: the same instant whatever the session's time zone
        assert raw == at


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(
            datetime(2018, 1, 1), sa.create_engine("sqlite://").dialect
        )


def test_money_is_exact_satang(engine: Engine) -> None:
    dialect = engine.dialect
    assert Satang().process_bind_param(Decimal("1234567.89"), dialect) == 123456789
    assert Satang().process_result_value(123456789, dialect) == Decimal("1234567.89")
    assert Satang().process_bind_param(Decimal("0.1") + Decimal("0.2"), dialect) == 30
    with pytest.raises(ValueError, match="fraction of a satang"):
        Satang().process_bind_param(Decimal("10.005"), dialect)


def test_plan_budget_round_trips(engine: Engine, ctx: object, office: Office) -> None:
    from tests.factories import new_annual
    from workflow.commands import create_plan

    new = new_annual(office)
    new = type(new)(**{**new.__dict__, "budget_baht": Decimal("9876543.21")})
    plan = uow.run(
        engine,
        ctx.clock,  # type: ignore[attr-defined]
        lambda s: create_plan(s, ctx, new=new, actor=office.staff),
    )  # type: ignore[arg-type]
    with Session(engine) as s:
        loaded = s.get(Plan, plan.id)
        assert loaded is not None and loaded.budget_baht == Decimal("9876543.21")
        assert loaded.trigger_on == date(2018, 9, 20)
