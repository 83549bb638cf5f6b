"""The compliance summary as a Thai PDF (docs/domain.md "The audit pack", "The compliance
summary"): per plan, what each clock required, when it was met, on time or late, and the
assessors' checklist with the evidence present or missing. Set by the same engine as the
papers (documents/pdf.py: WeasyPrint, the fixed-up Laksaman faces, the corrected text layer);
dates in B.E.

The summary prints the SHA-256 of the `compliance.json` and `checklist.json` it was made from,
so `localplan audit verify-pack` can tell that the PDF in a pack says what those files say."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from models.enums import DeadlineKind, PlanKind, PlanState
from models.labels import CLOCK_LABELS
from models.thai_dates import format_thai_date, format_thai_instant
from workflow.queries import PlanCompliance
from workflow.table import STATE_LABELS

CLOCK_STATUS = {
    "on_time": "ทันกำหนด",
    "late": "ล่าช้า",
    "open": "ยังไม่ครบกำหนด",
    "overdue": "เลยกำหนดแล้ว ยังไม่ดำเนินการ",
    "cancelled": "ยกเลิก (แผนถูกยกเลิก)",
}
ITEM_STATUS = {
    "ok": "ครบถ้วน",
    "missing": "ขาดหลักฐาน",
    "failed": "ไม่ผ่าน (ขาดหลักฐาน)",
    "not_yet": "ยังไม่ถึงขั้นตอน",
    "late": "ล่าช้า",
}
CLOCK_RULE = {
    DeadlineKind.PREPARATION: "ภายใน 30 วันนับแต่วันที่เกิดเหตุ (ข้อ 27)",
    DeadlineKind.POSTING: "ภายใน 15 วันนับแต่วันประกาศ (ข้อ 26 (2))",
    DeadlineKind.MINIMUM_POSTING: "ไม่น้อยกว่า 30 วันนับแต่วันปิดประกาศ (ข้อ 26 (2))",
}
KIND_WORDS = {
    PlanKind.ANNUAL: "แผนการดำเนินงาน",
    PlanKind.SUPPLEMENTARY: "แผนการดำเนินงานเพิ่มเติม",
    PlanKind.AMENDMENT: "แผนการดำเนินงานแก้ไข",
}


@dataclass(frozen=True)
class ClockLine:
    duty: str
    rule: str
    start: str
    due: str
    done: str
    status: str
    late: bool


@dataclass(frozen=True)
class ItemLine:
    item: str
    status: str
    evidence: str
    note: str
    short: bool  # evidence missing, failed or late: printed in bold


@dataclass(frozen=True)
class PlanView:
    plan_id: int
    heading: str
    title: str
    state: str
    dates: tuple[tuple[str, str], ...]
    clocks: tuple[ClockLine, ...]
    items: tuple[ItemLine, ...]


def _day(day: date | None) -> str:
    return "-" if day is None else format_thai_date(day)


def _clock_lines(row: PlanCompliance) -> tuple[ClockLine, ...]:
    return tuple(
        ClockLine(
            duty=CLOCK_LABELS[c.kind][0],
            rule=CLOCK_RULE[c.kind],
            start=_day(c.start_on),
            due=_day(c.due_on) + (" (ขยายเวลาแล้ว)" if c.extended else ""),
            done=_day(c.done_on),
            status=CLOCK_STATUS.get(c.status, c.status),
            late=c.status in ("late", "overdue"),
        )
        for c in row.clocks
    )


def _item_lines(items: Sequence[Mapping[str, Any]]) -> tuple[ItemLine, ...]:
    return tuple(
        ItemLine(
            item=str(i["th"]),
            status=ITEM_STATUS.get(str(i["status"]), str(i["status"])),
            evidence=", ".join(f"#{e}" for e in i["evidence"]) or "-",
            note=str(i["note"]),
            short=i["status"] in ("missing", "failed", "late"),
        )
        for i in items
    )


def plan_views(
    rows: Sequence[PlanCompliance],
    checklists: Mapping[int, Sequence[Mapping[str, Any]]],
    titles: Mapping[int, str],
) -> list[PlanView]:
    """One view per plan: its clocks and its checklist items (`checklists`: plan → items)."""
    views = []
    for row in rows:
        number = "" if row.kind is PlanKind.ANNUAL else f" ครั้งที่ {row.number}"
        views.append(
            PlanView(
                plan_id=row.plan_id,
                heading=f"{KIND_WORDS[row.kind]}{number} ประจำปีงบประมาณ พ.ศ. {row.fiscal_year_be}",
                title=titles.get(row.plan_id, ""),
                state=STATE_LABELS[PlanState(row.state)][0],
                dates=(
                    ("วันที่เกิดเหตุ", _day(row.trigger_on)),
                    ("วันประกาศ", _day(row.announced_on)),
                    ("วันปิดประกาศ", _day(row.posted_on)),
                    ("วันครบกำหนดปิดประกาศ", _day(row.completed_on)),
                ),
                clocks=_clock_lines(row),
                items=_item_lines(checklists.get(row.plan_id, ())),
            )
        )
    return views


def summary_pdf(
    *,
    organization: str,
    code: str,
    fiscal_years: Sequence[int],
    requirement: str,
    plans: Sequence[PlanView],
    made_at: datetime,
    fingerprint: str,
) -> bytes:
    """The summary's PDF; `fingerprint`: the SHA-256 of the JSON it was made from."""
    from documents.pdf import render

    return render(
        "compliance.html",
        s={
            "organization": organization,
            "code": code,
            "years": ", ".join(str(y) for y in fiscal_years),
            "requirement": "บังคับ" if requirement == "required" else "แนะนำ",
            "made_at": format_thai_instant(made_at),
            "plans": plans,
            "fingerprint": fingerprint,
        },
    )
