"""SQLite's writer in this process: a lock taken in arrival order, and the connection its
holder writes on (models.db.write_unit)."""

from __future__ import annotations

import threading
from collections import deque

from sqlalchemy import Connection, Engine
from sqlalchemy.pool import PoolProxiedConnection

from models.checkpoints import Checkpointer

IMMEDIATE = "localplan_immediate"  # the execution option: begin the transaction IMMEDIATE


class FifoLock:
    """A lock acquired in arrival order, with a bounded wait (threading.Lock lets a newcomer
    overtake threads that waited long, which left some requests waiting seconds under load)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._guard:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        if turn.acquire(timeout=timeout):
            return True  # handed over by release()
        with self._guard:
            try:
                self._waiters.remove(turn)
            except ValueError:  # handed over just as the wait ended: ours after all
                return True
            return False

    def release(self) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().release()  # still held: now by the next in line
            else:
                self._held = False


class Writer:
    """An SQLite engine's writer: one lock the process's writers queue on in turn (instead of
    polling SQLite's file lock: its busy handler sleeps and retries, up to 100 ms a time, which
    made a long tail and wasted the lock under concurrent requests; other processes still meet
    the file lock and the busy timeout), and, for a database file, the pool connection its
    holder writes on.

    That connection stays checked out between write transactions: a transaction on it skips
    the pool's checkout, its return and the rollback that resets it (docs/benchmarks.md
    "Speed, fifth round: writepath"). Only the lock's holder uses it; a transaction that ends
    in an error gives it back to the pool (reset there), and disposing of the engine closes it
    (a connection checked out keeps its pool and engine alive: an engine is disposed of when
    done with, as every owner of one here does).
    """

    __slots__ = ("_conn", "behind", "busy_ms", "held", "keeps", "lock", "stale", "waits")

    def __init__(
        self, *, keeps: bool, busy_ms: int, behind: Checkpointer | None = None
    ) -> None:
        self.lock = FifoLock()
        self.keeps = keeps  # False: a pool of one database per thread (":memory:")
        self.busy_ms = busy_ms  # SQLite's busy timeout of the engine's connections
        self.behind = behind  # the thread checkpointing behind the writers, if any
        self.held: PoolProxiedConnection | None = None
        self._conn: Connection | None = None  # the Connection on `held`, made once for it
        self.waits = True  # the held connection waits out another process's lock (busy_ms)
        self.stale = False  # the engine was disposed while the lock was held

    def take(self, engine: Engine, *, wait: bool = True) -> Connection:
        """A connection on the held pool connection (checked out on first use). Lock held.
        `wait` False: SQLite's file lock, held by another process, fails the transaction's
        BEGIN at once (SQLITE_BUSY) instead of after up to the busy timeout."""
        if self.stale:
            self.close()
        if self.held is None:
            self.held, self.waits = engine.raw_connection(), True
            self._conn = Connection(engine, connection=self.held).execution_options(
                **{IMMEDIATE: True}
            )
        if wait is not self.waits:  # set on a change only: a statement
            self._busy_timeout(self.held, self.busy_ms if wait else 0)
            self.waits = wait
        assert self._conn is not None
        return self._conn

    @staticmethod
    def _busy_timeout(held: PoolProxiedConnection, ms: int) -> None:
        cursor = held.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(ms)}")
        finally:
            cursor.close()

    def retire(self) -> None:
        """Give the held connection back to the pool (its reset ends any transaction left),
        waiting out other processes' locks again as every pool connection does."""
        held, self.held, self._conn = self.held, None, None
        if held is None:
            return
        if not self.waits:
            try:
                self._busy_timeout(held, self.busy_ms)
            except Exception:  # a connection that cannot take a PRAGMA is not pooled again
                held.invalidate()
                return
        held.close()

    def close(self) -> None:
        """Close the held connection (it belongs to a disposed pool)."""
        held, self.held, self._conn, self.stale = self.held, None, None, False
        if held is not None:
            held.invalidate()

    def disposed(self) -> None:
        """The engine's pool was disposed: close the held connection, now or (if a writer
        holds the lock) when its transaction ends, and end the checkpoint thread."""
        if self.behind is not None:
            self.behind.stop()
        if self.lock.acquire(timeout=0):
            try:
                self.close()
            finally:
                self.lock.release()
        else:
            self.stale = True
