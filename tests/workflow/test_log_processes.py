"""Two real processes writing at once into one database (a SQLite file, a PostgreSQL database):
the log keeps one total order, numbered 0…n−1 without a gap or a repeat, every row is an
entry, and a checkpoint over all of it verifies."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.audit import TransitionRecord
from models.clock import FixedClock, SystemClock
from models.log import LogEntry
from models.plan import Plan
from workflow import log, uow
from workflow.audit import verify
from workflow.checkpoints import new_private_key, public_key_of
from workflow.log import SigningKey

ROOT = Path(__file__).resolve().parents[2]
WALKS = 4
CODES = ("6660611", "6660612")
WRITER = """
import json, sys, time
from datetime import date
from pathlib import Path
from models.clock import FixedClock, bangkok_noon
from models.db import make_engine
from models.enums import PlanKind, PlanState
from tests.factories import make_office
from tests.helpers import walk
from workflow.calendar import WorkingCalendar
from workflow.commands import Context
from workflow.policy import WorkflowPolicy

url, code, go, walks = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
engine = make_engine(url)
clock = FixedClock(bangkok_noon(date(2018, 9, 21)))
ctx = Context(WorkflowPolicy(), clock, WorkingCalendar.from_days(frozenset()))
office = make_office(engine, clock, code)
go.with_name(f"ready-{code}").touch()
while not go.exists():
    time.sleep(0.01)
started = time.time()
for _ in range(walks):
    walk(engine, ctx, office, PlanKind.AMENDMENT, PlanState.ANNOUNCED)
print(json.dumps({"started": started, "ended": time.time()}))
"""


def test_two_processes_write_one_total_order(db_url: str, engine: Engine, tmp_path: Path) -> None:
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, db_url, code, str(go), str(WALKS)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for code in CODES
    ]
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready-{c}").exists() for c in CODES):  # offices made
        assert time.monotonic() < deadline and all(w.poll() is None for w in writers)
        time.sleep(0.05)
    go.touch()
    outputs = [w.communicate(timeout=300) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err for _, err in outputs]
    spans = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert spans[0]["started"] < spans[1]["ended"] and spans[1]["started"] < spans[0]["ended"]

    with Session(engine) as s:
        entries = list(s.exec(select(LogEntry).order_by(col(LogEntry.seq))).all())
        owner = {
            r.id: org
            for r, org in s.exec(
                select(TransitionRecord, Plan.organization_id).join(
                    Plan, col(Plan.id) == col(TransitionRecord.plan_id)
                )
            ).all()
        }
        assert log.log_size(s) == len(entries)
        assert verify(s).intact
    assert [e.seq for e in entries] == list(range(len(entries)))
    assert len({(e.table_name, e.row_id) for e in entries}) == len(entries)
    orgs = [owner[e.row_id] for e in entries if e.table_name == "transition_record"]
    assert len(set(orgs)) == 2 and orgs.count(orgs[0]) * 2 == len(orgs)  # the same work each
    switches = sum(a != b for a, b in pairwise(orgs))
    key = SigningKey("localplan.test/processes", new_private_key())
    clock = FixedClock(SystemClock().now())
    point = uow.run(engine, clock, lambda s: log.sign_checkpoint(s, key=key, clock=clock))
    assert point is not None and point.size == len(entries)
    with Session(engine) as s:
        assert log.verify_log(s, public_keys={key.name: public_key_of(key.private_key)}) == []
    print(f"\n{len(entries)} entries from 2 processes, the writers alternated {switches} times")

