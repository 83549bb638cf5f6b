"""Where an action's command runs (api/deps.py `Services.write`): on SQLite a quick one runs on
the event loop, in the thread that looked the caller's token up, when the writer is free; it
goes to the writer thread when another write holds the writer, and so does a command that
renders papers (announce). On PostgreSQL every command runs in the thread pool. The answers
are the same wherever it ran."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from models.clock import FixedClock
from models.db import write_unit, writer_of
from models.enums import Role
from tests.api.conftest import Team, act, create_plan, on


class Threads:
    """The thread of each statement the server ran, by the statement's first words."""

    def __init__(self, engine: Engine) -> None:
        self.seen: list[tuple[str, int]] = []
        event.listen(engine, "before_cursor_execute", self._before)

    def _before(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        self.seen.append((statement, threading.get_ident()))

    def clear(self) -> None:
        self.seen.clear()

    def of(self, start: str) -> set[int]:
        return {ident for statement, ident in self.seen if statement.startswith(start)}


RECORD = "INSERT INTO transition_record"


def _sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _loop(client: TestClient) -> int:
    """The thread of the app's event loop."""
    portal = client.portal
    assert portal is not None
    return int(portal.call(threading.get_ident))


def test_a_quick_action_runs_on_the_loop_when_the_writer_is_free(
    client: TestClient, home: Team, engine: Engine
) -> None:
    plan_id = create_plan(client, home)
    threads = Threads(engine)
    response = act(client, home, Role.STAFF, plan_id, "submit")
    assert response.status_code == 200 and response.json()["state"] == "committee_review"
    record = threads.of(RECORD)
    assert len(record) == 1
    if _sqlite(engine):
        assert record == {_loop(client)}  # the whole request on one thread
    else:
        assert _loop(client) not in record  # PostgreSQL: the thread pool


def test_a_quick_action_waits_on_the_writer_thread_while_another_write_holds_it(
    client: TestClient, home: Team, engine: Engine
) -> None:
    plan_id = create_plan(client, home)
    threads = Threads(engine)
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:  # another write of this process (the sweep, a delivery) under way
        with write_unit(engine):
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(10)
    answered: list[Any] = []
    asking = threading.Thread(
        target=lambda: answered.append(act(client, home, Role.STAFF, plan_id, "submit"))
    )
    asking.start()
    asking.join(0.5)
    still_waiting = asking.is_alive()
    release.set()
    holder.join(10)
    asking.join(10)
    assert answered and answered[0].status_code == 200
    assert answered[0].json()["version"] == 2
    if _sqlite(engine):
        assert still_waiting  # it waited its turn (and the loop went on serving)
    assert _loop(client) not in threads.of(RECORD)  # on the writer thread (or the pool)
    writer = writer_of(engine)
    if writer is not None:
        assert writer.lock.acquire(timeout=0)  # left free
        writer.lock.release()


def test_announcing_renders_its_papers_off_the_loop(
    client: TestClient, home: Team, engine: Engine, clock: FixedClock
) -> None:
    plan_id = create_plan(client, home)
    assert act(client, home, Role.STAFF, plan_id, "submit").status_code == 200
    assert act(client, home, Role.COMMITTEE, plan_id, "approve").status_code == 200
    threads = Threads(engine)
    announced = act(
        client, home, Role.EXECUTIVE, plan_id, "announce", effective_on=on(clock, date(2018, 9, 21))
    )
    assert announced.status_code == 200, announced.text
    assert announced.json()["state"] == "announced"
    assert len(threads.of(RECORD)) == 1 and _loop(client) not in threads.of(RECORD)
