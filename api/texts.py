"""Human texts for the CLI (Thai first, then English), Buddhist-Era dates."""

from __future__ import annotations

from datetime import date

from models.enums import DeadlineKind
from workflow.calendar import format_thai_date, format_thai_date_long
from workflow.guards import thai_count
from workflow.table import CLOCKS


def _d(value: object) -> date:
    assert isinstance(value, str)
    return date.fromisoformat(value)


def explain_deadline(info: dict[str, object]) -> str:
    kind = DeadlineKind(str(info["rule"]))
    clock = CLOCKS[kind]
    start = _d(info["start_on"])
    lines = [
        f"{clock.label_th} ({clock.clause}) / {clock.label_en}",
        f"  เริ่มนับจาก / counted from: {format_thai_date_long(start)} "
        f"(ไม่นับวันแรก / the first day is not counted), {info['days']} วัน / days",
    ]
    if clock.floor:
        satisfied, removal = _d(info["satisfied_end_of"]), _d(info["earliest_removal_on"])
        lines += [
            f"  ครบ{thai_count(clock.days)}วันเมื่อสิ้นวัน / satisfied at the end of: "
            f"{format_thai_date_long(satisfied)}",
            f"  ปลดประกาศได้ตั้งแต่ / may come down from: {format_thai_date_long(removal)}",
            "  แบบระมัดระวัง / conservative: "
            f"{format_thai_date(_d(info['conservative_removal_on']))}",
        ]
        return "\n".join(lines)
    due, last = _d(info["due_on"]), _d(info["last_working_day_on"])
    lines.append(f"  ครบกำหนด / due ({info['mode']}): {format_thai_date_long(due)}")
    if not info["due_is_working_day"]:
        lines.append(
            f"  วันครบกำหนดเป็นวันหยุด ควรดำเนินการภายใน / due date is not a working day, "
            f"act by: {format_thai_date_long(last)}"
        )
    civil = _d(info["civil_due_on"])
    if civil != due:
        lines.append(
            f"  ถ้านับตาม ป.พ.พ. มาตรา 193/8 / under CCC §193/8 (civil): {format_thai_date(civil)}"
        )
    return "\n".join(lines)
