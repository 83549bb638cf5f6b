"""A real `localplan serve` process on 127.0.0.1 for end-to-end, browser and fault tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2

LOCALPLAN = str(Path(sys.executable).with_name("localplan"))
# seconds: a generous bound, since a machine saturated by the rest of the suite (load 18 in
# helpers' runs) once took over 30 s to start a server; the startup limit itself (serve ≤ 2 s)
# is tests/cli/test_startup.py's, on a quiet process. LOCALPLAN_TEST_START_TIMEOUT overrides.
START_TIMEOUT = float(os.environ.get("LOCALPLAN_TEST_START_TIMEOUT", "90"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServeProcess:
    """`localplan serve --no-scheduler` on a free port; its output goes to `log`."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    @classmethod
    def for_database(cls, url: str, workdir: Path) -> ServeProcess:
        workdir.mkdir(parents=True, exist_ok=True)
        return cls({**os.environ, "LOCALPLAN_DATABASE_URL": url}, workdir / "serve.log")

    def start(self) -> None:
        """Spawn the process and wait (bounded) until /healthz answers 200."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    LOCALPLAN,
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--no-scheduler",
                ],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if httpx2.get(f"{self.base_url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline, (
                f"not up in {START_TIMEOUT}s: {self.log.read_text()}"
            )
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, as a crash would be."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM and wait; SIGKILL if it does not stop in time."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
