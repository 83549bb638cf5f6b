"""Tampering: with the triggers dropped by hand, `localplan audit verify` finds every change."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from api.cli import app
from models.audit import TransitionRecord
from models.enums import PlanKind, PlanState
from models.migrations.append_only import drop_guards
from models.plan import Plan
from tests.factories import Office
from tests.helpers import walk
from workflow.audit import GENESIS, hash_of, verify
from workflow.commands import Context
from workflow.queries import list_history

runner = CliRunner()


@pytest.fixture
def plans(engine: Engine, ctx: Context, office: Office) -> list[int]:
    done = [
        walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED),
        walk(engine, ctx, office, PlanKind.AMENDMENT, PlanState.ANNOUNCED),
    ]
    return [p.id or 0 for p in done]


def cli_verify(monkeypatch: pytest.MonkeyPatch, db_url: str) -> tuple[int, dict[str, object]]:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    result = runner.invoke(app, ["audit", "verify", "--json"])
    return result.exit_code, json.loads(result.stdout)


def tamper(engine: Engine, sql: str) -> None:
    with engine.begin() as conn:
        drop_guards(conn, ("transition_record",))
        conn.exec_driver_sql(sql)


def problems(report: dict[str, object]) -> set[tuple[object, object, object]]:
    breaks = report["breaks"]
    assert isinstance(breaks, list)
    return {(b["plan_id"], b["seq"], b["problem"]) for b in breaks}


def test_an_untouched_history_verifies(
    monkeypatch: pytest.MonkeyPatch, db_url: str, engine: Engine, plans: list[int]
) -> None:
    code, report = cli_verify(monkeypatch, db_url)
    assert code == 0 and report["intact"] is True
    assert report["plans_checked"] == 3  # the amendment's base plan too
    with Session(engine) as s:
        records = list_history(s, plans[0])
    assert records[0].prev_hash == GENESIS
    assert all(r.prev_hash == p.hash for p, r in itertools.pairwise(records))
    assert all(hash_of(r) == r.hash for r in records)


def test_a_changed_comment_breaks_that_record(
    monkeypatch: pytest.MonkeyPatch, db_url: str, engine: Engine, plans: list[int]
) -> None:
    tamper(
        engine,
        f"UPDATE transition_record SET comment = 'แก้ไขย้อนหลัง' "
        f"WHERE plan_id = {plans[0]} AND seq = 3",
    )
    code, report = cli_verify(monkeypatch, db_url)
    assert code == 1
    assert problems(report) == {(plans[0], 3, "hash_mismatch")}


def test_a_changed_legal_date_or_actor_is_found(engine: Engine, plans: list[int]) -> None:
    tamper(
        engine,
        f"UPDATE transition_record SET effective_on = '2018-01-01', "
        f"actor_username = 'someone' WHERE plan_id = {plans[1]} AND seq = 2",
    )
    with Session(engine) as s:
        report = verify(s)
    assert {(b.plan_id, b.seq, b.problem) for b in report.breaks} == {
        (plans[1], 2, "hash_mismatch")
    }


def test_deleting_the_newest_record_is_found(
    monkeypatch: pytest.MonkeyPatch, db_url: str, engine: Engine, plans: list[int]
) -> None:
    tamper(engine, f"DELETE FROM transition_record WHERE plan_id = {plans[0]} AND seq = 5")
    code, report = cli_verify(monkeypatch, db_url)
    assert code == 1
    assert problems(report) == {
        (plans[0], None, "head_mismatch"),
        (plans[0], None, "state_mismatch"),
        (plans[0], None, "field_mismatch"),  # the row's posting date, places, last change …
        (plans[0], None, "row_unrecorded"),  # … and the minimum posting clock the post started
    }


def test_deleting_a_middle_record_breaks_the_chain(engine: Engine, plans: list[int]) -> None:
    tamper(engine, f"DELETE FROM transition_record WHERE plan_id = {plans[0]} AND seq = 2")
    with Session(engine) as s:
        found = {(b.seq, b.problem) for b in verify(s).breaks if b.plan_id == plans[0]}
    assert {(3, "sequence_gap"), (3, "chain_broken"), (3, "state_mismatch")} <= found


def test_a_state_set_directly_is_found(engine: Engine, plans: list[int]) -> None:
    with engine.begin() as conn:  # the plan table itself is not append-only
        conn.exec_driver_sql(f"UPDATE plan SET state = 'posting_complete' WHERE id = {plans[0]}")
    with Session(engine) as s:
        report = verify(s)
    assert [(b.plan_id, b.problem) for b in report.breaks] == [(plans[0], "state_mismatch")]


def test_a_forged_record_with_a_valid_hash_but_illegal_move_is_found(
    engine: Engine, plans: list[int]
) -> None:
    """Even someone who recomputes hashes cannot make an illegal move pass the replay."""
    from workflow.audit import record_hash

    with Session(engine) as s:
        last = list_history(s, plans[1])[-1]
    forged = {
        "plan_id": last.plan_id,
        "organization_id": last.organization_id,
        "seq": last.seq + 1,
        "action": "withdraw",
        "from_state": last.to_state,
        "to_state": "withdrawn",
        "actor_user_id": None,
        "actor_username": "mallory",
        "actor_role": "executive",
        "effective_on": last.effective_on,
        "recorded_at": last.recorded_at,
        "comment": None,
        "request_id": None,
        "details": {},
        "prev_hash": last.hash,
    }
    digest = record_hash(**forged)  # type: ignore[arg-type]
    with Session(engine) as s:  # inserting is allowed; only UPDATE and DELETE are refused
        s.add(TransitionRecord(**forged, hash=digest))  # type: ignore[arg-type]
        plan = s.get(Plan, plans[1])
        assert plan is not None
        plan.state, plan.version, plan.head_hash = PlanState.WITHDRAWN, last.seq + 1, digest
        s.add(plan)
        s.commit()
    with Session(engine) as s:
        report = verify(s)
    assert [(b.plan_id, b.seq, b.problem) for b in report.breaks] == [
        (plans[1], last.seq + 1, "illegal_move")
    ]


def test_saved_chain_heads_expose_a_rolled_back_plan(
    monkeypatch: pytest.MonkeyPatch,
    db_url: str,
    engine: Engine,
    plans: list[int],
    tmp_path: Path,
) -> None:
    """Deleting the newest record AND rewinding the plan row's head and state passes the
    chain walk; the rest of the row still says the plan was posted, and the heads an auditor
    exported before name the missing record."""
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    exported = runner.invoke(app, ["audit", "heads"])
    assert exported.exit_code == 0
    saved = tmp_path / "heads.json"
    saved.write_text(exported.stdout, encoding="utf-8")
    with Session(engine) as s:
        previous = list_history(s, plans[0])[-2]
    tamper(engine, f"DELETE FROM transition_record WHERE plan_id = {plans[0]} AND seq = 5")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"UPDATE plan SET state = '{previous.to_state}', version = 4, "
            f"head_hash = '{previous.hash}' WHERE id = {plans[0]}"
        )
    code, report = cli_verify(monkeypatch, db_url)
    assert code == 1  # the shortened chain is self-consistent, the row is not
    assert {(b["table"], b["field"]) for b in report["breaks"]} >= {  # type: ignore[attr-defined]
        ("plan", "posted_on"),
        ("plan", "posting_places"),
    }
    result = runner.invoke(app, ["audit", "verify", "--json", "--heads", str(saved)])
    assert result.exit_code == 1
    assert (plans[0], 5, "head_missing") in problems(json.loads(result.stdout))
    unreadable = runner.invoke(app, ["audit", "verify", "--heads", str(tmp_path / "none.json")])
    assert unreadable.exit_code == 2 and "cannot read chain heads" in unreadable.stderr
