"""What the tests of SQLite's writer share: the engine's `Writer` and a count of table `t`."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Engine

from models.db import writer_of
from models.writer import Writer


def writer_of_engine(engine: Engine) -> Writer:
    found = writer_of(engine)
    assert found is not None
    return found


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM t")).scalar_one())
