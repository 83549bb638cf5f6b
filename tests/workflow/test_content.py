"""The content store and its commands on both engines: edits, revisions, refusals, nothing
half-written, freezing at submit and naming at approve and announce."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from models.audit import TransitionRecord
from models.content import ContentEdit, ContentProject, ContentVersion
from models.enums import Action
from models.store import PlanWithClocks
from tests.content_factories import content_of, edit, equipment_input, project_input, seed
from tests.factories import Office, create, make_office, new_annual, perform_action
from tests.helpers import PLACES, REASON
from workflow import content as cc
from workflow import content_store
from workflow.commands import Context
from workflow.content_columns import load_columns
from workflow.content_model import EMPTY, Content, canonical, content_hash
from workflow.errors import Conflict, DomainError, Forbidden, NotFound, StaleVersion
from workflow.input_rules import InvalidInput


@pytest.fixture
def plan(engine: Engine, ctx: Context, office: Office) -> PlanWithClocks:
    return create(engine, ctx, new_annual(office), office.staff)


def draft(engine: Engine, office: Office, plan_id: int) -> cc.Draft:
    with Session(engine) as s:
        return cc.read_draft(s, plan_id=plan_id, actor=office.staff)


def count(engine: Engine, model: type) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one()[0])  # type: ignore[call-overload]


def test_a_new_plan_has_the_empty_content_at_revision_0(
    engine: Engine, office: Office, plan: PlanWithClocks
) -> None:
    found = draft(engine, office, plan.id)
    assert (found.revision, found.content) == (0, EMPTY)


def test_each_edit_raises_the_revision_and_leaves_the_plan_version_alone(
    engine: Engine, ctx: Context, office: Office, plan: PlanWithClocks
) -> None:
    who = {"plan_id": plan.id, "actor": office.staff}
    one = edit(
        engine,
        ctx,
        "add_strategy",
        **who,
        expected_revision=0,
        data={"number": 1, "name": "ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน"},
    )
    sid = one.content.strategies[0].id
    two = edit(engine, ctx, "add_project", **who, expected_revision=1, data=project_input(sid))
    pid = two.content.projects[0].id
    three = edit(
        engine,
        ctx,
        "update_project",
        **who,
        expected_revision=2,
        project_id=pid,
        data={"budget_baht": "250000.50", "months": [10, 11]},
    )
    four = edit(engine, ctx, "add_equipment", **who, expected_revision=3, data=equipment_input())
    assert [d.revision for d in (one, two, three, four)] == [1, 2, 3, 4]
    project = three.content.projects[0]
    assert (project.id, project.months) == (pid, (10, 11))
    assert project.budget_baht == Decimal("250000.50")
    assert project.name == project_input(sid)["name"]  # the fields not named keep their values
    stored = draft(engine, office, plan.id)
    assert stored == four and stored.sha256 == content_hash(four.content)
    after = perform_action(engine, ctx, plan, Action.SUBMIT, office.staff)  # the version held
    assert after.version == plan.version + 1
    with Session(engine) as s:
        rows = s.exec(select(ContentEdit).order_by(ContentEdit.revision)).scalars().all()  # type: ignore[call-overload]
    assert [(r.revision, r.op, r.actor_username) for r in rows] == [
        (1, "add_strategy", office.staff.username),
        (2, "add_project", office.staff.username),
        (3, "update_project", office.staff.username),
        (4, "add_equipment", office.staff.username),
    ]
    assert rows[2].item_id == pid and rows[-1].sha256 == stored.sha256


def test_removing_items(engine: Engine, ctx: Context, office: Office, plan: PlanWithClocks) -> None:
    seeded = seed(engine, ctx, plan_id=plan.id, actor=office.staff, projects=3)
    who = {"plan_id": plan.id, "actor": office.staff}
    gone = seeded.content.projects[1].id
    after = edit(engine, ctx, "remove_project", **who, expected_revision=1, project_id=gone)
    assert [p.id for p in after.content.projects] == [
        seeded.content.projects[0].id,
        seeded.content.projects[2].id,
    ]
    used = seeded.content.projects[0].strategy_id
    with pytest.raises(InvalidInput) as refused:
        edit(engine, ctx, "remove_strategy", **who, expected_revision=2, strategy_id=used)
    assert refused.value.reasons[0].code == "strategy_in_use"
    unused = seeded.content.strategies[5].id
    final = edit(engine, ctx, "remove_strategy", **who, expected_revision=2, strategy_id=unused)
    assert len(final.content.strategies) == 5 and final.revision == 3
    with pytest.raises(NotFound):
        edit(engine, ctx, "remove_project", **who, expected_revision=3, project_id=gone)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"strategy_id": "nosuchstrategy"}, "no_such_strategy"),
        ({"months": [13]}, "month_out_of_range"),
        ({"months": [0, 1]}, "month_out_of_range"),
        ({"budget_baht": "-1"}, None),
        ({"name": "  "}, None),
    ],
)
def test_bad_input_is_refused_with_nothing_written(
    engine: Engine,
    ctx: Context,
    office: Office,
    plan: PlanWithClocks,
    change: dict[str, object],
    code: str | None,
) -> None:
    seeded = seed(engine, ctx, plan_id=plan.id, actor=office.staff, projects=2)
    sid = seeded.content.strategies[0].id
    before = (count(engine, ContentProject), count(engine, ContentEdit))
    for name, kw in (
        ("add_project", {"data": {**project_input(sid, 9), **change}}),
        ("update_project", {"project_id": seeded.content.projects[0].id, "data": change}),
    ):
        with pytest.raises(InvalidInput) as refused:
            edit(engine, ctx, name, plan_id=plan.id, actor=office.staff, expected_revision=1, **kw)
        if code is not None:
            assert refused.value.reasons[0].code == code
    assert (count(engine, ContentProject), count(engine, ContentEdit)) == before
    assert draft(engine, office, plan.id) == seeded


def test_a_duplicate_project_id_is_refused(
    engine: Engine, ctx: Context, office: Office, plan: PlanWithClocks
) -> None:
    seeded = seed(engine, ctx, plan_id=plan.id, actor=office.staff, projects=2)
    taken = seeded.content.projects[0]
    with pytest.raises(InvalidInput) as refused:
        edit(
            engine,
            ctx,
            "add_project",
            plan_id=plan.id,
            actor=office.staff,
            expected_revision=1,
            data=project_input(taken.strategy_id),
            project_id=taken.id,
        )
    assert refused.value.reasons[0].code == "duplicate_id"
    assert draft(engine, office, plan.id) == seeded


def test_a_stale_revision_is_refused_and_says_the_current_one(
    engine: Engine, ctx: Context, office: Office, plan: PlanWithClocks
) -> None:
    seeded = seed(engine, ctx, plan_id=plan.id, actor=office.staff, projects=2)
    sid = seeded.content.strategies[0].id
    with pytest.raises(StaleVersion) as refused:
        edit(
            engine,
            ctx,
            "add_project",
            plan_id=plan.id,
            actor=office.staff,
            expected_revision=0,
            data=project_input(sid),
        )
    assert refused.value.reasons[0].code == "stale_content_revision"
    assert "revision 1" in refused.value.reasons[0].en and "1" in refused.value.reasons[0].th


def test_who_may_edit(engine: Engine, ctx: Context, office: Office, plan: PlanWithClocks) -> None:
    other = make_office(engine, ctx.clock, "6660604", "ชัยนาท")  # type: ignore[arg-type]
    data = {"number": 1, "name": "ยุทธศาสตร์"}
    for actor, error in (
        (office.committee, Forbidden),
        (office.executive, Forbidden),
        (office.auditor, Forbidden),
        (other.staff, NotFound),
        (other.auditor, NotFound),
    ):
        with pytest.raises(error):
            edit(
                engine,
                ctx,
                "add_strategy",
                plan_id=plan.id,
                actor=actor,
                expected_revision=0,
                data=data,
            )
    with Session(engine) as s, pytest.raises(NotFound):
        cc.read_draft(s, plan_id=plan.id, actor=other.staff)
    with Session(engine) as s:
        assert cc.read_draft(s, plan_id=plan.id, actor=office.auditor).revision == 0


def _details(engine: Engine, plan_id: int) -> list[tuple[str, object]]:
    with Session(engine) as s:
        rows = s.exec(
            select(TransitionRecord)
            .where(TransitionRecord.plan_id == plan_id)  # type: ignore[arg-type]
            .order_by(TransitionRecord.seq)  # type: ignore[arg-type]
        ).scalars()  # type: ignore[call-overload]
        return [(r.action, r.details.get("content")) for r in rows]


def test_submit_freezes_and_approve_and_announce_name_the_version(
    engine: Engine, ctx: Context, office: Office, plan: PlanWithClocks
) -> None:
    first = seed(engine, ctx, plan_id=plan.id, actor=office.staff, projects=3)
    p = perform_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    with pytest.raises(Conflict) as refused:
        edit(
            engine,
            ctx,
            "remove_project",
            plan_id=plan.id,
            actor=office.staff,
            expected_revision=1,
            project_id=first.content.projects[0].id,
        )
    assert refused.value.reasons[0].code == "content_frozen" and refused.value.reasons[0].th
    p = perform_action(engine, ctx, p, Action.RETURN_FOR_REVISION, office.committee, comment=REASON)
    second = edit(
        engine,
        ctx,
        "remove_project",
        plan_id=plan.id,
        actor=office.staff,
        expected_revision=1,
        project_id=first.content.projects[0].id,
    )
    p = perform_action(engine, ctx, p, Action.SUBMIT, office.staff)
    p = perform_action(engine, ctx, p, Action.APPROVE, office.committee)
    p = perform_action(engine, ctx, p, Action.ANNOUNCE, office.executive)
    p = perform_action(engine, ctx, p, Action.POST, office.staff, places=PLACES)
    h1, h2 = content_hash(first.content), content_hash(second.content)
    assert _details(engine, plan.id) == [
        ("create", None),
        ("submit", {"version": 1, "sha256": h1}),
        ("return_for_revision", None),
        ("submit", {"version": 2, "sha256": h2}),
        ("approve", {"version": 2, "sha256": h2}),
        ("announce", {"version": 2, "sha256": h2}),
        ("post", None),
    ]
    with Session(engine) as s:
        v1 = cc.read_version(s, plan_id=plan.id, actor=office.auditor, version=1)
        latest = cc.read_version(s, plan_id=plan.id, actor=office.auditor)
        stored = s.exec(select(ContentVersion).order_by(ContentVersion.number)).scalars().all()  # type: ignore[call-overload]
        with pytest.raises(NotFound):
            cc.read_version(s, plan_id=plan.id, actor=office.auditor, version=3)
    assert (v1.number, v1.content, v1.sha256) == (1, first.content, h1)
    assert (latest.number, latest.content) == (2, second.content)
    assert stored[0].body.encode("utf-8") == canonical(first.content)
    assert json.loads(stored[1].body)["schema"] == 1


def test_a_plan_never_edited_freezes_the_empty_content(
    engine: Engine, ctx: Context, office: Office, plan: PlanWithClocks
) -> None:
    perform_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    assert _details(engine, plan.id)[1] == ("submit", {"version": 1, "sha256": content_hash(EMPTY)})


def test_a_refused_submit_freezes_nothing(
    engine: Engine, ctx: Context, office: Office, plan: PlanWithClocks
) -> None:
    with pytest.raises(DomainError):
        perform_action(engine, ctx, plan, Action.SUBMIT, office.staff, expected_version=9)
    assert count(engine, ContentVersion) == 0


def test_introduction_and_changes(
    engine: Engine, ctx: Context, office: Office, plan: PlanWithClocks
) -> None:
    intro = {
        "background": "บทนำ",
        "objectives": "วัตถุประสงค์",
        "steps": "ขั้นตอน",
        "benefits": "ประโยชน์",
        "foreword": "คำนำ",
    }
    one = edit(
        engine,
        ctx,
        "set_introduction",
        plan_id=plan.id,
        actor=office.staff,
        expected_revision=0,
        data=intro,
    )
    assert one.content.introduction.foreword == "คำนำ"
    seeded = edit(
        engine,
        ctx,
        "replace_content",
        plan_id=plan.id,
        actor=office.staff,
        expected_revision=1,
        content=seed_content(),
        source="last year",
    )
    pid = seeded.content.projects[0].id
    change = {"kind": "change", "project_id": pid, "reason": "ราคาวัสดุสูงขึ้น"}
    changed = edit(
        engine,
        ctx,
        "set_changes",
        plan_id=plan.id,
        actor=office.staff,
        expected_revision=2,
        changes=[change],
    )
    assert changed.content.changes[0].reason == "ราคาวัสดุสูงขึ้น"
    assert draft(engine, office, plan.id) == changed
    with pytest.raises(InvalidInput):
        edit(
            engine,
            ctx,
            "set_changes",
            plan_id=plan.id,
            actor=office.staff,
            expected_revision=3,
            changes=[{"kind": "change", "project_id": pid, "reason": " "}],
        )


def seed_content() -> Content:
    return content_of(4)


def test_the_stored_parts_give_the_canonical_bytes(
    engine: Engine, ctx: Context, office: Office, plan: PlanWithClocks
) -> None:
    """The draft is read and hashed from each item's stored JSON: the same bytes as
    content_model.canonical of the content, and the same content as its columns say."""
    seeded = seed(engine, ctx, plan_id=plan.id, actor=office.staff, projects=9)
    with Session(engine) as s:
        conn = s.connection()
        body = content_store.stored_body(conn, plan.id)
        _, columns = load_columns(conn, plan.id)
    assert body == canonical(seeded.content)
    assert columns == seeded.content == draft(engine, office, plan.id).content
