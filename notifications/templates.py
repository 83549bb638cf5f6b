"""The texts: one template pair (Thai, English) per message kind, Thai first everywhere.

Placeholders are `string.Template` names filled by notifications.render; values are plain text
(HTML escaping happens in render, never here).
"""

from __future__ import annotations

from string import Template

from models.labels import CLOCK_LABELS

T = Template

# Headlines per alert kind: (Thai, English).
HEADLINES: dict[str, tuple[Template, Template]] = {
    "ita.reminder": (
        T("ITA $year: ยังไม่มี $code $title (ช่วงส่งหลักฐานเริ่ม $start_th)"),
        T("ITA $year: $code not there yet (the evidence window opens $start_en)"),
    ),
    "alert.reminder": (
        T("เตือน: $duty_th เหลืออีก $days วัน (ครบกำหนด $due_th)"),
        T("Reminder: $duty_en, $days day(s) left (due $due_en)"),
    ),
    "alert.reminder.today": (
        T("เตือน: $duty_th ครบกำหนดวันนี้ ($due_th)"),
        T("Reminder: $duty_en is due today ($due_en)"),
    ),
    "alert.last_working_day": (
        T("วันนี้เป็นวันทำการสุดท้ายก่อนครบกำหนด $due_th: $duty_th"),
        T("Today is the last working day before the due date $due_en: $duty_en"),
    ),
    "alert.overdue": (
        T("เกินกำหนดแล้ว $days วัน: $duty_th (ครบกำหนด $due_th)"),
        T("Overdue by $days day(s): $duty_en (was due $due_en)"),
    ),
    "alert.may_come_down": (
        T("ปิดประกาศครบระยะเวลาแล้ว ปลดประกาศได้ตั้งแต่ $due_th"),
        T("The minimum posting period is satisfied: the notice may come down from $due_en"),
    ),
    "deadline.extended": (
        T("ผู้บริหารท้องถิ่นขยายกำหนดเวลา: จาก $previous_th เป็น $new_th"),
        T("The executive extended the deadline from $previous_en to $new_en"),
    ),
    "deadline.set_aside": (
        T("ระบบพักกำหนดเวลาหมายเลข $deadline_id ของแผน «$plan» ไว้ก่อน: ประมวลผลไม่ได้"),
        T("The scheduler set deadline $deadline_id of «$plan» aside: it cannot process it"),
    ),
    "report": (
        T("$action_th: รายงานผลการติดตามและประเมินผลแผนพัฒนาท้องถิ่น $round_th "
          "ปีงบประมาณ $year (มีผลวันที่ $effective_th)"),
        T("$action_en: the monitoring report, $round_en, fiscal year $year (BE) "
          "(effective $effective_en)"),
    ),
    "report.half_reminder": (
        T("เตือน: รายงานผลการติดตามและประเมินผลรอบหกเดือน ปีงบประมาณ $year "
          "ควรประกาศภายใน $by_th"),
        T("Reminder: the 6-month monitoring report of fiscal year $year (BE), "
          "to be announced by $by_en"),
    ),
    "transition": (
        T("$action_th: «$title» (มีผลวันที่ $effective_th)"),
        T("$action_en: «$title» (effective $effective_en)"),
    ),
}

# What to do next, per clock: (Thai, English).
NEXT_STEPS: dict[str, tuple[str, str]] = {
    "preparation": (
        "เร่งจัดทำร่างแผน เสนอคณะกรรมการพิจารณา และเสนอผู้บริหารท้องถิ่นประกาศใช้ก่อนครบกำหนด "
        "หากไม่ทัน ผู้บริหารท้องถิ่นขยายเวลาได้ (ข้อ 27)",
        "Finish the draft, have the committee approve it and the executive announce it by the due "
        "date; if that is not possible, the executive may extend the deadline (clause 27).",
    ),
    "posting": (
        "ปิดประกาศแผนการดำเนินงานโดยเปิดเผยที่สำนักงานและช่องทางอื่น แล้วบันทึกการปิดประกาศ "
        "พร้อมสถานที่ปิดประกาศในระบบ (ข้อ 26 (2))",
        "Post the plan publicly at the office and other channels, then record the posting and "
        "its places in localplan (clause 26 (2)).",
    ),
    "minimum_posting": (
        "ปลดประกาศได้ และบันทึกการครบกำหนดปิดประกาศในระบบ",
        "The notice may come down; record the completion of the posting in localplan.",
    ),
}
AUTO_COMPLETE = (
    "ระบบจะบันทึกการครบกำหนดปิดประกาศให้โดยอัตโนมัติ",
    "localplan records the completion of the posting automatically.",
)
LAST_WORKING_DAY_ADVICE = (
    "วันครบกำหนดไม่ใช่วันทำการ ควรดำเนินการภายใน $lwd_th",
    "The due date is not a working day: act by $lwd_en.",
)
SET_ASIDE_ADVICE = (
    "ตรวจสอบและแก้ไขข้อมูลกำหนดเวลานี้ กำหนดเวลาอื่นยังประมวลผลตามปกติ "
    "และ /healthz แจ้งว่า degraded จนกว่าจะแก้ไขแล้วหรือไม่ถึงกำหนดแล้ว",
    "Check and correct this deadline. The others are swept as usual; /healthz says degraded "
    "until it is fixed or no longer due.",
)
ESCALATED = (
    "แจ้งผู้บริหารท้องถิ่นและผู้ตรวจสอบที่มีอำนาจกำกับดูแลแล้ว",
    "The executive and the auditors in scope have been told.",
)

# The workflow table's action labels (a test keeps them equal to workflow.table).
ACTIONS: dict[str, tuple[str, str]] = {
    "create": ("จัดทำร่างแผน", "Create draft"),
    "submit": ("เสนอร่างแผน", "Submit"),
    "return_for_revision": ("ส่งกลับให้แก้ไข", "Return for revision"),
    "approve": ("เห็นชอบและเสนอผู้บริหาร", "Approve and propose"),
    "send_back": ("ส่งกลับ", "Send back"),
    "announce": ("ประกาศใช้แผน", "Announce"),
    "post": ("ปิดประกาศ", "Post publicly"),
    "complete_posting": ("ครบกำหนดปิดประกาศ", "Complete posting"),
    "withdraw": ("ยกเลิกแผน", "Withdraw"),
    "present": ("เสนอต่อสภาท้องถิ่นและคณะกรรมการพัฒนาท้องถิ่น", "Present the result"),
    "extend_deadline": ("ขยายกำหนดเวลา", "Extend deadline"),
    "correct": ("แก้ไขข้อมูลที่บันทึกผิด", "Correct a record"),
}
# The actions whose comment is the reason for them (a return, a send-back, a withdrawal).
REASONED = frozenset({"return_for_revision", "send_back", "withdraw", "correct"})
NEXT_AFTER_ACTION: dict[str, tuple[str, str]] = {
    "submit": ("โปรดพิจารณาร่างแผน", "Please consider the draft."),
    "return_for_revision": ("โปรดแก้ไขร่างแผนตามความเห็น", "Please revise the draft."),
    "approve": ("โปรดพิจารณาประกาศใช้แผน", "Please consider announcing the plan."),
    "send_back": ("โปรดพิจารณาร่างแผนอีกครั้ง", "Please consider the draft again."),
    "announce": (
        "ปิดประกาศโดยเปิดเผยภายใน 15 วันนับแต่วันประกาศ (ข้อ 26 (2))",
        "Post the plan publicly within 15 days of the announcement (clause 26 (2)).",
    ),
    "post": (
        "ปิดประกาศไว้อย่างน้อย 30 วัน (ข้อ 26 (2))",
        "Keep it posted for at least 30 days (clause 26 (2)).",
    ),
    "complete_posting": ("ไม่ต้องดำเนินการเพิ่มเติม", "Nothing more to do."),
    "withdraw": ("ไม่ต้องดำเนินการเพิ่มเติม", "Nothing more to do."),
}
PLAN_KINDS: dict[str, tuple[str, str]] = {
    "annual": ("แผนการดำเนินงาน ประจำปีงบประมาณ", "operational plan, fiscal year"),
    "supplementary": ("แผนการดำเนินงานเพิ่มเติม", "supplementary operational plan"),
    "amendment": ("แผนการดำเนินงานแก้ไข", "amended operational plan"),
}
DIGEST_SUBJECT = (
    "สรุปกำหนดเวลาประจำวัน $day_th: $count รายการ",
    "Daily digest $day_en: $count deadline(s)",
)
FOOTER = (
    "ข้อความนี้ส่งโดยระบบ localplan",
    "Sent by localplan.",
)

# The clocks' duties, by the stored text of their kind (one copy, in models.labels).
DUTIES: dict[str, tuple[str, str]] = {k.value: pair for k, pair in CLOCK_LABELS.items()}

# The transparency checklist's reminder (docs/domain.md "The transparency checklist").
ITA_ADVICE = (
    "เผยแพร่ให้ครบก่อนช่วงส่งหลักฐาน: ดูรายการที่หน้า ITA ของหน่วยงาน",
    "Publish it before the evidence window: see the office's ITA page",
)
