"""The plan in force as a pure function (docs/domain.md "The plan in force") and the demo's
content (deterministic, realistic in shape)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from models.enums import PlanKind
from workflow.content_model import (
    Change,
    ChangeKind,
    Content,
    Ownership,
    Strategy,
    check_content,
    content_hash,
)
from workflow.content_seed import demo_content, month_span, seeded_id
from workflow.in_force import Source, apply_plans
from workflow.summary import summarize

BASE = demo_content()


def _source(plan_id: int, kind: PlanKind, day: int) -> Source:
    return Source(plan_id, kind, 1, f"plan {plan_id}", date(2018, 11, day), 1, "0" * 64)


ANNUAL = _source(1, PlanKind.ANNUAL, 1)


def test_demo_content_is_the_same_every_run_and_of_a_realistic_shape() -> None:
    again = demo_content()
    assert content_hash(again) == content_hash(BASE)
    assert 60 <= len(BASE.projects) <= 70 and len(BASE.strategies) == 6
    assert len(BASE.equipment) == 8
    outside = [p for p in BASE.projects if p.ownership is not Ownership.OWN]
    assert len(outside) >= 5 and all(p.dev_plan is None for p in outside)
    assert {p.village for p in BASE.projects} >= set(range(1, 11))
    # numbers run 1..n within each (strategy, programme) group
    groups: dict[tuple[str, str], list[int]] = {}
    for p in BASE.projects:
        groups.setdefault((p.strategy_id, p.programme), []).append(p.number)
    assert all(n == list(range(1, len(n) + 1)) for n in groups.values())
    assert content_hash(demo_content("another seed")) != content_hash(BASE)


def test_month_spans_follow_the_fiscal_order() -> None:
    assert month_span("11-2") == (11, 12, 1, 2)
    assert month_span("12-1,4") == (12, 1, 4)
    assert len(month_span("all")) == 12
    assert seeded_id("s", "project", 1) != seeded_id("s", "project", 2)


def test_the_annual_plan_alone_is_in_force_as_announced() -> None:
    result = apply_plans((ANNUAL, BASE), [])
    assert result.content == replace(BASE, changes=())
    assert {o.source.plan_id for o in result.origins.values()} == {1}


def test_a_supplementary_adds_projects_matching_strategies_by_name() -> None:
    own_strategy = Strategy("s-sup-1", 1, BASE.strategies[0].name)
    novel = Strategy("s-sup-2", 2, "ยุทธศาสตร์ใหม่")
    first = BASE.projects[0]
    added = replace(first, id="p-sup-1", strategy_id="s-sup-1", number=1, name="ถนนเพิ่มเติม")
    other = replace(first, id="p-sup-2", strategy_id="s-sup-2", number=1)
    supplementary = check_content(Content(BASE.introduction, (own_strategy, novel), (added, other)))
    source = _source(2, PlanKind.SUPPLEMENTARY, 20)
    result = apply_plans((ANNUAL, BASE), [(source, supplementary)])
    content = result.content
    assert len(content.projects) == len(BASE.projects) + 2
    placed = content.project("p-sup-1")
    assert placed is not None and placed.strategy_id == BASE.strategies[0].id
    group = [
        p for p in BASE.projects if p.strategy_id == first.strategy_id
        and p.programme == first.programme
    ]  # fmt: skip
    assert placed.number == len(group) + 1
    new_strategy = content.strategy("s-sup-2")
    assert new_strategy is not None and new_strategy.number == 7
    assert result.origins["p-sup-1"].source == source
    check_content(content)
    assert summarize(content).total.budget_baht == (
        summarize(BASE).total.budget_baht + 2 * first.budget_baht
    )


def test_an_amendment_adds_changes_and_removes_in_order_with_reasons() -> None:
    changed = replace(BASE.projects[1], budget_baht=Decimal("300000.00"))
    added = replace(BASE.projects[2], id="p-new", name="โครงการใหม่")
    removed_id = BASE.projects[3].id
    amendment = Content(
        BASE.introduction,
        BASE.strategies,
        (changed, added),
        changes=(
            Change(ChangeKind.CHANGE, changed.id, "ราคากลางสูงขึ้น"),
            Change(ChangeKind.ADD, "p-new", "ประชาคมเสนอเพิ่ม"),
            Change(ChangeKind.REMOVE, removed_id, "ซ้ำกับโครงการของ อบจ."),
            Change(ChangeKind.REMOVE, "not-in-force", "ไม่มี"),
        ),
    )
    source = _source(3, PlanKind.AMENDMENT, 25)
    result = apply_plans((ANNUAL, BASE), [(source, amendment)])
    content = result.content
    assert content.projects[1] == changed  # changed where it stands
    assert content.project(removed_id) is None
    assert content.project("p-new") is not None
    assert result.origins[changed.id].reason == "ราคากลางสูงขึ้น"
    assert result.origins["p-new"].source.plan_id == 3
    assert [s.project_id for s in result.skipped] == ["not-in-force"]
    assert len(content.projects) == len(BASE.projects)


def test_later_plans_apply_in_the_order_given() -> None:
    target = BASE.projects[0]
    first = Content(
        BASE.introduction, BASE.strategies, (replace(target, name="ครั้งที่ 1"),),
        changes=(Change(ChangeKind.CHANGE, target.id, "หนึ่ง"),),
    )  # fmt: skip
    second = Content(
        BASE.introduction, BASE.strategies, (replace(target, name="ครั้งที่ 2"),),
        changes=(Change(ChangeKind.CHANGE, target.id, "สอง"),),
    )  # fmt: skip
    one, two = _source(4, PlanKind.AMENDMENT, 10), _source(5, PlanKind.AMENDMENT, 20)
    result = apply_plans((ANNUAL, BASE), [(one, first), (two, second)])
    assert result.content.projects[0].name == "ครั้งที่ 2"
    assert result.origins[target.id].reason == "สอง"
