"""The signing key and the log's checkpoints from the command line, on both engines."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from workflow import merkle

runner = CliRunner()


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    key = tmp_path / "signing.key"
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    monkeypatch.setenv("LOCALPLAN_SIGNING_KEY_FILE", str(key))
    assert runner.invoke(app, ["demo"]).exit_code == 0
    return key


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_key_is_made_once_readable_by_its_owner_only(env: Path) -> None:
    code, out, _ = invoke("keys", "init", "--name", "localplan.test/แหลมรัง")
    assert code == 0
    made = json.loads(out)
    assert made["name"] == "localplan.test/แหลมรัง" and len(made["key_id"]) == 8
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    code, _, err = invoke("keys", "init", "--name", "other")
    assert code == 2 and "never overwritten" in err
    shown = json.loads(invoke("keys", "show")[1])
    assert shown["public_key"] == made["public_key"]
    env.chmod(0o644)
    code, _, err = invoke("keys", "show")
    assert code == 2 and "readable by others" in err


def test_without_a_key_nothing_is_signed(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    monkeypatch.delenv("LOCALPLAN_SIGNING_KEY_FILE", raising=False)
    code, _, err = invoke("audit", "checkpoint")
    assert code == 2 and "LOCALPLAN_SIGNING_KEY_FILE" in err


def test_checkpoint_prove_and_verify_against_a_kept_checkpoint(env: Path, tmp_path: Path) -> None:
    assert invoke("keys", "init", "--name", "localplan.test")[0] == 0
    code, note, _ = invoke("audit", "checkpoint")
    # the demo's eight records (six of the FY 2562 plan, two of the plan of today), 15 account
    # events (5 users created, given a password, a token), the FY 2562 content's one edit and
    # each submitted plan's frozen version (two), and the FY 2562 plan's progress in two
    # rounds (47 items at six months, all 74 at the year's end: api/demo_progress.py), and
    # the FY 2562 plan's posting and its completion: 147; then the memberships (one granted
    # to each of the five, docs/domain.md "Memberships"), the clerk of two roles (created,
    # given a password, a token, and two memberships) and the monitoring committee's member
    # (created, a password, a token, a membership): 14 more, 161; and the FY 2562 plan's
    # 6-month monitoring report's seven records, drafted to taken down (api/demo_report.py):
    # the log has 168 leaves
    assert code == 0 and note.startswith("localplan.test\n168\n")
    kept = tmp_path / "kept.txt"
    kept.write_text(note, encoding="utf-8")
    code, again, err = invoke("audit", "checkpoint")
    assert code == 0 and again == note and "not grown" in err
    code, out, _ = invoke("audit", "prove", "--record", "2")
    proof = json.loads(out)
    assert merkle.verify_inclusion(
        bytes.fromhex(proof["leaf"]),
        proof["index"],
        proof["tree_size"],
        [bytes.fromhex(p) for p in proof["proof"]],
        bytes.fromhex(proof["root"]),
    )
    assert invoke("audit", "prove", "--record", "999")[0] == 2
    code, out, _ = invoke("audit", "verify", "--checkpoint", str(kept), "--json")
    assert code == 0 and json.loads(out)["log"] == []
    forged = note.replace("\n168\n", "\n167\n")
    kept.write_text(forged, encoding="utf-8")
    code, out, _ = invoke("audit", "verify", "--checkpoint", str(kept), "--json")
    report = json.loads(out)
    assert code == 1 and not report["intact"]
    assert [f["problem"] for f in report["log"]] == ["checkpoint_signature"]
