"""`audit verify` finds every hand edit of the content (docs/integrity.md "Plan content"), on
both engines: frozen versions, the records naming them, and drafts against their edits."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from models.enums import Action, PlanKind
from tests.content_factories import edit, project_input, seed
from tests.factories import Office, create, new_annual, new_plan, perform_action
from tests.workflow.verify_world import found, tamper
from workflow.audit import verify
from workflow.commands import Context


@pytest.fixture
def plans(engine: Engine, ctx: Context, office: Office) -> tuple[int, int]:
    """An announced plan (versions 1 and 2, returned once) and a draft with edits."""
    plan = create(engine, ctx, new_annual(office), office.staff)
    first = seed(engine, ctx, plan_id=plan.id, actor=office.staff, projects=4)
    p = perform_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    p = perform_action(
        engine, ctx, p, Action.RETURN_FOR_REVISION, office.committee, comment="ขอให้ปรับงบประมาณ"
    )
    edit(
        engine,
        ctx,
        "update_project",
        plan_id=plan.id,
        actor=office.staff,
        expected_revision=1,
        project_id=first.content.projects[0].id,
        data={"budget_baht": "1.00"},
    )
    for action, actor in (
        (Action.SUBMIT, office.staff),
        (Action.APPROVE, office.committee),
        (Action.ANNOUNCE, office.executive),
    ):
        p = perform_action(engine, ctx, p, action, actor)
    other = create(engine, ctx, new_plan(office, PlanKind.SUPPLEMENTARY), office.staff)
    drafted = seed(engine, ctx, plan_id=other.id, actor=office.staff, projects=2)
    edit(
        engine,
        ctx,
        "add_project",
        plan_id=other.id,
        actor=office.staff,
        expected_revision=1,
        data=project_input(drafted.content.strategies[0].id, 7),
    )
    return plan.id, other.id


def test_an_untouched_history_verifies(engine: Engine, plans: tuple[int, int]) -> None:
    with Session(engine) as s:
        report = verify(s)
    assert report.breaks == []
    assert (report.content_versions_checked, report.drafts_checked) == (2, 2)


def test_a_frozen_version_edited(engine: Engine, plans: tuple[int, int]) -> None:
    announced, _ = plans
    tamper(
        engine,
        "UPDATE content_version SET body = replace(body, '1.00', '9.00') "
        f"WHERE plan_id = {announced} AND number = 2",
        tables=("content_version",),
    )
    assert ("hash_mismatch", "content_version", 2, "body") in found(engine)


def test_a_frozen_version_rehashed(engine: Engine, plans: tuple[int, int]) -> None:
    """Body and sha256 both rewritten: the records in the chain still name the old hash."""
    announced, _ = plans
    tamper(
        engine,
        f"UPDATE content_version SET sha256 = '{'a' * 64}' WHERE plan_id = {announced} "
        "AND number = 2",
        tables=("content_version",),
    )
    problems = {(p, t, f) for p, t, _, f in found(engine)}
    assert ("content_record_mismatch", "content_version", "record_id") in problems
    assert ("content_hash_mismatch", "content_version", "sha256") in problems


def test_a_frozen_version_deleted(engine: Engine, plans: tuple[int, int]) -> None:
    announced, _ = plans
    tamper(
        engine,
        f"DELETE FROM content_version WHERE plan_id = {announced} AND number = 1",
        tables=("content_version",),
    )
    problems = {(p, t) for p, t, _, _ in found(engine)}
    assert ("row_missing", "content_version") in problems  # the first submit names it
    assert ("sequence_gap", "content_version") in problems


def test_a_draft_row_edited(engine: Engine, plans: tuple[int, int]) -> None:
    _, drafted = plans
    tamper(engine, f"UPDATE content_project SET budget_baht = 1 WHERE plan_id = {drafted}")
    assert ("hash_mismatch", "content_draft", drafted, "content") in found(engine)


def test_a_draft_row_deleted_or_revision_moved(engine: Engine, plans: tuple[int, int]) -> None:
    announced, drafted = plans
    tamper(
        engine,
        f"DELETE FROM content_project WHERE plan_id = {announced}",
        f"UPDATE content_draft SET revision = 9 WHERE plan_id = {drafted}",
    )
    breaks = found(engine)
    assert ("hash_mismatch", "content_draft", announced, "content") in breaks
    assert ("field_mismatch", "content_draft", drafted, "revision") in breaks


def test_an_edit_deleted(engine: Engine, plans: tuple[int, int]) -> None:
    _, drafted = plans
    tamper(
        engine,
        f"DELETE FROM content_edit WHERE plan_id = {drafted} AND revision = 2",
        tables=("content_edit",),
    )
    breaks = found(engine)
    assert ("field_mismatch", "content_draft", drafted, "revision") in breaks
    assert ("hash_mismatch", "content_draft", drafted, "content") in breaks


def test_a_draft_rows_stored_json_edited(engine: Engine, plans: tuple[int, int]) -> None:
    _, drafted = plans
    tamper(
        engine,
        f"UPDATE content_project SET data = replace(data, 'กองช่าง', 'กองคลัง') "
        f"WHERE plan_id = {drafted}",
    )
    breaks = found(engine)
    assert ("hash_mismatch", "content_draft", drafted, "data") in breaks
    assert ("hash_mismatch", "content_draft", drafted, "content") not in breaks
