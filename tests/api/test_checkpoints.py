"""GET /api/v1/checkpoints without sign-in, its proofs and errors, /healthz's signing status,
and the standalone auditor script (docs/auditor/check_checkpoint.py) run as a subprocess on
what the endpoint answers: it accepts the real proofs and rejects a forked log, a bad
signature, another key and an edited proof."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.keys import init_key, load_key, public_info
from api.settings import Settings
from models.enums import PlanKind, PlanState
from models.migrations.append_only import drop_guards
from tests.api.conftest import problem
from tests.factories import Office
from tests.helpers import walk
from workflow import log, merkle, uow
from workflow.commands import Context

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "auditor" / "check_checkpoint.py"
NAME = "localplan.test/แหลมรัง"
BIG = 2**63 - 1


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "signing.key"
    init_key(path, name=NAME)
    return path


@pytest.fixture
def public(db_url: str, engine: Engine, ctx: Context, key_file: Path) -> Iterator[TestClient]:
    """The app of a process holding the key; no one signs in."""
    settings = Settings(database_url=db_url, signing_key_file=str(key_file))
    app = create_app(settings, engine=engine, clock=ctx.clock, calendar=ctx.calendar)
    with TestClient(app) as client:
        yield client


def sign(engine: Engine, ctx: Context, key_file: Path) -> int:
    key = load_key(key_file)
    point = uow.run(engine, ctx.clock, lambda s: log.sign_checkpoint(s, key=key, clock=ctx.clock))
    assert point is not None
    return point.size


def grow(engine: Engine, ctx: Context, office: Office) -> None:
    walk(engine, ctx, office, PlanKind.AMENDMENT, PlanState.ANNOUNCED)


def two_checkpoints(
    engine: Engine, ctx: Context, office: Office, key_file: Path
) -> tuple[int, int]:
    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    first = sign(engine, ctx, key_file)
    grow(engine, ctx, office)
    return first, sign(engine, ctx, key_file)


def test_the_list_is_public_with_its_keys(
    public: TestClient, engine: Engine, ctx: Context, office: Office, key_file: Path
) -> None:
    first, second = two_checkpoints(engine, ctx, office, key_file)
    body = public.get("/api/v1/checkpoints").json()
    assert [p["size"] for p in body["checkpoints"]] == [first, second]
    assert body["log_size"] == second
    [key] = body["public_keys"]
    assert key == public_info(load_key(key_file))
    assert all(p["key_id"] == key["key_id"] and p["key_name"] == NAME for p in body["checkpoints"])
    newest = body["checkpoints"][-1]
    assert newest["note"].startswith(f"{NAME}\n{second}\n")
    assert body["consistency"].startswith("/api/v1/checkpoints/consistency?")


def test_proofs_verify_and_bad_sizes_are_problems(
    public: TestClient, engine: Engine, ctx: Context, office: Office, key_file: Path
) -> None:
    first, second = two_checkpoints(engine, ctx, office, key_file)
    url = "/api/v1/checkpoints/consistency"
    answer = public.get(url, params={"first": first, "second": second})
    assert answer.headers["cache-control"] == "public, max-age=86400"
    got = answer.json()
    proof = [bytes.fromhex(p) for p in got["proof"]]
    roots = bytes.fromhex(got["first_root"]), bytes.fromhex(got["second_root"])
    assert merkle.verify_consistency(first, second, proof, *roots)
    assert got["first_checkpoint"].startswith(f"{NAME}\n{first}\n")
    same = public.get(url, params={"first": second, "second": second}).json()
    assert same["proof"] == [] and same["first_root"] == same["second_root"]
    odd = public.get(url, params={"first": 1, "second": second}).json()  # any size up to it
    assert odd["first_checkpoint"] is None and odd["proof"]
    problem(public.get(url, params={"first": 2, "second": first + 1}), 404, "not_found")
    body = public.get(url, params={"first": 2, "second": first + 1}).json()
    assert body["reasons"][0]["code"] == "checkpoint_not_found"
    body = public.get(url, params={"first": second, "second": first}).json()
    assert body["status"] == 404 and body["reasons"][0]["code"] == "no_consistency_proof"
    for bad in ({"first": 0, "second": 1}, {"first": 1, "second": BIG + 1}, {"first": "x"}):
        problem(public.get(url, params=bad), 422, "validation_error")
    assert public.get(url, params={"first": BIG, "second": BIG}).status_code == 404
    inc = public.get("/api/v1/checkpoints/inclusion?table=transition_record&id=1").json()
    leaf = bytes.fromhex(inc["leaf"])
    path = [bytes.fromhex(p) for p in inc["proof"]]
    root = bytes.fromhex(inc["root"])
    assert merkle.verify_inclusion(leaf, inc["index"], inc["tree_size"], path, root)
    assert inc["tree_size"] == second
    old = public.get(f"/api/v1/checkpoints/inclusion?table=transition_record&id=1&size={first}")
    assert old.json()["tree_size"] == first
    url = "/api/v1/checkpoints/inclusion"
    nowhere = public.get(url, params={"table": "transition_record", "id": 1, "size": first + 1})
    assert problem(nowhere, 404, "not_found")["reasons"][0]["code"] == "checkpoint_not_found"
    missing = public.get("/api/v1/checkpoints/inclusion?table=transition_record&id=99999")
    assert problem(missing, 404, "not_found")["reasons"][0]["code"] == "not_in_checkpoint"
    problem(public.get("/api/v1/checkpoints/inclusion?table=plan&id=1"), 422, "validation_error")


def test_the_openapi_document_states_the_bounds(public: TestClient) -> None:
    paths = public.get("/openapi.json").json()["paths"]
    params = {p["name"]: p for p in paths["/api/v1/checkpoints/consistency"]["get"]["parameters"]}
    for name in ("first", "second"):
        assert params[name]["required"] is True
        assert (params[name]["schema"]["minimum"], params[name]["schema"]["maximum"]) == (1, BIG)
    inclusion = {p["name"]: p for p in paths["/api/v1/checkpoints/inclusion"]["get"]["parameters"]}
    assert "transition_record" in inclusion["table"]["schema"]["enum"]
    assert inclusion["id"]["schema"]["maximum"] == BIG
    assert "security" not in paths["/api/v1/checkpoints"]["get"]


def test_healthz_says_whether_this_process_signs(
    public: TestClient, key_file: Path, tmp_path: Path, db_url: str, engine: Engine, ctx: Context
) -> None:
    answer = public.get("/healthz")
    signing = answer.json()["signing"]
    key = load_key(key_file)
    assert signing == {
        "signs": True,
        "key_name": NAME,
        "key_id": public_info(key)["key_id"],
        "reason": None,
    }
    import base64

    assert base64.b64encode(key.private_key).decode() not in answer.text
    open_key = tmp_path / "open.key"
    init_key(open_key, name=NAME)
    open_key.chmod(0o640)
    settings = Settings(database_url=db_url, signing_key_file=str(open_key))
    app = create_app(settings, engine=engine, clock=ctx.clock, calendar=ctx.calendar)
    with TestClient(app) as client:
        answer = client.get("/healthz")
    assert answer.json()["signing"]["signs"] is False
    assert str(open_key) not in answer.text and "cannot be used" in answer.text


# --- the auditor's script -----------------------------------------------------------------


def audit(tmp: Path, *args: str, **files: Any) -> subprocess.CompletedProcess[str]:
    """Run the script alone: its own interpreter, no localplan on the path."""
    names = []
    for flag, content in files.items():
        path = tmp / f"{flag}.input"
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        names += [f"--{flag}", str(path)]
    return subprocess.run(
        [sys.executable, "-I", str(SCRIPT), *args, *names],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp,
    )


def test_the_auditor_script_checks_real_output(
    public: TestClient,
    engine: Engine,
    ctx: Context,
    office: Office,
    key_file: Path,
    tmp_path: Path,
) -> None:
    first, second = two_checkpoints(engine, ctx, office, key_file)
    listing = public.get("/api/v1/checkpoints").json()
    key, kept = listing["public_keys"][0], listing["checkpoints"][0]["note"]
    url = f"/api/v1/checkpoints/consistency?first={first}&second={second}"
    proof = public.get(url).json()
    done = audit(tmp_path, key=key, old=kept, consistency=proof)
    assert done.returncode == 0, done.stderr
    assert f"extends the kept {first}" in done.stdout
    done = audit(tmp_path, key=key["vkey"], old=kept, consistency=proof)  # a vkey line
    assert done.returncode == 0, done.stderr
    inclusion = public.get("/api/v1/checkpoints/inclusion?table=transition_record&id=2").json()
    done = audit(tmp_path, key=key, inclusion=inclusion)
    assert done.returncode == 0 and "transition_record 2 is entry" in done.stdout, done.stderr

    edited_proof = {**proof, "proof": ["00" * 32, *proof["proof"][1:]]}
    rejected: dict[str, dict[str, Any]] = {
        "an edited signature": {
            "key": key, "old": kept.replace(kept[-6:-2], "AAAA"), "consistency": proof
        },
        "an edited size": {
            "key": key, "old": kept.replace(f"\n{first}\n", f"\n{first - 1}\n"),
            "consistency": proof,
        },
        "another key": {
            "key": public_info(_other_key(tmp_path)), "old": kept, "consistency": proof
        },
        "an edited proof": {"key": key, "old": kept, "consistency": edited_proof},
        "an edited leaf": {"key": key, "inclusion": {**inclusion, "leaf": "11" * 32}},
    }
    for what, files in rejected.items():
        done = audit(tmp_path, **files)
        assert done.returncode == 1 and "REJECTED" in done.stderr, (what, done.stdout)

    # The server rewrites entry 1 and signs on with its real key: a fork of the kept log.
    with engine.begin() as conn:
        drop_guards(conn, ("log_leaf",))
        conn.exec_driver_sql(f"UPDATE log_leaf SET leaf = '{'ab' * 32}' WHERE seq = 1")
    grow(engine, ctx, office)
    forked = sign(engine, ctx, key_file)
    proof = public.get(f"/api/v1/checkpoints/consistency?first={first}&second={forked}").json()
    done = audit(tmp_path, key=key, old=kept, consistency=proof)
    assert done.returncode == 1, done.stdout
    assert f"does not extend the kept {first}" in done.stderr
    done = audit(tmp_path, "--old", "x", key=key)  # no proof given: a usage error
    assert done.returncode == 2


def _other_key(tmp: Path) -> Any:
    path = tmp / "other.key"
    init_key(path, name=NAME)
    return load_key(path)


def test_earlier_keys_are_published_from_the_setting(
    db_url: str, engine: Engine, ctx: Context, tmp_path: Path
) -> None:
    """A process without the key still publishes the keys listed in LOCALPLAN_VERIFIER_KEYS
    (rotated keys); a malformed entry is left out."""
    old = public_info(_other_key(tmp_path))
    settings = Settings(database_url=db_url, verifier_keys=[old["vkey"], "nonsense+00+AA=="])
    app = create_app(settings, engine=engine, clock=ctx.clock, calendar=ctx.calendar)
    with TestClient(app) as client:
        body = client.get("/api/v1/checkpoints").json()
        signing = client.get("/healthz").json()["signing"]
    assert body["public_keys"] == [old] and body["checkpoints"] == []
    assert signing["signs"] is False and signing["key_id"] is None


def test_a_real_serve_process_signs_and_publishes(tmp_path: Path) -> None:
    """`localplan scheduler --once` signs the day's checkpoint, `audit checkpoint` a later one;
    a real `localplan serve` with the key says it signs and serves both, and the script checks
    the proof it serves between them."""
    import os

    import httpx2

    from tests.api.test_serve_e2e import cli
    from tests.serve import ServeProcess

    key = tmp_path / "signing.key"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCALPLAN_")} | {
        "LOCALPLAN_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "LOCALPLAN_SIGNING_KEY_FILE": str(key),
        "LOCALPLAN_CHECKPOINT_TIME": "00:00",
    }
    steps = [
        ("demo",),
        ("keys", "init", "--name", NAME),
        ("scheduler", "--once"),  # the day's checkpoint
        ("holidays", "add", "2030-01-02", "--name", "วันหยุดพิเศษ", "--source", "มติ ครม."),
        ("audit", "checkpoint"),  # the log grew: signed on demand
    ]
    for args in steps:
        done = cli(env, *args)
        assert done.returncode == 0, (args, done.stderr)
    serve = ServeProcess(env, tmp_path / "serve.log")
    serve.start()
    try:
        with httpx2.Client(base_url=serve.base_url, timeout=10) as http:
            signing = http.get("/healthz").json()["signing"]
            listing = http.get("/api/v1/checkpoints").json()
            daily, later = (p["size"] for p in listing["checkpoints"])
            proof = http.get(f"/api/v1/checkpoints/consistency?first={daily}&second={later}")
    finally:
        serve.stop()
    assert signing["signs"] is True and signing["key_name"] == NAME
    kept = listing["checkpoints"][0]["note"]
    done = audit(tmp_path, key=listing["public_keys"][0], old=kept, consistency=proof.json())
    assert done.returncode == 0, done.stderr
