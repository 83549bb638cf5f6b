"""Words both sides of the workflow/notifications wall show: one copy, below both.

The workflow table names each legal clock by its duty (workflow.table.CLOCKS takes its labels
from here); the messages and the daily digest name the clocks the same way. Thai first, then
English; docs/domain.md "The three clocks".
"""

from __future__ import annotations

from models.enums import DeadlineKind

# Each clock's duty: (Thai, English).
CLOCK_LABELS: dict[DeadlineKind, tuple[str, str]] = {
    DeadlineKind.PREPARATION: ("จัดทำแผนการดำเนินงานให้แล้วเสร็จ", "Finish (announce) the plan"),
    DeadlineKind.POSTING: ("ปิดประกาศโดยเปิดเผย", "Post the plan publicly"),
    DeadlineKind.MINIMUM_POSTING: (
        "ปิดประกาศไว้อย่างน้อยสามสิบวัน",
        "Keep the notice posted at least 30 days",
    ),
    DeadlineKind.REPORT_ANNOUNCEMENT: (
        "ประกาศผลการติดตามและประเมินผลภายในสิบห้าวันนับแต่วันที่เสนอ",
        "Announce the monitoring result within 15 days from its presentation",
    ),
    DeadlineKind.YEARLY_REPORT: (
        "ประกาศผลการติดตามและประเมินผลอย่างน้อยปีละหนึ่งครั้งภายในเดือนธันวาคม",
        "Announce the year's monitoring result within December",
    ),
}
