"""The only place that reads the wall clock. Everything else is handed a Clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests and simulations: it moves only when told to."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def today_bangkok(clock: Clock) -> date:
    """The legal date: today in Asia/Bangkok."""
    return clock.now().astimezone(BANGKOK).date()


def bangkok_noon(day: date) -> datetime:
    """Midday of a legal date as a UTC instant (handy for fixed clocks)."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=BANGKOK).astimezone(UTC)
