"""What every command shares: one-line failures, the settings and the migrated database, a
command run in one transaction, a read session, the operator as an actor.

Nothing heavy is imported here at module level (docs/architecture.md, "Start-up"): each
helper imports SQLAlchemy, the settings or the workflow when it is called.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

from models.enums import Role

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from api.settings import Settings
    from models.clock import Clock
    from workflow.actors import Actor
    from workflow.errors import DomainError

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr and a non-zero exit."""
    typer.echo(f"localplan: {message}", err=True)
    raise typer.Exit(code)


def fail_domain(error: DomainError) -> NoReturn:
    """A refused command: its code and every reason (English / Thai) on one line."""
    text = "; ".join(f"{r.code}: {r.en} / {r.th}" for r in error.reasons)
    where = getattr(error, "field", "")  # an input rule names the option it refused
    fail(f"{error.code}{f' ({where})' if where else ''}: {text}")


def parse_date(raw: str) -> date:
    """An ISO date given on the command line, or a one-line failure."""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        fail(f"not a date (YYYY-MM-DD): {raw!r}")


def parse_choice(kind: type[E], raw: str, message: str) -> E:
    """One member of a string enum, or the one-line failure `message`."""
    try:
        return kind(raw)
    except ValueError:
        fail(message)


def settings() -> Settings:
    from api.settings import Settings

    return Settings()


_OPENED: list[Engine] = []


def engine(cfg: Settings, *, long_running: bool = False) -> Engine:
    """The database, migrated to head first (applied automatically on first start).
    `long_running` (serve, the scheduler): SQLite's checkpoints on a thread behind the
    writers (models/checkpoints.py)."""
    from sqlalchemy.exc import OperationalError

    from models.db import make_engine, upgrade

    built = make_engine(
        cfg.database_url, pool_size=cfg.db_pool_size, checkpoint_behind=long_running
    )
    _OPENED.append(built)
    try:
        upgrade(built)
    except OperationalError as err:
        fail(f"database unavailable: {err.orig}")
    return built


def database() -> Engine:
    """The database of the settings from the environment, migrated to head."""
    return engine(settings())


def close_engines() -> None:
    """Close every pooled connection when a command ends (also under the test runner)."""
    while _OPENED:
        _OPENED.pop().dispose()


class Reported:
    """`with Reported():` turns a refused command (a DomainError) into its one line on stderr
    and exit 2; other exceptions pass. A class whose `__exit__` returns None, so type checkers
    know it swallows nothing (and `run` needs no return after the block)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if error is None:
            return
        from workflow.errors import DomainError

        if isinstance(error, DomainError):
            fail_domain(error)


def run(
    command: Callable[[Session], T], *, clock: Clock | None = None, cfg: Settings | None = None
) -> T:
    """Run a command in one transaction (`workflow.uow.run`) on the system clock unless given;
    a refusal is reported as one line."""
    from models.clock import SystemClock
    from workflow import uow

    with Reported():
        return uow.run(engine(cfg or settings()), clock or SystemClock(), command)


@contextmanager
def session(cfg: Settings | None = None) -> Iterator[Session]:
    """A read session on the database of the settings."""
    from sqlmodel import Session

    with Session(engine(cfg or settings())) as opened:
        yield opened


def operator() -> Actor:
    """The person at the terminal: an admin named after their login."""
    import getpass

    from workflow.actors import Actor

    return Actor(user_id=None, username=f"cli:{getpass.getuser()}", role=Role.ADMIN)
