"""The plan's content as values (docs/domain.md "Plan content"): strategies, projects (ผด.02),
equipment (ผด.02/1), the introduction, and for an amendment its changes with their reasons.

Pure: no database, no third-party library. Every surface (API, web, CLI, the spreadsheet
reader) builds these through `project_from_input` / `equipment_from_input`, so the same input
is refused with the same reason everywhere. `canonical` and `content_hash` are what the chain
records: the same content gives the same bytes and the same SHA-256 on every machine.

The one name the rest of the code imports the content by; the parts live in
workflow/content_values.py (the values), content_input.py (the input rules) and
content_canonical.py (the canonical form and hash).
"""

from __future__ import annotations

from workflow.content_canonical import (
    canonical,
    content_hash,
    equipment_data,
    from_data,
    project_data,
    to_data,
)
from workflow.content_input import (
    check_content,
    dev_plan_ref,
    equipment_from_input,
    introduction_from_input,
    months,
    number,
    project_from_input,
    strategy_from_input,
    village,
)
from workflow.content_values import (
    CHANGE_LABELS,
    CONTENT_SCHEMA,
    DETAIL_MAX,
    EMPTY,
    FISCAL_MONTHS,
    FUNDING_LABELS,
    GROUP_MAX,
    INTRO_MAX,
    MONTH_ABBR,
    NAME_MAX,
    OWNERSHIP_LABELS,
    REF_MAX,
    STANDARD_INTRODUCTION,
    UNIT_MAX,
    VILLAGE_MAX,
    Change,
    ChangeKind,
    Content,
    DevPlanRef,
    Equipment,
    FundingSource,
    Introduction,
    Ownership,
    Problem,
    Project,
    Strategy,
    new_id,
)

__all__ = [
    "CHANGE_LABELS",
    "CONTENT_SCHEMA",
    "DETAIL_MAX",
    "EMPTY",
    "FISCAL_MONTHS",
    "FUNDING_LABELS",
    "GROUP_MAX",
    "INTRO_MAX",
    "MONTH_ABBR",
    "NAME_MAX",
    "OWNERSHIP_LABELS",
    "REF_MAX",
    "STANDARD_INTRODUCTION",
    "UNIT_MAX",
    "VILLAGE_MAX",
    "Change",
    "ChangeKind",
    "Content",
    "DevPlanRef",
    "Equipment",
    "FundingSource",
    "Introduction",
    "Ownership",
    "Problem",
    "Project",
    "Strategy",
    "canonical",
    "check_content",
    "content_hash",
    "dev_plan_ref",
    "equipment_data",
    "equipment_from_input",
    "from_data",
    "introduction_from_input",
    "months",
    "new_id",
    "number",
    "project_data",
    "project_from_input",
    "strategy_from_input",
    "to_data",
    "village",
]
