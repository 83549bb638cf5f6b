"""SQLite's WAL checkpoints behind the writer, in a long-running process (`localplan serve`,
`localplan scheduler`).

A commit in WAL mode appends the pages it changed to the -wal file; a checkpoint copies them
back into the database file and syncs both. SQLite runs one inside the commit that takes the
WAL past `wal_autocheckpoint` pages (1,000 by default): an approve step writes about 19 pages
(the plan and its two state indexes, the record and its four indexes, the history log's head
and entry, the outbox row and its two indexes), so every fiftieth or so commit paid a
checkpoint of several hundred pages and two syncs, about a quarter of the step's time on
average and 8-15 ms for the unlucky one (docs/benchmarks.md "Speed, sixth round: checkpoints").

Here a thread of the process runs `PRAGMA wal_checkpoint(PASSIVE)` on its own connection
shortly after commits, while the writer goes on: a passive checkpoint takes no lock a writer
or reader waits for, and copies what no reader still needs. The writers keep SQLite's own
checkpoint as a backstop at `BACKSTOP_PAGES`, for when the thread falls behind (a long read
holding old pages) or another process writes. What a commit guarantees is unchanged
(synchronous=NORMAL: a commit survives the process's crash; the checkpoint syncs the WAL
before it copies, as before).

The thread starts with the first commit after it was not running, and ends after `IDLE_S`
without one, or when the engine is disposed of: a process or test that keeps an engine
without writing keeps no thread.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

BACKSTOP_PAGES = 10_000  # the writers' own autocheckpoint with a thread behind (SQLite: 1,000)
GATHER_S = 0.02  # after a commit wakes the thread, the wait for more before it checkpoints
IDLE_S = 10.0  # the thread ends after this long without a commit


class Checkpointer:
    """The checkpoint thread of one SQLite database file (see the module's text)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.runs = 0  # checkpoints done, for tests and benches
        self._wake = threading.Event()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def nudge(self) -> None:
        """A commit happened: checkpoint soon (starting the thread if it is not running)."""
        self._wake.set()
        with self._guard:  # the thread decides to end under the guard, after a last look
            if self._thread is None and not self._stopping:
                self._thread = threading.Thread(
                    target=self._run, name="localplan-checkpoint", daemon=True
                )
                self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """End the thread now (the engine was disposed of); a later commit starts it again."""
        with self._guard:
            thread, self._stopping = self._thread, True
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        with self._guard:
            self._stopping = False

    def _run(self) -> None:
        try:
            # mode=rw: a database file removed meanwhile is not made anew, empty.
            conn = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None
            )
        except sqlite3.Error as err:
            log.warning("checkpoint thread of %s not started: %s", self.path, err)
            self._ended()
            return
        try:
            conn.execute("PRAGMA synchronous=NORMAL")
            while self._next():
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                self.runs += 1
        except sqlite3.Error as err:  # the writers' backstop goes on checkpointing
            log.warning("checkpoint thread of %s stopped: %s", self.path, err)
        finally:
            conn.close()
            self._ended()

    def _next(self) -> bool:
        """Wait for a commit, then a little more; False when the thread is to end."""
        woken = self._wake.wait(IDLE_S)
        with self._guard:  # nudge() looks at the thread under the guard, after its set()
            if self._stopping or not (woken or self._wake.is_set()):
                self._thread = None  # decided under the guard: a nudge now starts another
                return False
        time.sleep(GATHER_S)  # what commits meanwhile is copied by the same checkpoint
        self._wake.clear()  # a commit from now on wakes the thread for the next one
        return not self._stopping

    def _ended(self) -> None:
        with self._guard:
            if self._thread is threading.current_thread():
                self._thread = None
