"""What changed between two contents of a plan (docs/domain.md "Plan content"): what the
committee reads when a returned plan comes back (clause 26 (2)). Pure.

Items are matched by their stable ids, never by name or position: an item in both is
"changed" when any field differs, and each differing field is listed with its value before and
after (as the API writes them: money as text with two decimals, months as lists). Strategies,
projects (ผด.02) and equipment (ผด.02/1) each get their added, removed and changed items;
projects and equipment also their budget before, after and the difference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workflow.content_codec import changes_data, introduction_data
from workflow.content_model import Content, equipment_data, project_data

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ItemChange:
    id: str
    name: str  # as it is after the change
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class SectionDiff:
    """One list of the content compared: what was added, removed, changed; its budget."""

    added: tuple[dict[str, Any], ...]
    removed: tuple[dict[str, Any], ...]
    changed: tuple[ItemChange, ...]
    budget_before: Decimal | None = None
    budget_after: Decimal | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class ContentDiff:
    strategies: SectionDiff
    projects: SectionDiff
    equipment: SectionDiff
    introduction_changed: bool
    changes_changed: bool  # an amendment's list of changes

    @property
    def empty(self) -> bool:
        sections = (self.strategies, self.projects, self.equipment)
        return all(s.empty for s in sections) and not (
            self.introduction_changed or self.changes_changed
        )


def _strategy_data(s: Any) -> dict[str, Any]:
    return {"id": s.id, "number": s.number, "name": s.name}


def _name(data: dict[str, Any]) -> str:
    return str(data.get("name") or data.get("target") or data["id"])


def _section(
    before: Sequence[Any], after: Sequence[Any], shown: Callable[[Any], dict[str, Any]]
) -> tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...], tuple[ItemChange, ...]]:
    old = {item.id: shown(item) for item in before}
    new = {item.id: shown(item) for item in after}
    added = tuple(data for key, data in new.items() if key not in old)
    removed = tuple(data for key, data in old.items() if key not in new)
    changed = []
    for key, data in new.items():
        was = old.get(key)
        if was is None or was == data:
            continue
        fields = tuple(FieldChange(f, was.get(f), data[f]) for f in data if was.get(f) != data[f])
        changed.append(ItemChange(key, _name(data), fields))
    return added, removed, tuple(changed)


def _budget(items: Sequence[Any]) -> Decimal:
    return sum((item.budget_baht for item in items), ZERO)


def diff(before: Content, after: Content) -> ContentDiff:
    """What `after` changes of `before`, item by item (matched by stable id)."""
    return ContentDiff(
        strategies=SectionDiff(*_section(before.strategies, after.strategies, _strategy_data)),
        projects=SectionDiff(
            *_section(before.projects, after.projects, project_data),
            _budget(before.projects),
            _budget(after.projects),
        ),
        equipment=SectionDiff(
            *_section(before.equipment, after.equipment, equipment_data),
            _budget(before.equipment),
            _budget(after.equipment),
        ),
        introduction_changed=introduction_data(before.introduction)
        != introduction_data(after.introduction),
        changes_changed=changes_data(before.changes) != changes_data(after.changes),
    )


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def section_data(section: SectionDiff) -> dict[str, Any]:
    data: dict[str, Any] = {
        "added": list(section.added),
        "removed": list(section.removed),
        "changed": [
            {
                "id": c.id,
                "name": c.name,
                "fields": [
                    {"field": f.field, "before": f.before, "after": f.after} for f in c.fields
                ],
            }
            for c in section.changed
        ],
    }
    if section.budget_before is not None and section.budget_after is not None:
        data["budget_before_baht"] = _money(section.budget_before)
        data["budget_after_baht"] = _money(section.budget_after)
        data["budget_difference_baht"] = _money(section.budget_after - section.budget_before)
    return data


def diff_data(found: ContentDiff) -> dict[str, Any]:
    """The diff as JSON-ready data (the API's `GET /plans/{id}/content/diff`)."""
    return {
        "strategies": section_data(found.strategies),
        "projects": section_data(found.projects),
        "equipment": section_data(found.equipment),
        "introduction_changed": found.introduction_changed,
        "changes_changed": found.changes_changed,
    }
