"""api/serving.py: what a serving process sets, checked in a process of its own (freezing the
test process would keep every app's cycles for the rest of the run)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

from api import serving

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import gc, json, sys
from api import serving
serving.hold()
import api.app
held = not gc.isenabled()
before = gc.get_freeze_count()
serving.settle()
enabled = gc.isenabled()
frozen = gc.get_freeze_count()
warm, kept = [], []
for _ in range(serving.WARM_FREEZES + 1):
    kept.append([[i] for i in range(1_000)])  # what a first request builds and keeps
    gc.collect()  # a full collection: its survivors are frozen, the first times only
    warm.append(gc.get_freeze_count())
print(json.dumps({"before": before, "held": held, "enabled": enabled, "frozen": frozen,
                  "warm": warm,
                  "thresholds": gc.get_threshold(), "switch": sys.getswitchinterval()}))
"""


def test_settle_freezes_what_is_built_tunes_the_collector_and_switches_it_back_on() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )
    seen = json.loads(done.stdout)
    assert seen["before"] == 0
    assert seen["held"] and seen["enabled"]  # off while the app is built, on once settled
    assert seen["frozen"] > 10_000  # the app's modules and their objects
    *warm, after = seen["warm"]
    assert len(warm) == serving.WARM_FREEZES
    assert warm[0] >= seen["frozen"] + 1_000  # what survived the first full collection
    assert all(b >= a + 1_000 for a, b in itertools.pairwise(warm))
    assert after == warm[-1]  # later full collections freeze nothing
    assert tuple(seen["thresholds"]) == serving.GC_THRESHOLDS
    assert seen["switch"] == serving.SWITCH_INTERVAL_S

