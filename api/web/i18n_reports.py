"""Labels of the monitoring reports' pages (/reports, /reports/{id}, /audit/reports): Thai
first, English by the language switch. Merged into api/web/i18n.LABELS. The reports' states and
rounds are labelled by workflow/table_reports.py (REPORT_STATE_LABELS, ROUND_LABELS)."""

from __future__ import annotations

REPORT_LABELS: dict[str, tuple[str, str]] = {
    "reports": ("รายงานผลการติดตาม", "Monitoring reports"),
    "audit_reports": ("รายงานผลการติดตาม (ทุกหน่วยงาน)", "Monitoring reports (scope)"),
    "report": ("รายงานผลการติดตามและประเมินผล", "Monitoring report"),
    "round": ("รอบการรายงาน", "Round"),
    "new_report": ("จัดทำร่างรายงานผลการติดตาม", "Draft a monitoring report"),
    "create_report": ("จัดทำร่างรายงาน", "Draft the report"),
    "no_reports": ("ยังไม่มีรายงานผลการติดตาม", "No monitoring reports yet"),
    "report_plan": ("แผนที่รายงานผล", "Plan reported on"),
    "no_plan_named": ("ยังไม่ได้ระบุแผนที่ใช้บังคับ", "No plan in force named"),
    "no_clocks": ("ยังไม่มีกำหนดเวลาที่เริ่มนับ", "No clock has started yet"),
    "presented_on": ("วันที่เสนอต่อสภาท้องถิ่น", "Presented on"),
    "report_posting_complete": ("วันที่ครบกำหนดปิดประกาศ", "Posting complete on"),
    "findings": ("ผลการติดตามและประเมินผล", "Findings"),
    "recommendations": ("ความเห็นและข้อเสนอแนะ", "Recommendations"),
    "committee_result": ("ผลการพิจารณาของคณะกรรมการติดตามและประเมินผล",
                         "The monitoring committee's result"),
    "not_yet": ("ยังไม่มี", "not yet"),
    "figures_summary": ("สรุปตัวเลขผลการดำเนินงาน", "Summary of the figures"),
    "figures_as_of": ("ข้อมูล ณ วันที่ {day}", "as of {day}"),
    "figures_none": ("ยังคำนวณตัวเลขไม่ได้", "The figures cannot be counted yet"),
    "projects_in_plan": ("โครงการในแผน", "Projects in the plan"),
    "with_approved_budget": ("ได้รับอนุมัติงบประมาณ", "With an approved budget"),
    "planned_baht": ("งบประมาณตามแผน (บาท)", "Planned (baht)"),
    "committed_baht": ("ก่อหนี้ผูกพัน (บาท)", "Committed (baht)"),
    "disbursed_baht": ("เบิกจ่ายแล้ว (บาท)", "Disbursed (baht)"),
    "disbursed_percent": ("ร้อยละเบิกจ่าย", "Disbursed %"),
    "strategy": ("ยุทธศาสตร์", "Strategy"),
    "figures_pdf": ("รายงาน (PDF)", "Report (PDF)"),
    "figures_xlsx": ("ตัวเลข (.xlsx)", "Figures (.xlsx)"),
    "open_clocks": ("กำหนดเวลาที่เปิดอยู่", "Open clocks"),
    "presentation_date": ("วันที่เสนอต่อสภาท้องถิ่นและคณะกรรมการพัฒนาท้องถิ่น",
                          "Date presented to the council and the committee"),
    "read_only": ("ท่านดูรายงานนี้ได้อย่างเดียว", "You may read this report only"),
    "filter": ("กรอง", "Filter"),
    "report_stale": (
        "มีผู้ดำเนินการก่อนแล้ว ขณะนี้รายงานอยู่ในสถานะ «{state}» โปรดตรวจสอบก่อนดำเนินการอีกครั้ง",
        "Someone acted first: the report is now «{state}». Check it before acting again",
    ),
    "report_waiting": ("ขณะนี้ท่านไม่มีขั้นตอนที่ต้องทำ", "Nothing for you to do now"),
}
