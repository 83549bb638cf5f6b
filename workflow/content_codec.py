"""The content's canonical data (`content_model.to_data`) read back into `content_model`
values, and the parts of it the store and the diffs write: pure, no database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from workflow.content_model import (
    Change,
    ChangeKind,
    Content,
    DevPlanRef,
    Equipment,
    FundingSource,
    Introduction,
    Ownership,
    Project,
    Strategy,
)


def introduction_data(intro: Introduction) -> dict[str, Any]:
    return {
        "foreword": intro.foreword,
        "background": intro.background,
        "objectives": intro.objectives,
        "steps": intro.steps,
        "benefits": intro.benefits,
    }

def changes_data(changes: Sequence[Change]) -> list[dict[str, str]]:
    return [{"kind": c.kind.value, "project_id": c.project_id, "reason": c.reason} for c in changes]

def introduction_of(data: Mapping[str, Any]) -> Introduction:
    return Introduction(
        background=data["background"],
        objectives=data["objectives"],
        steps=data["steps"],
        benefits=data["benefits"],
        foreword=data.get("foreword"),
    )

def strategy_data(s: Strategy) -> dict[str, Any]:
    return {"id": s.id, "number": s.number, "name": s.name}

def project_of(d: Mapping[str, Any]) -> Project:
    ref = d["dev_plan"]
    return Project(
        id=d["id"],
        strategy_id=d["strategy_id"],
        programme=d["programme"],
        number=d["number"],
        name=d["name"],
        activity=d["activity"],
        budget_baht=Decimal(d["budget_baht"]),
        location=d["location"],
        unit=d["unit"],
        months=tuple(d["months"]),
        funding=FundingSource(d["funding"]),
        ownership=Ownership(d["ownership"]),
        tactic=d["tactic"],
        village=d["village"],
        funding_note=d["funding_note"],
        dev_plan=None if ref is None else DevPlanRef(ref["edition"], ref["page"], ref["row"]),
    )

def equipment_of(d: Mapping[str, Any]) -> Equipment:
    return Equipment(
        id=d["id"],
        programme=d["programme"],
        number=d["number"],
        category=d["category"],
        type=d["type"],
        target=d["target"],
        budget_baht=Decimal(d["budget_baht"]),
        location=d["location"],
        unit=d["unit"],
        months=tuple(d["months"]),
    )

def content_of_data(data: Mapping[str, Any]) -> Content:
    """A content from its own canonical data (`content_model.to_data`), trusted: written by
    the commands after the input rules, and vouched for by its hash (`audit verify`)."""
    return Content(
        introduction=introduction_of(data["introduction"]),
        strategies=tuple(
            Strategy(id=d["id"], number=d["number"], name=d["name"]) for d in data["strategies"]
        ),
        projects=tuple(project_of(d) for d in data["projects"]),
        equipment=tuple(equipment_of(d) for d in data["equipment"]),
        changes=tuple(
            Change(ChangeKind(c["kind"]), c["project_id"], c["reason"]) for c in data["changes"]
        ),
    )
