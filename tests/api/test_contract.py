"""The contract holds: `schemathesis run --checks all` against one real `localplan serve`
(uvicorn, a demo database), with each role's token, finds 0 failures (docs/api.md "The
contract"). Bounded for CI: a fixed seed and a few examples an operation; raise them for a
deeper hunt with LOCALPLAN_CONTRACT_EXAMPLES and LOCALPLAN_CONTRACT_SEED."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.api.test_serve_e2e import cli
from tests.serve import ServeProcess

pytestmark = pytest.mark.slow
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
EXAMPLES = os.environ.get("LOCALPLAN_CONTRACT_EXAMPLES", "5")
SEED = os.environ.get("LOCALPLAN_CONTRACT_SEED", "2562")
ROLES = ("staff", "committee", "executive", "monitoring_committee", "auditor", "admin")
# The coverage phase (every parameter's boundary and wrong-type values, deterministic) is
# most of a run's time: 95 s of staff's 124 s on a quiet machine. It runs for the roles whose
# requests get furthest past authorization: staff (every write of a draft), auditor (the
# cross-organization reads) and admin (users, organizations, outbox). Committee, executive
# and the monitoring committee are refused (403) on most operations and reach the same
# handlers and core rules as staff on the rest, so they run the examples, fuzzing and
# stateful phases: about 40 s less each per CI run.
PHASES = {
    "committee": "examples,fuzzing,stateful",
    "executive": "examples,fuzzing,stateful",
    "monitoring_committee": "examples,fuzzing,stateful",
}
ALL_PHASES = "examples,coverage,fuzzing,stateful"
RUN_TIMEOUT = 600
CONFIG = Path(__file__).with_name("schemathesis.toml")  # the exceptions, each explained


@dataclass
class Served:
    base_url: str
    tokens: dict[str, str]  # role → the bearer token `localplan demo` printed
    workdir: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for every role's run on this worker (seeding and starting it take about
    30 s under load); the runs are separate tests so pytest-xdist spreads them."""
    workdir = tmp_path_factory.mktemp("contract")
    env = {**os.environ, "LOCALPLAN_DATABASE_URL": f"sqlite:///{workdir / 'demo.db'}"}
    seeded = cli(env, "demo")
    assert seeded.returncode == 0, seeded.stderr
    tokens: dict[str, str] = {}  # the first token printed for each role (the demo's clerk
    for line in seeded.stdout.splitlines():  # also holds staff; its line comes after)
        if len(parts := line.split()) == 3 and parts[2].startswith("lp_"):
            tokens.setdefault(parts[0], parts[2])
    assert set(tokens) == set(ROLES), seeded.stdout
    serve = ServeProcess(env, workdir / "serve.log")
    try:
        serve.start()
        yield Served(serve.base_url, tokens, workdir)
    finally:
        serve.stop()


def contract_command(base_url: str, token: str, phases: str = ALL_PHASES) -> list[str]:
    """The command docs/api.md gives, bounded for CI."""
    return [
        SCHEMATHESIS,
        "--config-file",
        str(CONFIG),
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        "all",
        "--phases",
        phases,
        "--header",
        f"Authorization: Bearer {token}",
        "--seed",
        SEED,
        "--max-examples",
        EXAMPLES,
        "--workers",
        "1",
        "--request-timeout",
        "30",
        # A plan book rendered on request (a version no announcement stored) takes seconds
        # of CPU, more with the suite beside it; the default limit is 10 s.
        "--max-response-time",
        "30",
        "--no-color",
    ]


def _summary(output: str) -> str:
    """Each failing operation with its checks and the first line of the answer, then the
    totals: enough to tell the failures apart; the whole output is kept in a file."""
    keep = []
    for line in output.splitlines():
        text = line.strip()
        if (
            re.fullmatch(r"_{3,} .+ _{3,}", text)
            or text.startswith(("- ST", "[4", "[5"))
            or re.fullmatch(r"={3,} .+ ={3,}", text)
        ):
            keep.append(text.strip("_ ") if text.startswith("_") else text)
        elif detail := re.search(r'"detail":"([^"]*)"', text):
            keep.append(f"  {detail.group(1)}")
    return "\n".join(keep[-60:]) or output[-3000:]


@pytest.mark.parametrize("role", ROLES)
def test_schemathesis_finds_no_failure(served: Served, role: str) -> None:
    """One run for this role against the worker's server; its output is kept beside the
    server's log, and the message names the failing operations with their checks."""
    done = subprocess.run(
        contract_command(served.base_url, served.tokens[role], PHASES.get(role, ALL_PHASES)),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
        cwd=served.workdir,  # its report folder stays out of the tree
    )
    output = done.stdout + done.stderr
    (served.workdir / f"schemathesis-{role}.txt").write_text(output)
    assert done.returncode == 0, f"== {role} ({served.workdir})\n{_summary(output)}"
