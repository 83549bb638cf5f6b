"""Thailand's 77 provinces (models/data/provinces.txt), the names auditor scopes may use."""

from __future__ import annotations

from pathlib import Path

_FILE = Path(__file__).with_name("data") / "provinces.txt"


def _read() -> frozenset[str]:
    lines = _FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


PROVINCES = _read()
