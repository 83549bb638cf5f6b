"""What the `http` and `memory` benches share: a server process on 127.0.0.1, API tokens for
the dataset's people, and wrk driving plan actions with a Lua script.

The script gives each wrk thread its own plans (thread t of T takes the office's plans
t, t + T, t + 2T, …), so no two requests ever act on the same plan at once: `submit` with
expected_version 1 on every plan first, then the committee's `approve` with expected_version 2
on the same plans. Every response that is not 2xx counts as an error.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from models.clock import SystemClock
from models.enums import Role
from workflow import uow
from workflow.account_admin import issue_token

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # the only address these benches ever target
START_TIMEOUT = 120.0

LUA = r"""
local threads, created = {}, 0

function setup(thread)
  thread:set("tid", created)
  table.insert(threads, thread)
  created = created + 1
end

function init(args)
  mode, nthreads, first, count = args[1], tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
  staff, committee, stop_after = args[5], args[6], tonumber(args[7])
  n, answered, bad, checked = 0, 0, 0, false
end

function request()
  if mode == "trivial" then
    return wrk.format("GET", "/bench/trivial")
  end
  local k = tid + nthreads * n
  -- wrk calls the first thread's request() once before the run to check what it returns and
  -- never sends that request: it must not use up a plan, or that plan's approve (once the
  -- run is fast enough to reach it) finds it never submitted and is answered 409.
  if tid == 0 and not checked then
    checked = true
  else
    n = n + 1
  end
  local plan = (first + k % count) * 10  -- the first office has the plans 10, 20, 30, ...
  local action, token, version = "submit", staff, 1
  if k >= count then action, token, version = "approve", committee, 2 end
  return wrk.format("POST", "/api/v1/plans/" .. plan .. "/actions/" .. action,
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"},
    '{"expected_version": ' .. version .. '}')
end

function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
  answered = answered + 1
  if stop_after > 0 and answered == stop_after then
    io.write("THREAD DONE\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local non2xx = 0
  for _, thread in ipairs(threads) do non2xx = non2xx + thread:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d %d\n", summary.requests,
    summary.duration, e.connect, e.read, e.write, e.timeout, non2xx,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True)
class Tokens:
    staff: str
    committee: str


def issue_tokens(engine: Engine) -> Tokens:
    """One API token for the first office's staff and one for its committee (bench.dataset)."""
    clock = SystemClock()  # the server checks expiry against the real clock

    def token(username: str) -> str:
        issued = uow.run(
            engine,
            clock,
            lambda s: issue_token(
                s, username=username, clock=clock, lifetime=timedelta(days=1), label="bench"
            ),
        )
        return issued.token

    return Tokens(token(Role.STAFF.value), token(Role.COMMITTEE.value))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(command: list[str], *, database: Path, port: int, log: Path) -> Iterator[int]:
    """Run `command` (a server on HOST:port over the SQLite file) until /healthz answers;
    yields its pid and stops it on the way out."""
    env = {**os.environ, "LOCALPLAN_DATABASE_URL": f"sqlite:///{database}"}
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not up in {START_TIMEOUT:.0f} s")
            time.sleep(0.05)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def uvicorn_command(port: int) -> list[str]:
    """bench.http_app on one uvicorn process, logging as `localplan serve` does (info)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "bench.http_app:app",
        "--host",
        HOST,
        "--port",
        str(port),
        "--log-level",
        "info",
    ]


def serve_command(port: int) -> list[str]:
    localplan = str(Path(sys.executable).with_name("localplan"))
    return [localplan, "serve", "--host", HOST, "--port", str(port), "--no-scheduler"]


@dataclass(frozen=True)
class Plans:
    """The office's plans wrk acts on: indexes first … first + count - 1 (plan id = 10 × index),
    submitted first, then approved."""

    first: int
    count: int


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    connect: int
    read: int
    write: int
    timeouts: int
    non2xx: int
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def errors(self) -> int:
        return self.connect + self.read + self.write + self.non2xx


def wrk(
    workdir: Path,
    port: int,
    *,
    mode: str,
    seconds: float,
    plans: Plans = Plans(1, 1),
    tokens: Tokens = Tokens("-", "-"),
    connections: int = 32,
    threads: int = 2,
    stop_after_per_thread: int = 0,
) -> WrkResult:
    """Run wrk for `seconds` (or until each thread had `stop_after_per_thread` answers)."""
    script = workdir / "actions.lua"
    script.write_text(LUA, encoding="utf-8")
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "2s",
        "-s",
        str(script),
        f"http://{HOST}:{port}/",
        "--",
        mode,
        str(threads),
        str(plans.first),
        str(plans.count),
        tokens.staff,
        tokens.committee,
        str(stop_after_per_thread),
    ]
    lines = _run_wrk(command, seconds + 60, threads if stop_after_per_thread else 0)
    line = next((x for x in lines if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError("wrk failed: " + "\n".join(lines))
    n = [int(x) for x in line.split()[1:]]
    return WrkResult(
        n[0], n[1] / 1e6, n[2], n[3], n[4], n[5], n[6], n[7] / 1e3, n[8] / 1e3, n[9] / 1e3
    )


def _run_wrk(command: list[str], timeout: float, threads_to_finish: int) -> list[str]:
    """wrk's output lines. wrk sleeps for its whole duration even when every thread has
    stopped, so once `threads_to_finish` threads said so it is interrupted (SIGINT makes it
    report and exit)."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for text in process.stdout:
            lines.put(text.rstrip("\n"))
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen: list[str] = []
    finished = 0
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                text = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise RuntimeError(f"wrk still running after {timeout:.0f} s") from None
            if text is None:
                break
            seen.append(text)
            if text == "THREAD DONE":
                finished += 1
                if finished == threads_to_finish:
                    process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        reader.join(timeout=10)
    return seen
