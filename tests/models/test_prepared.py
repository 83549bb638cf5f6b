"""A Prepared statement stores and reads exactly what SQLAlchemy Core would, on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from models.base import text_enum
from models.enums import DeadlineStatus
from models.prepared import Prepared
from models.types import Satang, UTCDateTime

META = sa.MetaData()
SAMPLE = sa.Table(
    "prepared_sample",
    META,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime),
    sa.Column("on", sa.Date),
    sa.Column("status", text_enum(DeadlineStatus)),
    sa.Column("doc", sa.JSON),
    sa.Column("flag", sa.Boolean),
    sa.Column("money", Satang),
    sa.Column("note", sa.String(50), nullable=True),
    sa.Column("count", sa.Integer, default=7),
)
VALUES = {
    "at": datetime(2018, 10, 1, 5, 0, tzinfo=UTC),  # no microseconds: a format trap on SQLite
    "on": date(2018, 11, 9),
    "status": DeadlineStatus.LATE,
    "doc": {"places": ["บอร์ดประชาสัมพันธ์ อบต."], "n": 1},
    "flag": True,
    "money": Decimal("1250000.50"),
    "note": None,
}
INSERT = Prepared(sa.insert(SAMPLE).returning(SAMPLE.c.id))
SELECT = Prepared(sa.select(SAMPLE).where(SAMPLE.c.id == sa.bindparam("id")))
UPDATE = Prepared(
    sa.update(SAMPLE).where(SAMPLE.c.id == sa.bindparam("b_id")).values(on=sa.bindparam("on"))
)


@pytest.fixture
def sample(engine: Engine) -> Engine:
    META.create_all(engine)
    return engine


def _stored(conn: sa.Connection, row_id: int) -> tuple[object, ...]:
    """The row as the database holds it, before any result processing."""
    names = ", ".join(f'"{c.name}"' for c in SAMPLE.columns if c.name != "id")
    found = conn.exec_driver_sql(f"SELECT {names} FROM prepared_sample WHERE id = {row_id:d}")
    return tuple(found.one())


def test_rows_written_and_read_are_those_of_core(sample: Engine) -> None:
    with sample.begin() as conn:
        by_core = conn.execute(sa.insert(SAMPLE).returning(SAMPLE.c.id), VALUES).scalar_one()
        by_prepared = INSERT.run(conn, VALUES).scalar_one()
        assert _stored(conn, by_prepared) == _stored(conn, by_core)
        core_row = conn.execute(sa.select(SAMPLE).where(SAMPLE.c.id == by_core)).one()
        prepared_row = SELECT.rows(conn, {"id": by_prepared})
        assert prepared_row == [(by_prepared, *tuple(core_row)[1:])]
        assert prepared_row[0][1:] == (*VALUES.values(), 7)  # the column default applied


def test_an_update_binds_through_the_column_types(sample: Engine) -> None:
    with sample.begin() as conn:
        row_id = INSERT.run(conn, VALUES).scalar_one()
        result = UPDATE.run(conn, {"b_id": row_id, "on": date(2019, 1, 2)})
        assert result.rowcount == 1
        assert SELECT.rows(conn, {"id": row_id})[0][2] == date(2019, 1, 2)


def test_a_missing_value_without_a_default_is_refused(sample: Engine) -> None:
    with sample.begin() as conn, pytest.raises(ValueError, match="no value for 'b_id'"):
        UPDATE.run(conn, {"on": date(2019, 1, 2)})
