"""The plan's content as values (docs/domain.md "Plan content"): strategies, projects (ผด.02),
equipment (ผด.02/1), the introduction, and for an amendment its changes with their reasons;
and `Problem`, one thing wrong in a file or a batch. Pure: no database, no third-party library.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

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
