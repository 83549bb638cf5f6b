"""The CLI's quick calendar read gives what `load_calendar` gives on a session."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session

from models.calendar import HolidayOverlay
from models.db import make_engine, upgrade
from models.enums import OverlayKind
from workflow.overlay import load_calendar
from workflow.overlay_quick import load_calendar_quick


def test_quick_read_equals_the_session_read(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'overlay.db'}"
    engine = make_engine(url)
    upgrade(engine)
    at = datetime(2018, 9, 1, tzinfo=UTC)
    with Session(engine) as session:
        for day, kind, name in (
            (date(2018, 10, 22), OverlayKind.ADD, "วันหยุดพิเศษ"),
            (date(2018, 10, 23), OverlayKind.REMOVE, "วันปิยมหาราช"),
        ):
            session.add(
                HolidayOverlay(
                    day=day, kind=kind, name=name, source="ครม.", created_by="t", created_at=at
                )
            )
        session.commit()
        expected = load_calendar(session)
    engine.dispose()
    quick = load_calendar_quick(url)
    assert quick == expected
    assert quick is not None and quick.holiday_name(date(2018, 10, 22)) == "วันหยุดพิเศษ"
    assert quick.is_working_day(date(2018, 10, 23))


def test_other_databases_take_the_session_path() -> None:
    assert load_calendar_quick("postgresql+psycopg://u@localhost/db") is None
