"""How a serving process runs its interpreter: set once, after the app is built and before
it answers (`localplan serve`, and the `http` bench's server, which serves as it does).

Measured with the `http` bench (docs/benchmarks.md "Speed, fifth round: the server"):
- **The collector's pauses were the actions' latency tail.** The built app holds about a
  million objects (modules, routes, schemas, SQLAlchemy's caches) that live as long as the
  process; every full collection walked them all, stopping every thread for 140–210 ms, and
  at 32 connections each such pause landed on every request in flight. `gc.freeze()` moves
  them out of the collector's sight (they are never garbage), so a full collection walks only
  what requests made since; a larger first threshold makes collections rarer (a request
  allocates thousands of objects, so at the default of 700 several ran per request).
- **No collections while the app is built.** Building it leaves a quarter of a million
  objects in the collector's sight, and the collector, counting allocations, ran about 380
  times meanwhile, full walks of a growing heap among them: 0.3 s of `serve`'s 2 s start.
  `hold()` switches it off before the app's modules are imported and `settle()` collects
  once and switches it back on (docs/benchmarks.md "Speed, seventh round: serve's start").
- **A shorter switch interval.** On SQLite the action's command runs on one writer thread
  beside the event loop; SQLite releases the GIL for every statement and the commit, and with
  the default 5 ms interval the thread waiting to take it back (the writer, or the loop)
  could wait that long each time. 0.5 ms lets the two hand over sooner.

Tests build apps in-process and never call this: freezing there would keep every app's
cycles for the rest of the test run.
"""

from __future__ import annotations

import gc
import sys

SWITCH_INTERVAL_S = 0.0005
GC_THRESHOLDS = (20_000, 20, 10)  # CPython's defaults: (700, 10, 10)


def hold() -> None:
    """No automatic collections until `settle()`: called before the app is imported and built."""
    gc.disable()


def settle() -> None:
    """Collect once, freeze what the built app holds out of the collector's walks, make
    collections rarer, let threads hand over the GIL sooner, freeze again what survives the
    first full collections of the served process (`_WarmFreeze`), and switch the collector
    back on (after `hold()`)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    gc.callbacks.append(_WarmFreeze(WARM_FREEZES))
    gc.enable()


WARM_FREEZES = 2  # full collections after which their survivors are frozen


class _WarmFreeze:
    """What the first requests build and keep (the routes' resolved contexts, the pages'
    templates, SQLAlchemy's compiled statements) is made after `settle()`: frozen too, at
    the end of each of the first `times` full collections, which it survived. A full
    collection's walk then covers what requests make, not what the process keeps (the web
    bench: docs/benchmarks.md "Speed, fifth round: the server"). What a request still holds
    at that moment is frozen with it; only a cycle among those objects would outlive its
    request, and only at those first collections. Once done it stays in the callbacks doing
    nothing (removing itself while the collector walks its callbacks would skip the next
    one)."""

    def __init__(self, times: int) -> None:
        self.left = times

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase != "stop" or info["generation"] != 2 or self.left <= 0:
            return
        gc.freeze()
        self.left -= 1
