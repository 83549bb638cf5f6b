"""workflow/collector.py: the collector is off inside the block and as it was after it."""

from __future__ import annotations

import gc

import pytest

from workflow import collector


def test_paused_turns_the_collector_off_and_back_on() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_turns_it_back_on_after_an_error() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("the read failed")
    assert gc.isenabled()


def test_paused_leaves_a_collector_switched_off_by_someone_else_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
