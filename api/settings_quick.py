"""The three settings `localplan deadlines` needs, read without pydantic-settings.

Importing pydantic-settings costs about a tenth of a second at every start of the CLI, for a
command that reads three values. `deadline_settings` reads them directly only when that
provably gives what `Settings()` gives; otherwise it returns `None` and the caller builds
`Settings()` (which validates everything and reports errors exactly as before).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from models.enums import CountingMode

PREFIX = "localplan_"  # pydantic-settings matches names case-insensitively by default
DEFAULT_DATABASE_URL = "sqlite:///localplan.db"
DEFAULT_COUNTING_MODE = CountingMode.STRICT
DEFAULT_CONSERVATIVE_MINIMUM_POSTING = False
# Only spellings pydantic reads the same way; any other goes through Settings().
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}
_FIELDS = frozenset({"database_url", "counting_mode", "conservative_minimum_posting"})


@dataclass(frozen=True)
class DeadlineSettings:
    database_url: str
    counting_mode: CountingMode
    conservative_minimum_posting: bool


def deadline_settings(environ: Mapping[str, str] | None = None) -> DeadlineSettings | None:
    """The settings from LOCALPLAN_* variables, or None unless every LOCALPLAN_* variable set
    is one of these three (so no other setting could fail validation), none is set twice in
    different cases, and each value is spelled so that `Settings()` reads it the same way."""
    found: dict[str, str] = {}
    for key, value in (os.environ if environ is None else environ).items():
        name = key.lower()
        if not name.startswith(PREFIX):
            continue
        name = name.removeprefix(PREFIX)
        if name not in _FIELDS or name in found:
            return None
        found[name] = value
    mode = found.get("counting_mode", DEFAULT_COUNTING_MODE.value)
    conservative = found.get("conservative_minimum_posting", "false")
    if mode not in {m.value for m in CountingMode} or conservative not in _BOOLEANS:
        return None
    return DeadlineSettings(
        database_url=found.get("database_url", DEFAULT_DATABASE_URL),
        counting_mode=CountingMode(mode),
        conservative_minimum_posting=_BOOLEANS[conservative],
    )
