"""The cyclic garbage collector paused around a read that builds tens of thousands of objects
which all survive it (the compliance report: a line per plan of a fiscal year and one per
clock).

Every object such a read makes is still referenced when the collector runs, so each of its
passes (one every 700 allocations, with the older generations' walks of every object in the
process now and then) finds nothing to free; at 10^7 records they took half the report's
time (docs/benchmarks.md "Speed, fifth round: compliance"). Pausing defers collection, it
frees nothing less: the collector runs again at its next threshold once the read is done.
The switch is process-wide: a thread allocating during the pause is collected after it, and
when two such reads overlap the first to end turns the collector back on (it only costs
the second some speed).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's state before it, after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
