"""The content's input rules (docs/domain.md "Plan content"): every surface (API, web, CLI, the
spreadsheet reader) builds the values through `project_from_input` / `equipment_from_input`,
so the same input is refused with the same reason everywhere."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from workflow import input_rules as rules
from workflow.content_values import (
    DETAIL_MAX,
    FISCAL_MONTHS,
    GROUP_MAX,
    INTRO_MAX,
    NAME_MAX,
    REF_MAX,
    UNIT_MAX,
    VILLAGE_MAX,
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
from workflow.errors import reason

E = TypeVar("E", bound=StrEnum)



def _refuse(field_name: str, code: str, th: str, en: str) -> rules.InvalidInput:
    return rules.InvalidInput([reason(code, th, en)], field=field_name)


def months(raw: object, *, field_name: str = "months") -> tuple[int, ...]:
    """Calendar month numbers 1–12, at least one, each once; returned in fiscal order."""
    if not isinstance(raw, list | tuple) or not raw:
        raise _refuse(
            field_name, "months_empty", "กรุณาระบุเดือนที่ดำเนินการอย่างน้อยหนึ่งเดือน",
            "name at least one month the project runs",
        )  # fmt: skip
    seen: set[int] = set()
    for item in raw:
        if isinstance(item, bool) or not isinstance(item, int) or item not in FISCAL_MONTHS:
            raise _refuse(
                field_name, "month_out_of_range",
                "เดือนต้องอยู่ในปีงบประมาณ (ต.ค. ถึง ก.ย.: เลขเดือน 1–12)",
                f"a month is a calendar month number 1-12 within Oct-Sep, not {item!r}",
            )  # fmt: skip
        if item in seen:
            raise _refuse(
                field_name, "month_repeated", "ระบุเดือนเดียวกันซ้ำ", f"month {item} is named twice"
            )
        seen.add(item)
    return tuple(m for m in FISCAL_MONTHS if m in seen)


def number(raw: object, *, field_name: str = "number") -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 9999:
        raise _refuse(
            field_name, "number_out_of_range", "ลำดับที่ต้องเป็นเลข 1 ถึง 9999",
            "a row number is a whole number from 1 to 9999",
        )  # fmt: skip
    return raw


def village(raw: object, *, field_name: str = "village") -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= VILLAGE_MAX:
        raise _refuse(
            field_name, "village_out_of_range", f"หมู่ที่ต้องเป็นเลข 1 ถึง {VILLAGE_MAX}",
            f"a village (หมู่ที่) is a number from 1 to {VILLAGE_MAX}",
        )  # fmt: skip
    return raw


def _enum(kind: type[E], raw: object, *, field_name: str) -> E:
    try:
        return kind(str(raw))
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise _refuse(
            field_name, "not_a_choice", f"ค่าที่เลือกไม่อยู่ในรายการ ({allowed})",
            f"{raw!r} is not one of: {allowed}",
        ) from None  # fmt: skip


def _text(data: Mapping[str, Any], key: str, max_length: int, *, multiline: bool = False) -> str:
    raw = data.get(key)
    if not isinstance(raw, str):
        raise _refuse(key, "text_blank", "กรุณากรอกข้อความ", "the text is blank")
    value = rules.free_text(raw, field=key, max_length=max_length, multiline=multiline)
    assert value is not None  # required
    return value


def _optional(data: Mapping[str, Any], key: str, max_length: int) -> str | None:
    raw = data.get(key)
    if raw is not None and not isinstance(raw, str):
        raise _refuse(key, "text_blank", "กรุณากรอกข้อความ", "the text is blank")
    return rules.optional_text(raw, field=key, max_length=max_length)


def dev_plan_ref(raw: object) -> DevPlanRef | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise _refuse(
            "dev_plan", "not_an_object", "ข้อมูลอ้างอิงแผนพัฒนาไม่ถูกต้อง", "dev_plan is an object"
        )
    return DevPlanRef(
        edition=_text(raw, "edition", REF_MAX),
        page=_optional(raw, "page", REF_MAX),
        row=_optional(raw, "row", REF_MAX),
    )


def project_from_input(data: Mapping[str, Any], *, project_id: str) -> Project:
    """A project from what a person or a file gave: every field by its rule. Whether its
    strategy exists and its id is unique are checked against the content (`check_content`)."""
    ownership = _enum(Ownership, data.get("ownership", Ownership.OWN), field_name="ownership")
    default_funding = (
        FundingSource.ORDINANCE if ownership is Ownership.OWN else (FundingSource.OUTSIDE_AGENCY)
    )
    return Project(
        id=project_id,
        strategy_id=_text(data, "strategy_id", 64),
        programme=_text(data, "programme", GROUP_MAX),
        number=number(data.get("number")),
        name=_text(data, "name", NAME_MAX),
        activity=_text(data, "activity", DETAIL_MAX, multiline=True),
        budget_baht=rules.money(data.get("budget_baht", "x"), field="budget_baht"),
        location=_text(data, "location", rules.PLACE_MAX),
        unit=_text(data, "unit", UNIT_MAX),
        months=months(data.get("months")),
        funding=_enum(FundingSource, data.get("funding", default_funding), field_name="funding"),
        ownership=ownership,
        tactic=_optional(data, "tactic", GROUP_MAX),
        village=village(data.get("village")),
        funding_note=_optional(data, "funding_note", REF_MAX),
        dev_plan=dev_plan_ref(data.get("dev_plan")),
    )


def equipment_from_input(data: Mapping[str, Any], *, equipment_id: str) -> Equipment:
    return Equipment(
        id=equipment_id,
        programme=_text(data, "programme", GROUP_MAX),
        number=number(data.get("number")),
        category=_text({"category": data.get("category", "ค่าครุภัณฑ์")}, "category", GROUP_MAX),
        type=_text(data, "type", GROUP_MAX),
        target=_text(data, "target", DETAIL_MAX, multiline=True),
        budget_baht=rules.money(data.get("budget_baht", "x"), field="budget_baht"),
        location=_text(data, "location", rules.PLACE_MAX),
        unit=_text(data, "unit", UNIT_MAX),
        months=months(data.get("months")),
    )


def strategy_from_input(data: Mapping[str, Any], *, strategy_id: str) -> Strategy:
    return Strategy(
        id=strategy_id, number=number(data.get("number")), name=_text(data, "name", GROUP_MAX)
    )


def introduction_from_input(data: Mapping[str, Any]) -> Introduction:
    return Introduction(
        background=_text(data, "background", INTRO_MAX, multiline=True),
        objectives=_text(data, "objectives", INTRO_MAX, multiline=True),
        steps=_text(data, "steps", INTRO_MAX, multiline=True),
        benefits=_text(data, "benefits", INTRO_MAX, multiline=True),
        foreword=rules.optional_text(
            data.get("foreword"), field="foreword", max_length=INTRO_MAX, multiline=True
        ),
    )


def check_content(content: Content) -> Content:
    """What holds across rows: ids unique, every project's strategy exists, strategy numbers
    unique, each change names a project it can act on with its reason. Raises on the first
    problem (422), naming the field."""
    ids: set[str] = set()
    for kind, items in (
        ("strategies", content.strategies),
        ("projects", content.projects),
        ("equipment", content.equipment),
    ):
        for item in items:
            if item.id in ids:
                raise _refuse(
                    f"{kind}.id", "duplicate_id", f"รหัส {item.id} ซ้ำกัน",
                    f"the id {item.id} is used twice",
                )  # fmt: skip
            ids.add(item.id)
    numbers = [s.number for s in content.strategies]
    if len(numbers) != len(set(numbers)):
        raise _refuse(
            "strategies.number", "duplicate_number", "ลำดับยุทธศาสตร์ซ้ำกัน",
            "two strategies have the same number",
        )  # fmt: skip
    known = {s.id for s in content.strategies}
    for project in content.projects:
        if project.strategy_id not in known:
            raise _refuse(
                "strategy_id", "no_such_strategy", "ไม่มียุทธศาสตร์ที่ระบุในแผนนี้",
                f"the plan has no strategy {project.strategy_id}",
            )  # fmt: skip
    for change in content.changes:
        rules.free_text(change.reason, field="changes.reason", max_length=rules.COMMENT_MAX)
        in_content = content.project(change.project_id) is not None
        if (change.kind is ChangeKind.REMOVE) == in_content:
            raise _refuse(
                "changes.project_id", "change_mismatch",
                "รายการแก้ไขไม่ตรงกับโครงการในร่าง (เพิ่ม/เปลี่ยนแปลงต้องมีโครงการ ยกเลิกต้องไม่มี)",
                "an add or change names a project of the draft; a removal names none",
            )  # fmt: skip
    return content


