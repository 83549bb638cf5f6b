"""Engine and session factory from a URL, and migrations applied on start."""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool
from sqlmodel import Session, SQLModel

from models.checkpoints import BACKSTOP_PAGES, Checkpointer
from models.fastsql import driver_sql
from models.revisions import MIGRATIONS, script_heads
from models.writer import IMMEDIATE, Writer

if TYPE_CHECKING:
    from alembic.config import Config

M = TypeVar("M", bound=SQLModel)
BUSY_SECONDS = 30
SQLITE_BUSY = 5  # sqlite3.SQLITE_BUSY (the module loads only with an SQLite engine)


_WRITERS: weakref.WeakKeyDictionary[Engine, Writer] = weakref.WeakKeyDictionary()


def writer_of(engine: Engine) -> Writer | None:
    """The engine's writer (an SQLite engine made by `make_engine`), or None."""
    return _WRITERS.get(engine)


def make_engine(url: str, *, pool_size: int = 5, checkpoint_behind: bool = False) -> Engine:
    """Build the engine. SQLite gets WAL, foreign keys, a busy timeout and `BEGIN IMMEDIATE`
    for write transactions, so two writers queue on the lock instead of failing on upgrade.

    `checkpoint_behind` (a long-running process's database file): WAL checkpoints run on a
    thread of their own after commits instead of inside one commit in fifty
    (models/checkpoints.py)."""
    if url.startswith("sqlite"):
        path = _create_private(url)
        engine = create_engine(
            url, connect_args={"timeout": BUSY_SECONDS, "check_same_thread": False}
        )
        # A file's pool (QueuePool) is one database for every thread; ":memory:" is one a thread.
        keeps = isinstance(engine.pool, QueuePool)
        behind = Checkpointer(path) if checkpoint_behind and keeps and path else None
        _configure_sqlite(engine, backstop=behind is not None)
        _WRITERS[engine] = Writer(keeps=keeps, busy_ms=BUSY_SECONDS * 1000, behind=behind)
        return engine
    return create_engine(url, pool_size=pool_size, pool_pre_ping=True)


def _create_private(url: str) -> Path | None:
    """Create a new SQLite file readable and writable by its owner only (0600): it holds
    password hashes and every plan. SQLite gives the -wal and -shm files the database file's
    mode. An existing file keeps the mode its owner gave it. The file's path (None: in
    memory, or named by a URI)."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = Path(database)
    if path.exists() or not path.parent.is_dir():
        return path  # a missing folder: SQLite's own error says so on connect
    with suppress(FileExistsError):  # made by another process just now
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def _configure_sqlite(engine: Engine, *, backstop: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if backstop:  # a thread checkpoints behind the writers (models/checkpoints.py)
            cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        driver_sql(conn, "BEGIN IMMEDIATE" if immediate else "BEGIN")  # the hot path: no context

    @event.listens_for(engine, "engine_disposed")
    def _on_disposed(disposed: Engine) -> None:
        writer = writer_of(disposed)
        if writer is not None:
            writer.disposed()


class WriteUnit:
    """A write transaction: its connection, and an ORM session on that connection made only
    when a step asks for one (`session()`). The command path reads and writes through the
    connection alone (`models.store`), so an action pays for no `Session` it does not use
    (docs/benchmarks.md "Speed, fourth round"); a session made is flushed before the commit."""

    __slots__ = ("_session", "conn")

    def __init__(self, conn: Connection, session: Session | None = None) -> None:
        self.conn = conn
        self._session = session

    def session(self) -> Session:
        """The ORM session of this transaction (made on first use, joining it)."""
        if self._session is None:
            self._session = Session(
                bind=self.conn, expire_on_commit=False, join_transaction_mode="rollback_only"
            )
        return self._session

    def flush(self) -> None:
        """Write the session's pending changes, if a session was made and has any."""
        found = self._session
        if found is not None and (found.new or found.dirty or found.deleted):
            found.flush()


Tx = Session | WriteUnit  # what a command runs in: a write session, or a unit without one


def unit_of(tx: Tx) -> WriteUnit:
    """The unit of a command's transaction (a session's: its connection and itself)."""
    return tx if isinstance(tx, WriteUnit) else WriteUnit(tx.connection(), tx)


class WriterBusy(Exception):
    """A write asked for now (`write_now`) found SQLite's writer busy: this process's lock
    held or queued for, or the file's lock held by another process. Nothing was written; the
    caller runs it where waiting is harmless (the writer thread, api/deps.py)."""


_NOW: ContextVar[bool] = ContextVar("localplan_write_now", default=False)


@contextmanager
def write_now() -> Iterator[None]:
    """The write units opened inside take SQLite's writer only if it is free at once, else
    raise `WriterBusy` before writing anything: for a write run on the event loop, which must
    never wait for a lock (api/deps.py `Services.write`). No effect on PostgreSQL."""
    token = _NOW.set(True)
    try:
        yield
    finally:
        _NOW.reset(token)


def _locked_out(error: DBAPIError) -> bool:
    """SQLite's SQLITE_BUSY: another process holds the file's write lock."""
    code = getattr(error.orig, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == SQLITE_BUSY  # and its extended codes


@contextmanager
def write_unit(engine: Engine) -> Iterator[WriteUnit]:
    """A write transaction that takes the write lock at once (SQLite) and commits at the end,
    with no ORM session unless a step makes one.

    On SQLite the process's writers first queue on one lock per engine and write on the
    connection it keeps (see `Writer`); on PostgreSQL row locks do the same job per plan, and
    each transaction takes a connection from the pool. Inside `write_now`, a writer that is
    not free at once raises `WriterBusy`.
    """
    writer = writer_of(engine)
    now = writer is not None and writer.keeps and _NOW.get()
    # Bounded, so a mistaken nested write session falls back to SQLite's busy timeout.
    locked = writer is not None and writer.lock.acquire(timeout=0 if now else BUSY_SECONDS)
    if now and not locked:
        raise WriterBusy
    try:
        if writer is None or not locked or not writer.keeps:
            with engine.connect() as conn:
                yield from _unit(conn.execution_options(**{IMMEDIATE: True}))
            return
        try:
            yield from _unit(writer.take(engine, wait=not now))
        except DBAPIError as error:
            writer.retire()
            if now and _locked_out(error):
                raise WriterBusy from error
            raise
        except BaseException:
            writer.retire()
            raise
        if writer.behind is not None:
            writer.behind.nudge()  # committed: its pages are checkpointed behind
        if writer.stale:
            writer.close()
    finally:
        if locked:
            assert writer is not None
            writer.lock.release()


def _unit(conn: Connection) -> Iterator[WriteUnit]:
    """The transaction of a write unit on `conn`: begun (IMMEDIATE), committed at the end."""
    with conn.begin():
        unit = WriteUnit(conn)
        try:
            yield unit
            unit.flush()
        finally:
            if unit._session is not None:
                unit._session.close()


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction takes the write lock at once (SQLite) and commits at the end.

    The session joins a transaction begun on its connection (`write_unit`), which commits at
    the end: half the overhead of a session that begins and commits its own.
    """
    with write_unit(engine) as unit:
        session = unit.session()
        yield session
        session.flush()


def from_row(model: type[M], values: dict[str, Any]) -> M:
    """An object holding a row's values (read with Core), made as the ORM's loading makes one:
    the model's __init__ would validate and instrument every value again, which cost more
    than the query in the hot read paths. It belongs to no session: read it, don't add it."""
    _mappers_configured()
    obj: M = manager_of_class(model).new_instance()
    obj.__dict__.update(values)  # a new instance has no history: its dict is its state
    return obj


@lru_cache(maxsize=1)
def _mappers_configured() -> None:
    configure_mappers()  # once: the ORM may not have loaded anything yet in this process


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def database_heads(engine: Engine) -> frozenset[str]:
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:  # no alembic_version table yet: an empty database
        return frozenset()
    return frozenset(rows)


def migrations_current(engine: Engine) -> bool:
    return database_heads(engine) == script_heads()


def upgrade(engine: Engine) -> None:
    """Apply every migration up to head (idempotent; Alembic is loaded only when needed)."""
    if migrations_current(engine):
        return
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
