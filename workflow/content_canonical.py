"""The content's canonical form and hash (docs/integrity.md): `canonical` and `content_hash`
are what the chain records; the same content gives the same bytes and the same SHA-256 on
every machine. `to_data` / `from_data` are the JSON-ready form (through the input rules)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from workflow.content_input import (
    check_content,
    equipment_from_input,
    introduction_from_input,
    project_from_input,
    strategy_from_input,
)
from workflow.content_values import (
    CONTENT_SCHEMA,
    Change,
    ChangeKind,
    Content,
    Equipment,
    Project,
)


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def to_data(content: Content) -> dict[str, Any]:
    """The content as JSON-ready data (money as strings with two decimals): what the API
    returns, what the canonical form and the open data are made of."""
    return {
        "schema": CONTENT_SCHEMA,
        "introduction": {
            "foreword": content.introduction.foreword,
            "background": content.introduction.background,
            "objectives": content.introduction.objectives,
            "steps": content.introduction.steps,
            "benefits": content.introduction.benefits,
        },
        "strategies": [
            {"id": s.id, "number": s.number, "name": s.name} for s in content.strategies
        ],
        "projects": [project_data(p) for p in content.projects],
        "equipment": [equipment_data(e) for e in content.equipment],
        "changes": [
            {"kind": c.kind.value, "project_id": c.project_id, "reason": c.reason}
            for c in content.changes
        ],
    }


def project_data(p: Project) -> dict[str, Any]:
    return {
        "id": p.id,
        "strategy_id": p.strategy_id,
        "tactic": p.tactic,
        "programme": p.programme,
        "number": p.number,
        "name": p.name,
        "activity": p.activity,
        "budget_baht": _money(p.budget_baht),
        "location": p.location,
        "village": p.village,
        "unit": p.unit,
        "months": list(p.months),
        "funding": p.funding.value,
        "funding_note": p.funding_note,
        "ownership": p.ownership.value,
        "dev_plan": None
        if p.dev_plan is None
        else {"edition": p.dev_plan.edition, "page": p.dev_plan.page, "row": p.dev_plan.row},
    }


def equipment_data(e: Equipment) -> dict[str, Any]:
    return {
        "id": e.id,
        "programme": e.programme,
        "number": e.number,
        "category": e.category,
        "type": e.type,
        "target": e.target,
        "budget_baht": _money(e.budget_baht),
        "location": e.location,
        "unit": e.unit,
        "months": list(e.months),
    }


def from_data(data: Mapping[str, Any]) -> Content:
    """The inverse of `to_data`, through the input rules (a stored or imported form is checked
    like typed input)."""
    projects = tuple(project_from_input(p, project_id=str(p.get("id"))) for p in data["projects"])
    return check_content(
        Content(
            introduction=introduction_from_input(data["introduction"]),
            strategies=tuple(
                strategy_from_input(s, strategy_id=str(s.get("id"))) for s in data["strategies"]
            ),
            projects=projects,
            equipment=tuple(
                equipment_from_input(e, equipment_id=str(e.get("id"))) for e in data["equipment"]
            ),
            changes=tuple(
                Change(ChangeKind(c["kind"]), str(c["project_id"]), str(c["reason"]))
                for c in data.get("changes", [])
            ),
        )
    )


def canonical(content: Content) -> bytes:
    """The bytes the chain names: JSON, keys sorted, no spaces, UTF-8 as written."""
    return json.dumps(
        to_data(content), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def content_hash(content: Content) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


