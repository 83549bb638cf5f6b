"""The diff the committee reads (workflow/content_diff.py): pure, matched by stable id."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from tests.content_factories import content_of, equipment_input
from workflow.content_diff import diff, diff_data
from workflow.content_model import equipment_from_input


def test_nothing_changed_is_empty() -> None:
    content = content_of(5)
    found = diff(content, content)
    assert found.empty and diff_data(found)["projects"]["budget_difference_baht"] == "0.00"


def test_added_removed_and_changed_field_by_field() -> None:
    before = content_of(4)
    kept, gone, moved, renamed = before.projects
    moved_after = replace(moved, budget_baht=moved.budget_baht + Decimal("500.25"), months=(9,))
    renamed_after = replace(renamed, name="โครงการขุดลอกคลอง", number=renamed.number)
    new = replace(kept, id="n" * 32, name="โครงการใหม่")
    equipment = equipment_from_input(equipment_input(), equipment_id="e" * 32)
    after = replace(
        before,
        projects=(renamed_after, kept, moved_after, new),  # reordered: order is no change
        equipment=(equipment,),
    )
    data = diff_data(diff(before, after))
    projects = data["projects"]
    assert [p["id"] for p in projects["added"]] == [new.id]
    assert [p["id"] for p in projects["removed"]] == [gone.id]
    changed = {c["id"]: c for c in projects["changed"]}
    assert set(changed) == {moved.id, renamed.id}
    assert changed[moved.id]["fields"] == [
        {
            "field": "budget_baht",
            "before": f"{moved.budget_baht}",
            "after": f"{moved_after.budget_baht}",
        },
        {"field": "months", "before": list(moved.months), "after": [9]},
    ]
    assert changed[renamed.id]["name"] == "โครงการขุดลอกคลอง"
    difference = new.budget_baht - gone.budget_baht + Decimal("500.25")
    assert Decimal(projects["budget_difference_baht"]) == difference
    assert (
        Decimal(projects["budget_after_baht"]) - Decimal(projects["budget_before_baht"])
        == difference
    )
    assert data["equipment"]["added"][0]["id"] == "e" * 32
    assert data["equipment"]["budget_difference_baht"] == "44000.00"
    assert data["strategies"] == {"added": [], "removed": [], "changed": []}
    assert data["introduction_changed"] is False
