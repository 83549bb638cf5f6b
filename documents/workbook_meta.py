"""The sheet localplan adds to its export for what the office layout has no column for
(docs/domain.md "Spreadsheets"): strategy and project ids, funding, ownership, village, the
development-plan reference, the exact group names, the introduction and an amendment's
changes. Sections start with a `[key]` cell; each has a header row. Pure: rows of values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from documents import workbook_text as t
from documents.workbook_grid import Grid
from workflow.content_model import (
    FUNDING_LABELS,
    OWNERSHIP_LABELS,
    Content,
    FundingSource,
    Ownership,
)

PROJECT_COLUMNS = (
    "id", "name", "funding", "funding_label", "funding_note", "ownership", "ownership_label",
    "village", "dev_plan_edition", "dev_plan_page", "dev_plan_row", "programme", "tactic",
)  # fmt: skip
INTRO_KEYS = ("foreword", "background", "objectives", "steps", "benefits")


@dataclass
class Meta:
    strategies: dict[int, tuple[str, str]] = field(default_factory=dict)  # number -> id, name
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    introduction: dict[str, str | None] = field(default_factory=dict)
    changes: list[dict[str, str]] = field(default_factory=list)


def meta_rows(content: Content) -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["[strategies]", "ยุทธศาสตร์"], ["id", "number", "name"],
        *[[s.id, s.number, s.name] for s in content.strategies],
        [], ["[projects]", "โครงการ: สิ่งที่แบบ ผด.02 ไม่มีช่อง"], list(PROJECT_COLUMNS),
    ]  # fmt: skip
    for p in content.projects:
        ref = p.dev_plan
        rows.append([
            p.id, p.name, p.funding.value, FUNDING_LABELS[p.funding], p.funding_note,
            p.ownership.value, OWNERSHIP_LABELS[p.ownership], p.village,
            ref.edition if ref else None, ref.page if ref else None, ref.row if ref else None,
            p.programme, p.tactic,
        ])  # fmt: skip
    intro = content.introduction
    rows += [[], ["[introduction]", "ส่วนที่ 1 บทนำ"], ["key", "text"]]
    rows += [[key, getattr(intro, key)] for key in INTRO_KEYS]
    rows += [[], ["[changes]", "รายการแก้ไข"], ["kind", "project_id", "reason"]]
    rows += [[c.kind.value, c.project_id, c.reason] for c in content.changes]
    return rows


def read_meta(grid: Grid) -> Meta:
    """The sections back; unknown keys are ignored (the sheet is localplan's own)."""
    meta = Meta()
    section, header = "", list[str]()
    for row in grid.values:
        first = t.text(row[0]) if row else ""
        if first.startswith("[") and first.endswith("]"):
            section, header = first[1:-1], []
            continue
        if not any(t.is_mark(v) for v in row):
            continue
        if not header:
            header = [t.text(v) for v in row]
            continue
        values = dict(zip(header, row, strict=False))
        _take(meta, section, values)
    return meta


def _take(meta: Meta, section: str, values: dict[str, Any]) -> None:
    if section == "strategies":
        number = t.whole_number(values.get("number"))
        if number is not None:
            meta.strategies[number] = (t.text(values.get("id")), t.text(values.get("name")))
    elif section == "projects":
        meta.projects[t.text(values.get("id"))] = _project_extra(values)
    elif section == "introduction":
        key = t.text(values.get("key"))
        if key in INTRO_KEYS:
            text = values.get("text")
            meta.introduction[key] = None if text is None else str(text)
    elif section == "changes":
        meta.changes.append({k: t.text(values.get(k)) for k in ("kind", "project_id", "reason")})


def _project_extra(values: dict[str, Any]) -> dict[str, Any]:
    def opt(key: str) -> str | None:
        return t.text(values.get(key)) or None

    village = values.get("village")
    edition = opt("dev_plan_edition")
    return {
        "funding": opt("funding") or FundingSource.ORDINANCE.value,
        "funding_note": opt("funding_note"),
        "ownership": opt("ownership") or Ownership.OWN.value,
        "village": t.whole_number(village) if t.is_mark(village) else None,
        "dev_plan": None
        if edition is None
        else {"edition": edition, "page": opt("dev_plan_page"), "row": opt("dev_plan_row")},
        "programme": opt("programme"),
        "tactic": opt("tactic"),
    }


def group_label(prefixes: tuple[str, ...], value: str) -> str:
    """How a group row writes a programme or tactic the reader recognizes by its prefix."""
    return value if value.startswith(prefixes) else f"{prefixes[0]} {value}"
