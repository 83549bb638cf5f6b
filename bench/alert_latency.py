"""`alert_latency`: from an action's HTTP request to its alert in the recipient's inbox and in
the office's LINE group, through a real `localplan serve` with its scheduler on 127.0.0.1
(SQLite file, the periodic delivery tick at its default 60 s, so what arrives in seconds came by
the immediate path: api/immediate.py). The receivers are real: an aiosmtpd SMTP server and
the LINE stand-in of docs/line_receiver.py, reached through line-bot-sdk. Each round is the
staff's `submit` (mail to the committee) and the committee's `return_for_revision` with a
reason (mail to the staff) of one plan; the office's group gets both. Target: p95 ≤ 5 s.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from api.demo import seed
from bench.load import HOST, ROOT, START_TIMEOUT, free_port
from models.clock import SystemClock
from models.db import make_engine, upgrade
from models.enums import Role
from workflow.commands import Context
from workflow.policy import WorkflowPolicy

GROUP = "C" + "5" * 32
TARGET_P95 = 5.0


class Inbox:
    """aiosmtpd's handler: the arrival time of every message."""

    def __init__(self) -> None:
        self.arrivals: list[float] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        with self.lock:
            self.arrivals.append(time.monotonic())
        return "250 OK"


def _stand_in() -> Any:
    spec = importlib.util.spec_from_file_location(
        "line_receiver", ROOT / "docs" / "line_receiver.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["line_receiver"] = module
    spec.loader.exec_module(module)
    return module


def _call(base: str, path: str, token: str, body: dict[str, Any], method: str = "POST") -> Any:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read())


def _serve(workdir: Path, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).with_name("localplan")), "serve", "--host", HOST]
    with (workdir / "serve.log").open("ab") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)], env=env, cwd=ROOT, stdout=out, stderr=out
        )
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        assert process.poll() is None, (workdir / "serve.log").read_text()[-2000:]
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2):
                return process
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _wait(count: Any, before: int, began: float, timeout: float = 30.0) -> float:
    """Seconds from `began` until `count()` exceeds `before`."""
    while time.monotonic() - began < timeout:
        if count() > before:
            return time.monotonic() - began
        time.sleep(0.005)
    raise RuntimeError(f"no alert within {timeout} s")


def measure(rounds: int) -> tuple[list[float], list[float]]:
    """(e-mail latencies, LINE latencies) in seconds, two actions per round."""
    stand_in = _stand_in()
    receiver = stand_in.Receiver(token="bench-token")
    line_server = stand_in.start(receiver)
    inbox, smtp_port = Inbox(), free_port()
    smtp = Controller(inbox, hostname=HOST, port=smtp_port)
    smtp.start()
    with tempfile.TemporaryDirectory(prefix="localplan-alerts-") as tmp:
        workdir, port = Path(tmp), free_port()
        url = f"sqlite:///{workdir / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        demo = seed(engine, Context(WorkflowPolicy(), SystemClock()))
        engine.dispose()
        tokens = {role: token for _, role, token in demo.tokens}
        env = {
            **os.environ,
            "LOCALPLAN_DATABASE_URL": url,
            "LOCALPLAN_SMTP_HOST": HOST,
            "LOCALPLAN_SMTP_PORT": str(smtp_port),
            "LOCALPLAN_SMTP_STARTTLS": "false",
            "LOCALPLAN_LINE_CHANNEL_TOKEN": "bench-token",
            "LOCALPLAN_LINE_CHANNEL_SECRET": "bench-secret",
            "LOCALPLAN_LINE_API_HOST": f"http://{HOST}:{line_server.server_address[1]}",
            "LOCALPLAN_PUBLIC_URL": "https://localplan.example",
        }
        process = _serve(workdir, env, port)
        base = f"http://{HOST}:{port}"
        try:
            return _rounds(base, tokens, rounds, inbox, receiver, stand_in)
        finally:
            process.terminate()
            process.wait(timeout=20)
            smtp.stop()
            line_server.shutdown()


def _rounds(
    base: str, tokens: dict[Role, str], rounds: int, inbox: Inbox, receiver: Any, stand_in: Any
) -> tuple[list[float], list[float]]:
    status, _ = stand_in.post_events(
        base + "/api/v1/line/webhook", "bench-secret", [stand_in.event("join", group=GROUP)]
    )
    assert status == 200
    _call(
        base,
        f"/api/v1/admin/line/contacts/{GROUP}",
        tokens[Role.ADMIN],
        {"organization_code": "6660603"},
        "PUT",
    )
    plan = _call(
        base,
        "/api/v1/plans",
        tokens[Role.STAFF],
        {
            "kind": "annual",
            "trigger_kind": "annual_budget",
            "trigger_on": "2026-09-20",
            "fiscal_year_be": 2570,
            "title": "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2570",
        },
    )
    _wait(lambda: len(receiver.pushes), 0, time.monotonic(), 60)  # warm: the create's push
    time.sleep(0.5)
    mail, line = [], []
    version = plan["version"]
    steps = [("submit", Role.STAFF, None), ("return_for_revision", Role.COMMITTEE, "แก้งบโครงการ")]
    for _ in range(rounds):
        for action, role, comment in steps:
            mails, pushes = len(inbox.arrivals), len(receiver.pushes)
            body: dict[str, Any] = {"expected_version": version}
            if comment:
                body["comment"] = comment
            began = time.monotonic()
            version = _call(
                base, f"/api/v1/plans/{plan['id']}/actions/{action}", tokens[role], body
            )["version"]
            mail.append(_wait(lambda: len(inbox.arrivals), mails, began))
            line.append(_wait(lambda: len(receiver.pushes), pushes, began))
            time.sleep(0.3)  # every recipient's copy is out before the next action
    assert receiver.problems == [], receiver.problems
    return mail, line


def _p95(values: list[float]) -> float:
    return sorted(values)[max(math.ceil(0.95 * len(values)) - 1, 0)]  # nearest rank


def table(rounds: int) -> str:
    mail, line = measure(rounds)
    rows = [
        "### alert_latency",
        "",
        f"{2 * rounds} actions ({rounds} × submit, return_for_revision) through `localplan serve` "
        "with its scheduler (SQLite, delivery tick 60 s); from the request to the first e-mail "
        "in a local aiosmtpd server and to the push at the LINE stand-in (line-bot-sdk). "
        f"Target: p95 ≤ {TARGET_P95:.0f} s.",
        "",
        "| channel | median ms | p95 ms | max ms | target met |",
        "|---|---|---|---|---|",
    ]
    for name, values in (("e-mail", mail), ("LINE", line)):
        p95 = _p95(values)
        rows.append(
            f"| {name} | {statistics.median(values) * 1000:,.0f} | {p95 * 1000:,.0f} | "
            f"{max(values) * 1000:,.0f} | {'yes' if p95 <= TARGET_P95 else 'NO'} |"
        )
    return "\n".join(rows) + "\n"


def full() -> str:
    return table(20)


def quick() -> str:
    return table(3)
