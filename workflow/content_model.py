"""The plan's content as values (docs/domain.md "Plan content"): strategies, projects (ผด.02),
equipment (ผด.02/1), the introduction, and for an amendment its changes with their reasons.

Pure: no database, no third-party library. Every surface (API, web, CLI, the spreadsheet
reader) builds these through `project_from_input` / `equipment_from_input`, so the same input
is refused with the same reason everywhere. `canonical` and `content_hash` are what the chain
records: the same content gives the same bytes and the same SHA-256 on every machine.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from workflow import input_rules as rules
from workflow.errors import reason

E = TypeVar("E", bound=StrEnum)

# The twelve months of a Thai fiscal year in their order (ต.ค. … ก.ย.), as calendar months.
FISCAL_MONTHS: tuple[int, ...] = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)
NAME_MAX, DETAIL_MAX, UNIT_MAX, INTRO_MAX, GROUP_MAX, REF_MAX = 500, 3000, 200, 20000, 300, 100
VILLAGE_MAX = 99  # หมู่ที่: a sub-district has at most a few dozen villages
CONTENT_SCHEMA = 1  # the canonical form's version; a change of form is a new number


class FundingSource(StrEnum):
    """Where a project's money comes from (docs/domain.md "Funding source")."""

    ORDINANCE = "ordinance"  # ข้อบัญญัติงบประมาณรายจ่ายประจำปี
    SUPPLEMENTARY_ORDINANCE = "supplementary_ordinance"  # ข้อบัญญัติงบประมาณรายจ่ายเพิ่มเติม
    ACCUMULATED_FUNDS = "accumulated_funds"  # จ่ายขาดเงินสะสม
    TRANSFER = "transfer"  # โอนงบประมาณ (ครั้งที่ n/ปี: `funding_note`)
    SPECIFIC_SUBSIDY = "specific_subsidy"  # เงินอุดหนุนเฉพาะกิจ
    CENTRAL_FUND = "central_fund"  # งบกลาง
    OUTSIDE_AGENCY = "outside_agency"  # งบประมาณของหน่วยงานอื่น
    OTHER = "other"  # อื่น ๆ (`funding_note` says what)


class Ownership(StrEnum):
    """Whose project it is (clause 26 step 1): the office's own, or an outside agency's."""

    OWN = "own"
    CENTRAL = "central"  # ส่วนกลาง
    REGIONAL = "regional"  # ส่วนภูมิภาค
    STATE_ENTERPRISE = "state_enterprise"  # รัฐวิสาหกิจ
    OTHER_AGENCY = "other_agency"  # หน่วยงานอื่น


class ChangeKind(StrEnum):
    """What an amendment does to one project of the plan in force."""

    ADD = "add"
    CHANGE = "change"
    REMOVE = "remove"


FUNDING_LABELS: Mapping[FundingSource, str] = {
    FundingSource.ORDINANCE: "ข้อบัญญัติงบประมาณรายจ่ายประจำปี",
    FundingSource.SUPPLEMENTARY_ORDINANCE: "ข้อบัญญัติงบประมาณรายจ่ายเพิ่มเติม",
    FundingSource.ACCUMULATED_FUNDS: "จ่ายขาดเงินสะสม",
    FundingSource.TRANSFER: "โอนงบประมาณ",
    FundingSource.SPECIFIC_SUBSIDY: "เงินอุดหนุนเฉพาะกิจ",
    FundingSource.CENTRAL_FUND: "งบกลาง",
    FundingSource.OUTSIDE_AGENCY: "งบประมาณของหน่วยงานอื่น",
    FundingSource.OTHER: "อื่น ๆ",
}
OWNERSHIP_LABELS: Mapping[Ownership, str] = {
    Ownership.OWN: "องค์กรปกครองส่วนท้องถิ่น",
    Ownership.CENTRAL: "ส่วนกลาง",
    Ownership.REGIONAL: "ส่วนภูมิภาค",
    Ownership.STATE_ENTERPRISE: "รัฐวิสาหกิจ",
    Ownership.OTHER_AGENCY: "หน่วยงานอื่น",
}
CHANGE_LABELS: Mapping[ChangeKind, str] = {
    ChangeKind.ADD: "เพิ่ม",
    ChangeKind.CHANGE: "เปลี่ยนแปลง",
    ChangeKind.REMOVE: "ยกเลิก",
}
MONTH_ABBR: Mapping[int, str] = {
    10: "ต.ค.", 11: "พ.ย.", 12: "ธ.ค.", 1: "ม.ค.", 2: "ก.พ.", 3: "มี.ค.",
    4: "เม.ย.", 5: "พ.ค.", 6: "มิ.ย.", 7: "ก.ค.", 8: "ส.ค.", 9: "ก.ย.",
}  # fmt: skip


@dataclass(frozen=True)
class Strategy:
    """ยุทธศาสตร์: `id` is stable; `number` orders them as printed."""

    id: str
    number: int
    name: str


@dataclass(frozen=True)
class DevPlanRef:
    """Where an own project stands in the five-year development plan (form ผ.02)."""

    edition: str  # e.g. "2561-2565" or "เพิ่มเติม ครั้งที่ 1"
    page: str | None = None
    row: str | None = None


@dataclass(frozen=True)
class Project:
    """One row of ผด.02. `id` survives edits, versions, exports and re-imports."""

    id: str
    strategy_id: str
    programme: str  # แผนงาน
    number: int  # ที่, within its strategy and programme
    name: str
    activity: str  # รายละเอียดของกิจกรรมที่เกิดขึ้นจากโครงการ
    budget_baht: Decimal
    location: str  # สถานที่ดำเนินการ
    unit: str  # หน่วยงานรับผิดชอบหลัก
    months: tuple[int, ...]  # calendar months, in fiscal order
    funding: FundingSource = FundingSource.ORDINANCE
    ownership: Ownership = Ownership.OWN
    tactic: str | None = None  # กลยุทธ์/แนวทาง
    village: int | None = None  # หมู่ที่
    funding_note: str | None = None  # the transfer's number, the agency, what "other" is
    dev_plan: DevPlanRef | None = None

    @property
    def own(self) -> bool:
        return self.ownership is Ownership.OWN


@dataclass(frozen=True)
class Equipment:
    """One row of ผด.02/1 (equipment not tied to a project)."""

    id: str
    programme: str  # แผนงาน
    number: int
    category: str  # หมวด, usually ค่าครุภัณฑ์
    type: str  # ประเภท: ครุภัณฑ์สำนักงาน, คอมพิวเตอร์, ...
    target: str  # เป้าหมาย: what and how many
    budget_baht: Decimal
    location: str
    unit: str
    months: tuple[int, ...]


@dataclass(frozen=True)
class Change:
    """An amendment's change to the plan in force: for ADD and CHANGE the project with this id
    is in the amendment's projects (the after); for CHANGE and REMOVE the id is a project of
    the plan in force (the before)."""

    kind: ChangeKind
    project_id: str
    reason: str  # เหตุผลความจำเป็น


@dataclass(frozen=True)
class Introduction:
    """ส่วนที่ 1 บทนำ: 1.1–1.4, a standard text each office may edit, and an optional คำนำ."""

    background: str  # 1.1 บทนำ
    objectives: str  # 1.2 วัตถุประสงค์
    steps: str  # 1.3 ขั้นตอนการจัดทำ
    benefits: str  # 1.4 ประโยชน์
    foreword: str | None = None


@dataclass(frozen=True)
class Content:
    """A plan's whole content. Order of the tuples is the printed order."""

    introduction: Introduction
    strategies: tuple[Strategy, ...] = ()
    projects: tuple[Project, ...] = ()
    equipment: tuple[Equipment, ...] = ()
    changes: tuple[Change, ...] = ()

    def strategy(self, strategy_id: str) -> Strategy | None:
        return next((s for s in self.strategies if s.id == strategy_id), None)

    def project(self, project_id: str) -> Project | None:
        return next((p for p in self.projects if p.id == project_id), None)


STANDARD_INTRODUCTION = Introduction(
    background=(
        "แผนการดำเนินงาน มีจุดมุ่งหมายเพื่อแสดงถึงรายละเอียดแผนงาน/โครงการพัฒนาและกิจกรรมการพัฒนา"
        "ที่ดำเนินการจริงทั้งหมดในพื้นที่ขององค์กรปกครองส่วนท้องถิ่นประจำปีงบประมาณนั้น "
        "ทำให้แนวทางในการดำเนินงานในปีงบประมาณนั้นขององค์กรปกครองส่วนท้องถิ่นมีความชัดเจน"
        "ในการปฏิบัติมากขึ้น มีการประสานและบูรณาการการทำงานกับหน่วยงานและการจำแนกรายละเอียดต่าง ๆ "
        "ของแผนงาน/โครงการในแผนการดำเนินงาน"
    ),
    objectives=(
        "เพื่อแสดงถึงรายละเอียดแผนงาน/โครงการพัฒนาและกิจกรรมการพัฒนาที่ดำเนินการจริงทั้งหมดในพื้นที่ "
        "ทำให้การดำเนินงานมีความชัดเจน ลดความซ้ำซ้อนของโครงการ มีการประสานและบูรณาการการทำงาน"
        "กับหน่วยงานอื่น และการติดตามประเมินผลเมื่อสิ้นปีมีความสะดวกมากขึ้น"
    ),
    steps=(
        "(1) คณะกรรมการสนับสนุนการจัดทำแผนพัฒนาท้องถิ่นรวบรวมแผนงาน โครงการพัฒนาขององค์กรปกครอง"
        "ส่วนท้องถิ่น หน่วยราชการส่วนกลาง ส่วนภูมิภาค รัฐวิสาหกิจและหน่วยงานอื่น ๆ ที่ดำเนินการในพื้นที่ "
        "แล้วจัดทำร่างแผนการดำเนินงานเสนอคณะกรรมการพัฒนาท้องถิ่น\n"
        "(2) คณะกรรมการพัฒนาท้องถิ่นพิจารณาร่างแผนการดำเนินงาน แล้วเสนอผู้บริหารท้องถิ่นประกาศเป็น"
        "แผนการดำเนินงาน โดยประกาศภายในสามสิบวันนับแต่วันที่ประกาศใช้งบประมาณรายจ่าย และปิดประกาศ"
        "ไว้อย่างน้อยสามสิบวัน (ข้อ 26)"
    ),
    benefits=(
        "ใช้เป็นเครื่องมือสำคัญในการบริหารงานของผู้บริหารท้องถิ่น เพื่อควบคุมการดำเนินงาน"
        "ให้เป็นไปอย่างเหมาะสมและมีประสิทธิภาพ และใช้เป็นแนวทางในการติดตามประเมินผล"
    ),
)

EMPTY = Content(introduction=STANDARD_INTRODUCTION)


def new_id() -> str:
    """A stable id for a new strategy, project or equipment row (random, 32 hex digits)."""
    return uuid.uuid4().hex


# --- input rules -------------------------------------------------------------------------


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


# --- canonical form and hash -------------------------------------------------------------


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


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file or a batch, where it is and why (the spreadsheet reader's
    output; nothing is written while any exists)."""

    sheet: str
    row: int | None
    column: str | None
    code: str
    th: str
    en: str
    extra: Mapping[str, Any] = field(default_factory=dict)
