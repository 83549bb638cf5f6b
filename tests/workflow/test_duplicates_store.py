"""The normalized key is saved with each project (docs/domain.md "Duplicates"), and follows
an edit of the name; the store's duplicates compare plans of one organization and year."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session

from models.content import ContentProject
from models.store import table_of
from tests.content_factories import edit, project_input
from tests.factories import Office, create, new_annual
from workflow import content_model as cm
from workflow.command_base import Context
from workflow.duplicates import match_key
from workflow.duplicates_scan import list_duplicates

PROJECTS = table_of(ContentProject)


def _keys(engine: Engine, plan_id: int) -> dict[str, str | None]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(PROJECTS.c.item_id, PROJECTS.c.match_key).where(
                PROJECTS.c.plan_id == plan_id
            )
        ).all()
    return {r.item_id: r.match_key for r in rows}


def test_the_key_is_saved_and_follows_edits(engine: Engine, ctx: Context, office: Office) -> None:
    plan_id = create(engine, ctx, new_annual(office), office.staff).id
    staff = office.staff
    strategy = cm.new_id()
    draft = edit(engine, ctx, "add_strategy", plan_id=plan_id, actor=staff, expected_revision=0,
                 data={"number": 1, "name": "โครงสร้างพื้นฐาน"}, strategy_id=strategy)  # fmt: skip
    data = project_input(strategy, 1, name="ก่อสร้างถนน คสล. หมู่ที่ 3", location="หมู่ที่ 3")
    draft = edit(engine, ctx, "add_project", plan_id=plan_id, actor=staff,
                 expected_revision=draft.revision, data=data)  # fmt: skip
    (project,) = draft.content.projects
    assert _keys(engine, plan_id) == {project.id: match_key(project)}
    assert "คอนกรีตเสริมเหล็ก" in (match_key(project) or "")
    draft = edit(engine, ctx, "update_project", plan_id=plan_id, actor=staff,
                 expected_revision=draft.revision, project_id=project.id,
                 data={"name": "ขุดลอกคลอง หมู่ที่ 3"})  # fmt: skip
    assert _keys(engine, plan_id) == {project.id: match_key(draft.content.projects[0])}

    with Session(engine) as session:
        assert list_duplicates(session, plan_id=plan_id, actor=staff) == []
