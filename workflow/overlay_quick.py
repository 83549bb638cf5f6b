"""The calendar in force read without SQLAlchemy: for `localplan deadlines`, which must answer
in a fraction of a second. Same rows and same result as `workflow.overlay.load_calendar`."""

from __future__ import annotations

from datetime import date

from models.enums import OverlayKind
from models.quick import read_current
from workflow.calendar import WorkingCalendar, overlay_from

OVERLAY_SQL = "SELECT day, kind, name FROM holiday_overlay"


def load_calendar_quick(database_url: str) -> WorkingCalendar | None:
    """The calendar from a current SQLite file, or None: then use `load_calendar` on a session
    (other engines, a database to create or migrate, anything unexpected)."""
    rows = read_current(database_url, OVERLAY_SQL)
    if rows is None:
        return None
    try:
        entries = [(date.fromisoformat(d), OverlayKind(k), str(n)) for d, k, n in rows]
    except (TypeError, ValueError):
        return None
    return WorkingCalendar(overlay=overlay_from(entries))
