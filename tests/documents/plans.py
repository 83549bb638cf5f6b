"""A plan's content for the document tests and the bench: strategies, programmes, projects
and equipment with Thai words that exercise SARA AM, tone marks and long cells."""

from __future__ import annotations

from decimal import Decimal

from workflow.content_model import (
    STANDARD_INTRODUCTION,
    Content,
    Equipment,
    Project,
    Strategy,
)

STRATEGIES = (
    "การพัฒนาด้านโครงสร้างพื้นฐาน",
    "การพัฒนาด้านคุณภาพชีวิตและสังคม",
    "การพัฒนาด้านการบริหารจัดการน้ำและสิ่งแวดล้อม",
)
PROGRAMMES = ("เคหะและชุมชน", "การศึกษา", "สาธารณสุข", "สร้างความเข้มแข็งของชุมชน")
FOREWORD = (
    "แผนการดำเนินงานฉบับนี้จัดทำขึ้นตามระเบียบกระทรวงมหาดไทยว่าด้วยการจัดทำแผนพัฒนา"
    "ขององค์กรปกครองส่วนท้องถิ่น เพื่อใช้เป็นแนวทางในการดำเนินงานประจำปี"
)


def plan_content(projects: int = 12, equipment: int = 3) -> Content:
    strategies = tuple(
        Strategy(id=f"s{i}", number=i + 1, name=name) for i, name in enumerate(STRATEGIES)
    )
    rows = tuple(_project(i, strategies[i % len(strategies)].id) for i in range(projects))
    kit = tuple(_equipment(i) for i in range(equipment))
    intro = STANDARD_INTRODUCTION.__class__(
        **{**STANDARD_INTRODUCTION.__dict__, "foreword": FOREWORD}
    )
    return Content(introduction=intro, strategies=strategies, projects=rows, equipment=kit)


def _project(i: int, strategy_id: str) -> Project:
    return Project(
        id=f"p{i:04d}",
        strategy_id=strategy_id,
        programme=PROGRAMMES[i % len(PROGRAMMES)],
        number=i + 1,
        name=f"โครงการก่อสร้างถนนคอนกรีตเสริมเหล็กและวางท่อระบายน้ำ หมู่ที่ {i % 9 + 1} สายที่ {i + 1}",
        activity="ก่อสร้างถนนกว้าง 5 เมตร ยาว 120 เมตร หนา 0.15 เมตร พร้อมป้ายประชาสัมพันธ์โครงการ",
        budget_baht=Decimal(150000 + 12500 * i) + (Decimal("0.50") if i == 1 else Decimal(0)),
        location=f"บ้านแหลมรัง หมู่ที่ {i % 9 + 1}",
        unit="กองช่าง",
        months=((10, 11, 12), (1, 2, 3), (4, 5), (6, 7, 8, 9))[i % 4],
    )


def _equipment(i: int) -> Equipment:
    return Equipment(
        id=f"e{i:04d}",
        programme="บริหารงานทั่วไป",
        number=i + 1,
        category="ค่าครุภัณฑ์",
        type="ครุภัณฑ์คอมพิวเตอร์",
        target=f"จัดซื้อเครื่องคอมพิวเตอร์สำหรับงานประมวลผล จำนวน {i + 1} เครื่อง",
        budget_baht=Decimal(22000 * (i + 1)),
        location="สำนักปลัด",
        unit="สำนักปลัด",
        months=(1,),
    )
