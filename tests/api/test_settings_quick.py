"""`deadline_settings` reads three settings without pydantic-settings only when that gives
exactly what `Settings()` gives; otherwise it declines and the CLI builds `Settings()`."""

from __future__ import annotations

import os

import pytest

from api.settings import Settings
from api.settings_quick import deadline_settings

SAME = [
    {},
    {"LOCALPLAN_DATABASE_URL": "sqlite:////tmp/x.db"},
    {"localplan_database_url": "postgresql+psycopg://u@h/db"},
    {"LOCALPLAN_COUNTING_MODE": "civil", "LOCALPLAN_CONSERVATIVE_MINIMUM_POSTING": "true"},
    {"LOCALPLAN_COUNTING_MODE": "strict", "LOCALPLAN_CONSERVATIVE_MINIMUM_POSTING": "0"},
    {"LOCALPLAN_CONSERVATIVE_MINIMUM_POSTING": "1", "PATH": "/bin"},
]
DECLINED = [
    {"LOCALPLAN_DB_POOL_SIZE": "3"},  # another setting: Settings() validates it
    {"LOCALPLAN_SMTP_PORT": "not a port"},
    {"LOCALPLAN_COUNTING_MODE": "STRICT"},  # Settings() refuses it: the error must be its own
    {"LOCALPLAN_CONSERVATIVE_MINIMUM_POSTING": "yes"},  # pydantic's spelling: leave it to it
    {"LOCALPLAN_DATABASE_URL": "a", "localplan_database_url": "b"},  # which wins is its rule
]


@pytest.mark.parametrize("environ", SAME)
def test_reads_what_settings_reads(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in [k for k in os.environ if k.upper().startswith("LOCALPLAN_")]:
        monkeypatch.delenv(key)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    quick, full = deadline_settings(environ), Settings()
    assert quick is not None
    assert (quick.database_url, quick.counting_mode, quick.conservative_minimum_posting) == (
        full.database_url,
        full.counting_mode,
        full.conservative_minimum_posting,
    )


@pytest.mark.parametrize("environ", DECLINED)
def test_declines_otherwise(environ: dict[str, str]) -> None:
    assert deadline_settings(environ) is None
