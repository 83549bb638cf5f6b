"""Hand edits of plan rows and deadlines: `audit verify` names the table, row and field
(docs/integrity.md "What verification finds"). The plan and deadline tables are not
append-only, so these edits need no trigger dropped: only the history can tell."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app
from tests.factories import Office
from tests.workflow.verify_world import Found, World, build, found, tamper
from workflow.commands import Context

Edit = Callable[[World, Engine], tuple[list[str], Found]]


@pytest.fixture
def world(engine: Engine, ctx: Context, office: Office) -> World:
    return build(engine, ctx, office)


def plan_field(plan: Callable[[World], int], field: str, value: str) -> Edit:
    def edit(w: World, _: Engine) -> tuple[list[str], Found]:
        sql = f"UPDATE plan SET {field} = {value} WHERE id = {plan(w)}"
        return [sql], {("field_mismatch", "plan", plan(w), field)}

    return edit


def deadline_field(deadline: str, field: str, value: str) -> Edit:
    """An edit of a deadline: `deadline` is a query for its id."""

    def edit(w: World, engine: Engine) -> tuple[list[str], Found]:
        row_id = _one(engine, w, deadline)
        sql = f"UPDATE deadline SET {field} = {value} WHERE id = {row_id}"
        return [sql], {("field_mismatch", "deadline", row_id, field)}

    return edit


def _one(engine: Engine, w: World, query: str) -> int:
    with engine.connect() as conn:
        value = conn.exec_driver_sql(query.format(w=w)).scalar_one()
    return int(value)


POSTING = "SELECT id FROM deadline WHERE plan_id = {w.amendment} AND kind = 'posting'"
MINIMUM = "SELECT id FROM deadline WHERE plan_id = {w.posted} AND kind = 'minimum_posting'"
MET = "SELECT id FROM deadline WHERE plan_id = {w.posted} AND kind = 'posting'"
EXTENDED = "SELECT {w.clock}"

EDITS: dict[str, Edit] = {
    "plan title": plan_field(lambda w: w.posted, "title", "'แผนปลอม'"),
    "plan budget": plan_field(lambda w: w.extended, "budget_baht", "99999900"),
    "plan number": plan_field(lambda w: w.posted, "number", "7"),
    "plan fiscal year": plan_field(lambda w: w.posted, "fiscal_year_be", "2599"),
    "plan trigger date": plan_field(lambda w: w.posted, "trigger_on", "'2017-01-05'"),
    "plan trigger note": plan_field(lambda w: w.posted, "trigger_note", "'ไม่มีหลักฐาน'"),
    "plan announced on": plan_field(lambda w: w.posted, "announced_on", "'2018-01-05'"),
    "plan posted on": plan_field(lambda w: w.posted, "posted_on", "'2018-01-06'"),
    "plan places": plan_field(lambda w: w.posted, "posting_places", "'[\"ที่อื่น\"]'"),
    "plan last action on": plan_field(lambda w: w.posted, "last_effective_on", "'2018-01-07'"),
    "plan superseded by": plan_field(lambda w: w.amended, "superseded_by_plan_id", "NULL"),
    "plan amends": plan_field(lambda w: w.amendment, "amends_plan_id", "NULL"),
    "plan created at": plan_field(lambda w: w.posted, "created_at", "'2017-01-01 00:00:00'"),
    "moved deadline (open)": deadline_field(POSTING, "due_on", "'2030-01-01'"),
    "moved deadline (extended)": deadline_field(EXTENDED, "due_on", "'2030-01-01'"),
    "moved deadline (closed)": deadline_field(MET, "due_on", "'2030-01-01'"),
    "moved last working day": deadline_field(POSTING, "last_working_on", "'2018-01-01'"),
    "moved removal date": deadline_field(MINIMUM, "due_on", "'2018-01-01'"),
    "deadline closed by hand": deadline_field(POSTING, "status", "'met'"),
    "deadline start": deadline_field(MET, "start_on", "'2018-01-01'"),
    "deadline days": deadline_field(MET, "days", "45"),
    "deadline base date": deadline_field(MET, "base_due_on", "'2018-01-01'"),
    "deadline mode": deadline_field(MET, "mode", "'civil'"),
    "deadline closed on": deadline_field(MET, "closed_on", "'2018-01-01'"),
    "deadline extension flag": deadline_field(EXTENDED, "extended", "false"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_each_hand_edit_of_a_row_is_named(engine: Engine, world: World, name: str) -> None:
    assert found(engine) == set()
    sql, expected = EDITS[name](world, engine)
    tamper(engine, *sql)
    assert found(engine) == expected


def test_a_deleted_deadline_and_an_added_one_are_found(engine: Engine, world: World) -> None:
    met = _one(engine, world, MET)
    tamper(engine, f"DELETE FROM deadline WHERE id = {met}")
    assert found(engine) == {("row_missing", "deadline", None, None)}
    tamper(
        engine,
        "INSERT INTO deadline (plan_id, kind, start_on, days, mode, conservative, clause, "
        "base_due_on, due_on, last_working_on, extended, status, created_at, alert_on) "
        f"VALUES ({world.extended}, 'posting', '2018-10-01', 15, 'strict', false, 'x', "
        "'2018-10-16', '2018-10-16', '2018-10-16', false, 'open', '2018-10-01 00:00:00', "
        "'2018-10-01')",
    )
    added = _one(engine, world, "SELECT max(id) FROM deadline")
    assert ("row_unrecorded", "deadline", added, None) in found(engine)


def test_the_cli_names_table_row_and_field(
    monkeypatch: pytest.MonkeyPatch, db_url: str, engine: Engine, world: World
) -> None:
    tamper(engine, f"UPDATE plan SET title = 'แผนปลอม' WHERE id = {world.posted}")
    monkeypatch.setenv("LOCALPLAN_DATABASE_URL", db_url)
    runner = CliRunner()
    text = runner.invoke(app, ["audit", "verify"])
    assert text.exit_code == 1
    assert f"BROKEN plan {world.posted} plan {world.posted} title: field_mismatch: title is" in (
        text.stdout
    )
    answer = json.loads(runner.invoke(app, ["audit", "verify", "--json"]).stdout)
    (only,) = answer["breaks"]
    assert only.pop("detail").startswith("title is 'แผนปลอม', the history says 'แผน")
    assert only == {
        "plan_id": world.posted,
        "seq": None,
        "problem": "field_mismatch",
        "table": "plan",
        "row_id": world.posted,
        "field": "title",
    }
    assert answer["deadlines_checked"] >= 6 and answer["extensions_checked"] == 2
    assert answer["calendar_changes_checked"] == 2 and answer["unchecked"] == {}
