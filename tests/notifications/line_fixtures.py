"""The LINE stand-in of docs/line_receiver.py as a fixture: a real HTTP server on 127.0.0.1
that checks every request as LINE's Messaging API reference describes it."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

TOKEN = "dev-token"
SECRET = "channel-secret-0123"
SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "line_receiver.py"
USER = "U" + "1" * 32
GROUP = "C" + "2" * 32


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("line_receiver", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["line_receiver"] = module
    spec.loader.exec_module(module)
    return module


stand_in = _load()
Receiver = stand_in.Receiver


@pytest.fixture
def line() -> Iterator[tuple[object, str]]:
    """(receiver, host URL)."""
    receiver = Receiver(token="dev-token")
    server = stand_in.start(receiver)
    yield receiver, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
