"""Hand edits of the history tables beside the chains: deadline extensions, calendar changes
(and the holiday overlay they make) and refused attempts. Each kind of edit (deletion, edit,
insertion past the log, reordering) of each table is found: by `audit verify` comparing the
rows with the chains and with each other, and by the log (`workflow.log.verify_log`) for what
only it holds (docs/integrity.md "What verification finds")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from models.clock import FixedClock
from tests.factories import Office
from tests.workflow.verify_world import Found, World, build, found, tamper
from workflow import log, uow
from workflow.checkpoints import new_private_key, public_key_of
from workflow.commands import Context
from workflow.log import SigningKey

KEY = SigningKey("localplan.test/verify", new_private_key())
PUBLIC = {KEY.name: public_key_of(KEY.private_key)}
LogFound = set[tuple[str, str | None, int | None]]


@pytest.fixture
def world(engine: Engine, ctx: Context, office: Office) -> World:
    return build(engine, ctx, office)


def logged(engine: Engine) -> LogFound:
    with Session(engine) as s:
        return {(f.problem, f.table, f.row_id) for f in log.verify_log(s, public_keys=PUBLIC)}


def checkpoint(engine: Engine, clock: FixedClock) -> None:
    uow.run(engine, clock, lambda s: log.sign_checkpoint(s, key=KEY, clock=clock))


def unlogged(engine: Engine, table: str, sql: str) -> None:
    """Insert with the table's log trigger dropped: a row the log never held."""
    on = f" ON {table}" if engine.dialect.name == "postgresql" else ""
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_log{on}")
        conn.exec_driver_sql(sql)


def column(engine: Engine, table: str, name: str, ids: tuple[int, int]) -> list[object]:
    """The column's values of the rows `ids`, in that order."""
    with engine.connect() as conn:
        query = f"SELECT {name} FROM {table} WHERE id IN {ids} ORDER BY id"
        return [value for (value,) in conn.exec_driver_sql(query)]


def overlay_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT id FROM holiday_overlay").scalar_one())


# --- deadline extensions --------------------------------------------------------------------

EXT = ("deadline_extension",)


def test_an_edited_extension_reason_or_date_is_found(engine: Engine, world: World) -> None:
    first, second = world.extensions
    tamper(engine, f"UPDATE deadline_extension SET reason = 'ไม่มี' WHERE id = {first}", tables=EXT)
    assert found(engine) == {("field_mismatch", "deadline_extension", first, "reason")}
    tamper(
        engine,
        f"UPDATE deadline_extension SET new_due_on = '2030-01-01' WHERE id = {second}",
        tables=EXT,
    )
    assert ("field_mismatch", "deadline_extension", second, "new_due_on") in found(engine)


def test_a_deleted_extension_is_found(engine: Engine, world: World) -> None:
    tamper(engine, f"DELETE FROM deadline_extension WHERE id = {world.extensions[1]}", tables=EXT)
    assert found(engine) == {("row_missing", "deadline_extension", None, None)}
    assert logged(engine) == {("row_deleted", "deadline_extension", world.extensions[1])}


def test_an_extension_inserted_past_the_log_is_found(engine: Engine, world: World) -> None:
    unlogged(
        engine,
        "deadline_extension",
        "INSERT INTO deadline_extension (id, deadline_id, record_id, previous_due_on, "
        f"new_due_on, reason, recorded_at) SELECT 900, {world.clock}, id, '2018-10-20', "
        f"'2030-01-01', 'ปลอม', recorded_at FROM transition_record WHERE plan_id = "
        f"{world.extended} AND seq = 1",
    )
    assert found(engine) == {("row_unrecorded", "deadline_extension", 900, None)}
    assert logged(engine) == {("row_not_logged", "deadline_extension", 900)}


def test_reordered_extensions_are_found(engine: Engine, world: World) -> None:
    """The two extensions' contents swapped: each row now says what the other record did."""
    first, second = world.extensions
    one, other = column(engine, "deadline_extension", "record_id", world.extensions)
    tamper(
        engine,
        f"UPDATE deadline_extension SET record_id = CASE id WHEN {first} THEN {other} "
        f"ELSE {one} END WHERE id IN ({first}, {second})",
        tables=EXT,
    )
    assert found(engine) == {
        ("field_mismatch", "deadline_extension", row, name)
        for row in (first, second)
        for name in ("previous_due_on", "new_due_on")
    }


# --- calendar changes and the holiday overlay -----------------------------------------------

CAL = ("calendar_change",)


def test_a_deleted_calendar_change_is_found(engine: Engine, world: World) -> None:
    ov = overlay_id(engine)
    tamper(engine, f"DELETE FROM calendar_change WHERE id = {world.changes[1]}", tables=CAL)
    assert found(engine) == {("field_mismatch", "holiday_overlay", ov, "name")}
    assert logged(engine) == {("row_deleted", "calendar_change", world.changes[1])}
    tamper(engine, f"DELETE FROM calendar_change WHERE id = {world.changes[0]}", tables=CAL)
    assert found(engine) == {("row_unrecorded", "holiday_overlay", ov, None)}


def test_an_edited_calendar_change_is_found(engine: Engine, world: World) -> None:
    ov = overlay_id(engine)
    tamper(
        engine, f"UPDATE calendar_change SET source = 'x' WHERE id = {world.changes[1]}", tables=CAL
    )
    assert found(engine) == {("field_mismatch", "holiday_overlay", ov, "source")}


def test_a_calendar_change_inserted_past_the_log_is_found(
    engine: Engine, world: World
) -> None:
    """A forged `clear` of the day: the stored overlay no longer follows from the changes."""
    unlogged(
        engine,
        "calendar_change",
        "INSERT INTO calendar_change (id, day, change, name, source, actor_username, "
        "recorded_at, moved) SELECT 900, day, 'clear', name, source, actor_username, "
        f"recorded_at, '[]' FROM calendar_change WHERE id = {world.changes[1]}",
    )
    assert found(engine) == {("row_unrecorded", "holiday_overlay", overlay_id(engine), None)}
    assert logged(engine) == {("row_not_logged", "calendar_change", 900)}


def test_reordered_calendar_changes_are_found(engine: Engine, world: World) -> None:
    first, second = world.changes
    one, other = column(engine, "calendar_change", "name", world.changes)
    tamper(
        engine,
        f"UPDATE calendar_change SET name = CASE id WHEN {first} THEN '{other}' "
        f"ELSE '{one}' END WHERE id IN ({first}, {second})",
        tables=CAL,
    )
    assert found(engine) == {("field_mismatch", "holiday_overlay", overlay_id(engine), "name")}


def test_hand_edits_of_the_holiday_overlay_are_found(engine: Engine, world: World) -> None:
    """The overlay is the calendar in force: a day off removed by hand is found, and so is
    the open deadline it had moved, which no longer stands where the calendar puts it."""
    ov = overlay_id(engine)
    tamper(engine, f"UPDATE holiday_overlay SET name = 'อื่น' WHERE id = {ov}")
    assert found(engine) == {("field_mismatch", "holiday_overlay", ov, "name")}
    tamper(engine, f"DELETE FROM holiday_overlay WHERE id = {ov}")
    with engine.connect() as conn:
        moved = conn.exec_driver_sql(
            f"SELECT id FROM deadline WHERE plan_id = {world.amendment} AND kind = 'posting'"
        ).scalar_one()
    after = found(engine)
    assert {("row_missing", "holiday_overlay", None, "day"),
            ("field_mismatch", "deadline", moved, "last_working_on")} <= after
    assert {(p, t, f) for p, t, _, f in after} == {  # the other open clocks of that day
        ("row_missing", "holiday_overlay", "day"),
        ("field_mismatch", "deadline", "last_working_on"),
    }
    tamper(
        engine,
        "INSERT INTO holiday_overlay (day, kind, name, source, created_by, created_at) "
        "VALUES ('2019-03-04', 'add', 'ปลอม', 'ไม่มี', 'x', '2019-01-01 00:00:00')",
    )
    assert ("row_unrecorded", "holiday_overlay", overlay_id_of(engine, "2019-03-04"), None) in (
        found(engine)
    )


def overlay_id_of(engine: Engine, day: str) -> int:
    with engine.connect() as conn:
        query = f"SELECT id FROM holiday_overlay WHERE day = '{day}'"
        return int(conn.exec_driver_sql(query).scalar_one())


# --- refused attempts: entries of the log only ----------------------------------------------

REF = ("refused_attempt",)


def test_a_deleted_refused_attempt_is_found(engine: Engine, world: World) -> None:
    tamper(engine, f"DELETE FROM refused_attempt WHERE id = {world.refused[0]}", tables=REF)
    assert logged(engine) == {("row_deleted", "refused_attempt", world.refused[0])}


def test_a_refused_attempt_inserted_past_the_log_is_found(engine: Engine, world: World) -> None:
    unlogged(
        engine,
        "refused_attempt",
        "INSERT INTO refused_attempt (id, plan_id, organization_id, action, actor_username, "
        "actor_role, attempted_at, code, reasons) SELECT 900, plan_id, organization_id, action, "
        "'mallory', actor_role, attempted_at, code, reasons FROM refused_attempt "
        f"WHERE id = {world.refused[0]}",
    )
    assert logged(engine) == {("row_not_logged", "refused_attempt", 900)}


EDITED: dict[str, Callable[[World], str]] = {
    "edited": lambda w: f"UPDATE refused_attempt SET code = 'ok' WHERE id = {w.refused[0]}",
    "reordered": lambda w: (  # the two attempts swapped (they differ by action only)
        f"UPDATE refused_attempt SET action = CASE id WHEN {w.refused[0]} THEN 'approve' "
        f"ELSE 'announce' END WHERE id IN ({w.refused[0]}, {w.refused[1]})"
    ),
}


@pytest.mark.parametrize("edit", list(EDITED))
def test_an_edited_or_reordered_refused_attempt_is_found_under_a_checkpoint(
    engine: Engine, world: World, clock: FixedClock, edit: str
) -> None:
    checkpoint(engine, clock)
    assert logged(engine) == set()
    tamper(engine, EDITED[edit](world), tables=REF)
    rows = {world.refused[0]} if edit == "edited" else set(world.refused)
    assert logged(engine) == {("row_changed", "refused_attempt", row) for row in rows}


def test_every_history_edit_after_a_checkpoint_is_in_the_log(
    engine: Engine, world: World, clock: FixedClock
) -> None:
    """What the cross-checks cannot see (a calendar change's actor, an extension's time) the
    frozen leaves do."""
    checkpoint(engine, clock)
    tamper(
        engine,
        f"UPDATE calendar_change SET actor_username = 'x' WHERE id = {world.changes[0]}",
        tables=CAL,
    )
    tamper(
        engine,
        f"UPDATE deadline_extension SET reason = 'x' WHERE id = {world.extensions[0]}",
        tables=EXT,
    )
    expected: LogFound = {
        ("row_changed", "calendar_change", world.changes[0]),
        ("row_changed", "deadline_extension", world.extensions[0]),
    }
    assert logged(engine) == expected
    edits: Found = {("field_mismatch", "deadline_extension", world.extensions[0], "reason")}
    assert found(engine) == edits  # the first change's actor was overwritten by the second


def test_audit_verify_runs_the_log_check_without_a_key(
    monkeypatch: pytest.MonkeyPatch, db_url: str, engine: Engine, world: World
) -> None:
    """The plain command (no key file set) finds a deleted refused attempt through the log."""
    import json

    from typer.testing import CliRunner

    from api.cli import app

    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    monkeypatch.delenv("LOCALPLAN_SIGNING_KEY_FILE", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    tamper(engine, f"DELETE FROM refused_attempt WHERE id = {world.refused[1]}", tables=REF)
    result = runner.invoke(app, ["audit", "verify", "--json"])
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert answer["breaks"] == []
    assert [(f["problem"], f["table"], f["row_id"]) for f in answer["log"]] == [
        ("row_deleted", "refused_attempt", world.refused[1])
    ]
    text = runner.invoke(app, ["audit", "verify"]).stdout
    assert f"BROKEN log refused_attempt {world.refused[1]}: row_deleted" in text


def test_an_edited_checkpoint_row_is_found(engine: Engine, world: World, clock: FixedClock) -> None:
    checkpoint(engine, clock)
    root = "0" * 64
    tamper(engine, f"UPDATE log_checkpoint SET root = '{root}'", tables=("log_checkpoint",))
    assert logged(engine) == {("checkpoint_row", None, None)}
