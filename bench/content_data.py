"""Demo-like plan content of any size for the spreadsheet and duplicates benches and tests:
strategies, programmes, projects with Thai names, villages, amounts, month bars."""

from __future__ import annotations

import random
from decimal import Decimal

from workflow import content_model as cm

STRATEGIES = (
    "การพัฒนาด้านโครงสร้างพื้นฐาน", "การพัฒนาด้านเศรษฐกิจ", "การพัฒนาด้านสังคมและคุณภาพชีวิต",
    "การพัฒนาด้านการศึกษา ศาสนา และวัฒนธรรม", "การพัฒนาด้านทรัพยากรธรรมชาติและสิ่งแวดล้อม",
)  # fmt: skip
PROGRAMMES = (
    ("แผนงานเคหะและชุมชน", "แผนงานอุตสาหกรรมและการโยธา"), ("แผนงานการเกษตร",),
    ("แผนงานสาธารณสุข", "แผนงานสังคมสงเคราะห์"), ("แผนงานการศึกษา", "แผนงานการศาสนาวัฒนธรรมและนันทนาการ"),
    ("แผนงานการเกษตร",),
)  # fmt: skip
WORKS = (
    ("ก่อสร้างถนนคอนกรีตเสริมเหล็ก สายบ้าน{v}", "ผิวจราจรกว้าง 4 เมตร ยาว {n}0 เมตร", "กองช่าง"),
    ("ก่อสร้างรางระบายน้ำ คสล. ซอย{v}", "ขนาดกว้าง 0.40 เมตร ยาว {n}0 เมตร", "กองช่าง"),
    ("ขุดลอกคลอง{v}", "ขุดลอกความยาว {n}00 เมตร", "กองช่าง"),
    ("ฝึกอบรมอาชีพกลุ่มสตรีบ้าน{v}", "อบรม {n} คน", "สำนักปลัด"),
    ("รณรงค์ป้องกันไข้เลือดออก บ้าน{v}", "พ่นหมอกควัน {n} ครั้ง", "กองสาธารณสุข"),
    ("อาหารเสริม (นม) โรงเรียนบ้าน{v}", "นักเรียน {n} คน 260 วัน", "กองการศึกษา"),
    ("ประเพณีลอยกระทงบ้าน{v}", "จัดงานประเพณี ประกวดกระทง", "กองการศึกษา"),
    ("ติดตั้งไฟฟ้าส่องสว่างสาธารณะ บ้าน{v}", "โคม LED {n} ชุด", "กองช่าง"),
)  # fmt: skip
VILLAGES = ("หนองบัว", "โนนสูง", "ดอนแดง", "หัวนา", "ท่าช้าง", "คำใหญ่", "นาเจริญ", "สระแก้ว")


def demo_content(projects: int, *, seed: int = 15, equipment: int = 6) -> cm.Content:
    rng = random.Random(seed)
    strategies = tuple(
        cm.Strategy(f"{i + 1:032x}", i + 1, name) for i, name in enumerate(STRATEGIES)
    )
    rows: list[cm.Project] = []
    per = max(1, projects // len(strategies))
    for i in range(projects):
        s = min(i // per, len(strategies) - 1)
        programme = PROGRAMMES[s][(i % per) * len(PROGRAMMES[s]) // per]
        work, detail, unit = WORKS[rng.randrange(len(WORKS))]
        village = rng.randrange(1, 16)
        first = rng.randrange(12)
        months = cm.FISCAL_MONTHS[first : first + rng.randrange(1, 13 - first)]
        own = rng.random() > 0.1
        group = (strategies[s].id, programme)
        number = 1 + sum(1 for p in rows if (p.strategy_id, p.programme) == group)
        rows.append(cm.Project(
            id=f"{0xA000 + i:032x}", strategy_id=strategies[s].id, programme=programme,
            number=number, name=work.format(v=VILLAGES[rng.randrange(len(VILLAGES))], n=i),
            activity=detail.format(n=rng.randrange(2, 90)),
            budget_baht=Decimal(rng.randrange(5_000, 2_500_000)) + Decimal("0.50") * (i % 2),
            location=f"หมู่ที่ {village}", unit=unit, months=tuple(months),
            funding=cm.FundingSource.ORDINANCE if own else cm.FundingSource.OUTSIDE_AGENCY,
            ownership=cm.Ownership.OWN if own else cm.Ownership.REGIONAL, village=village,
            tactic="แนวทางที่ 1 ถนนและทางระบายน้ำ" if s == 0 else None,
            funding_note=None if own else "สำนักงานชลประทาน",
            dev_plan=cm.DevPlanRef("2566-2570", str(rng.randrange(1, 200)), str(i)) if own
            else None,
        ))  # fmt: skip
    items = tuple(
        cm.Equipment(
            id=f"{0xE000 + i:032x}", programme="แผนงานบริหารงานทั่วไป", number=i + 1,
            category="ค่าครุภัณฑ์", type="ครุภัณฑ์คอมพิวเตอร์", target=f"เครื่องคอมพิวเตอร์ {i + 1} เครื่อง",
            budget_baht=Decimal(22_000 * (i + 1)), location="สำนักงาน", unit="สำนักปลัด",
            months=(12, 1),
        )
        for i in range(equipment)
    )
    return cm.check_content(cm.Content(cm.STANDARD_INTRODUCTION, strategies, tuple(rows), items))
