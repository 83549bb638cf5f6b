"""Labels of the web pages: Thai first, English by the language switch."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from api.web.i18n_admin import ADMIN_LABELS
from api.web.i18n_reports import REPORT_LABELS
from models.thai_dates import (
    format_english_date,
    format_english_instant,
    format_thai_date,
    format_thai_instant,
)

Lang = Literal["th", "en"]
LANG_COOKIE = "localplan_lang"

LABELS: dict[str, tuple[str, str]] = {
    "app": ("ระบบติดตามแผนการดำเนินงาน อปท.", "Local operational plans"),
    "skip": ("ข้ามไปยังเนื้อหา", "Skip to content"),
    "signin": ("เข้าสู่ระบบ", "Sign in"),
    "signout": ("ออกจากระบบ", "Sign out"),
    "username": ("ชื่อผู้ใช้", "Username"),
    "password": ("รหัสผ่าน", "Password"),
    "dashboard": ("หน้าหลัก", "Dashboard"),
    "alerts": ("การแจ้งเตือน", "Alerts"),
    "notices": ("ป้ายประกาศ", "Notice board"),
    "history": ("ค้นประวัติการดำเนินการ", "History search"),
    "compliance": ("ตารางการปฏิบัติตามกำหนด", "Compliance"),
    "verify": ("ตรวจความครบถ้วนของบันทึก", "Integrity check"),
    "ita": ("ITA การเปิดเผยข้อมูล", "ITA checklist"),
    "users": ("ผู้ใช้และบทบาท", "Users and roles"),
    "holidays": ("วันหยุดราชการเพิ่มเติม", "Holiday overlay"),
    "new_plan": ("สร้างแผนใหม่", "New plan"),
    "plans": ("แผนการดำเนินงาน", "Plans"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "all": ("ทั้งหมด", "All"),
    "show": ("แสดง", "Show"),
    "search": ("ค้นหา", "Search"),
    "state": ("สถานะ", "State"),
    "plan": ("แผน", "Plan"),
    "kind": ("ประเภทแผน", "Kind"),
    "title": ("ชื่อแผน", "Title"),
    "organization": ("หน่วยงาน", "Organization"),
    "province": ("จังหวัด", "Province"),
    "next_deadline": ("กำหนดถัดไป", "Next deadline"),
    "your_actions": ("สิ่งที่ท่านทำได้ตอนนี้", "What you can do now"),
    "no_plans": ("ยังไม่มีแผน", "No plans yet"),
    "no_actions": ("ไม่มี", "None"),
    "days_left": ("อีก {n} วัน", "{n} days left"),
    "due_today": ("ครบกำหนดวันนี้", "due today"),
    "overdue_by": ("เลยกำหนด {n} วัน", "{n} days overdue"),
    # An open minimum posting period whose day has come (the sweep completes it next): it
    # is no duty, so never "overdue", and never "อีก -n วัน".
    "floor_reached": ("ครบระยะเวลาขั้นต่ำแล้ว", "minimum period reached"),
    "holiday_note": (
        "วันครบกำหนดตรงกับวันหยุด ({name}) ควรดำเนินการภายในวันทำการสุดท้าย {day}",
        "the due date is a holiday ({name}); act by the last working day, {day}",
    ),
    "weekend": ("วันเสาร์-อาทิตย์", "a weekend"),
    "summary": ("สรุป", "Summary"),
    "number": ("ครั้งที่", "Number"),
    "trigger": ("เหตุที่เริ่มแผน", "Trigger"),
    "trigger_kind": ("เหตุที่เริ่มแผน", "Trigger event"),
    "trigger_on": ("วันที่เกิดเหตุ", "Trigger date"),
    "trigger_note": ("รายละเอียดเหตุ", "Trigger note"),
    "version": ("แก้ไขล่าสุด", "Last changed"),
    "deadlines": ("กำหนดเวลาตามระเบียบ", "Legal deadlines"),
    "clause": ("ข้อระเบียบ", "Clause"),
    "counted": ("วิธีนับ", "How counted"),
    "counted_from": (
        "นับจาก {start} (ไม่นับวันแรก) {days} วัน แบบ{mode}",
        "{days} days from {start} (first day not counted), {mode} counting",
    ),
    "mode_strict": ("เคร่งครัด (วันสุดท้ายคงเดิมแม้เป็นวันหยุด)", "strict"),
    "mode_civil": ("ตาม ป.พ.พ. มาตรา 193/8", "civil (CCC §193/8)"),
    "due": ("ครบกำหนด", "Due"),
    "removal_from": ("ปลดประกาศได้ตั้งแต่", "May come down from"),
    "status": ("ผล", "Status"),
    "extended": ("ขยายเวลาแล้ว", "extended"),
    "extensions": ("การขยายเวลา", "Extensions"),
    "timeline": ("ลำดับการดำเนินการ", "Timeline"),
    "who": ("ผู้ดำเนินการ", "Who"),
    "role": ("บทบาท", "Role"),
    "legal_date": ("วันที่มีผลตามกฎหมาย", "Legal date"),
    "recorded_at": ("เวลาที่บันทึก", "Recorded at"),
    "comment": ("หมายเหตุ", "Comment"),
    "reason": ("เหตุผล", "Reason"),
    "places": ("สถานที่ปิดประกาศ (บรรทัดละหนึ่งแห่ง)", "Posting places (one a line)"),
    "refused": ("การดำเนินการที่ถูกปฏิเสธ", "Refused attempts"),
    "reasons": ("เหตุที่ปฏิเสธ", "Reasons"),
    "actions": ("ดำเนินการ", "Actions"),
    "blocked": ("ยังทำไม่ได้วันนี้", "Not possible today"),
    "extend": ("ขยายกำหนดเวลา", "Extend the deadline"),
    "new_due_on": ("วันครบกำหนดใหม่", "New due date"),
    "create": ("สร้างแผน", "Create"),
    "budget": ("วงเงิน (บาท)", "Budget (baht)"),
    "amends": ("แผนที่จะแก้ไข", "The plan it amends"),
    "form_errors": ("ยังบันทึกไม่ได้ โปรดแก้ไขตามที่แจ้ง", "Not saved: please correct the form"),
    "saved": ("บันทึกแล้ว", "Saved"),
    "correct_title": ("แก้ไขข้อมูลที่บันทึกผิด", "Correct a wrong record"),
    "correct_value": ("ค่าที่ถูกต้อง", "The right value"),
    "correct_reason": ("เหตุผลที่แก้ไข", "Why it was wrong"),
    "correct_note": (
        "ข้อมูลเดิมไม่ถูกลบ: การแก้ไขเป็นรายการใหม่ในประวัติ และกำหนดเวลาจะคำนวณใหม่",
        "Nothing is erased: the correction is a record of its own, and deadlines are recounted",
    ),
    "corrects": ("แก้ไขรายการที่", "Corrects record"),
    "original": ("ข้อมูลเดิม", "as first recorded"),
    "trigger_date": ("วันที่เกิดเหตุ", "Trigger date"),
    "unread": ("ยังไม่อ่าน", "unread"),
    "mark_read": ("ทำเครื่องหมายว่าอ่านแล้ว", "Mark as read"),
    "mark_all_read": ("อ่านทั้งหมดแล้ว", "Mark all as read"),
    "no_alerts": ("ไม่มีการแจ้งเตือน", "No alerts"),
    "actor": ("ผู้ดำเนินการ (ชื่อผู้ใช้)", "Actor (username)"),
    "action": ("การดำเนินการ", "Action"),
    "from": ("ตั้งแต่วันที่", "From"),
    "to": ("ถึงวันที่", "To"),
    "next_page": ("หน้าถัดไป", "Next page"),
    "first_page": ("หน้าแรก", "First page"),
    "previous_page": ("หน้าก่อนหน้า", "Previous page"),
    "plans_total": ("ทั้งหมด {count} แผน", "{count} plans in all"),
    "csv": ("ดาวน์โหลด CSV", "Download CSV"),
    "no_results": ("ไม่พบรายการ", "Nothing found"),
    "on_time": ("ทันกำหนด", "on time"),
    "late": ("ล่าช้า", "late"),
    "open": ("ยังไม่ครบ", "open"),
    "cancelled": ("ยกเลิก", "cancelled"),
    "overdue": ("เลยกำหนด", "overdue"),
    "met": ("ทันกำหนด", "met"),
    "mode": ("วิธีนับ", "Counting"),
    "done_on": ("ดำเนินการเมื่อ", "done on"),
    "announced_on": ("วันที่ประกาศ", "Announced on"),
    "posted_on": ("วันที่ปิดประกาศ", "Posted on"),
    "completed_on": ("วันที่ครบกำหนดปิดประกาศ", "Posting completed on"),
    "intact": ("บันทึกครบถ้วน ไม่พบความผิดปกติ", "The records are intact"),
    "broken": ("พบความผิดปกติในบันทึก", "Problems found in the records"),
    "plans_checked": ("จำนวนแผนที่ตรวจ", "Plans checked"),
    "records_checked": ("จำนวนบันทึกที่ตรวจ", "Records checked"),
    "problem": ("ปัญหา", "Problem"),
    "detail": ("รายละเอียด", "Detail"),
    "full_name": ("ชื่อ-สกุล", "Full name"),
    "active": ("ใช้งาน", "Active"),
    "scope": ("ขอบเขต", "Scope"),
    "add_user": ("เพิ่มผู้ใช้", "Add a user"),
    "org_code": ("รหัสหน่วยงาน", "Organization code"),
    "org_search": ("หน่วยงาน (ชื่อหรือรหัส)", "Organization (name or code)"),
    "day": ("วันที่", "Day"),
    "name": ("ชื่อวัน", "Name"),
    "source": ("แหล่งที่มา (เช่น มติคณะรัฐมนตรี)", "Source (e.g. cabinet resolution)"),
    "change": ("การเปลี่ยนแปลง", "Change"),
    "overlay_add": ("เพิ่มเป็นวันหยุด", "Add a day off"),
    "overlay_remove": ("ให้เป็นวันทำการ", "Make it a working day"),
    "overlay_clear": ("ล้างรายการ (กลับไปใช้ปฏิทินตั้งต้น)", "Clear (back to the seed)"),
    "preview": ("ดูผลก่อนยืนยัน", "Preview"),
    "confirm": ("ยืนยัน", "Confirm"),
    "cancel": ("ยกเลิก", "Cancel"),
    "moves": ("กำหนดเวลาที่จะเปลี่ยน", "Deadlines that will move"),
    "no_moves": ("ไม่มีกำหนดเวลาที่เปิดอยู่ที่เปลี่ยน", "No open deadline moves"),
    "due_and_last": (
        "วันครบกำหนด (วันทำการสุดท้ายที่ควรดำเนินการ)",
        "due date (the last working day to act by)",
    ),
    "before": ("เดิม", "Before"),
    "after": ("ใหม่", "After"),
    "overlay_now": ("รายการวันหยุดเพิ่มเติมปัจจุบัน", "Overlay in force"),
    "notice_board": ("ป้ายประกาศแผนการดำเนินงาน", "Notice board of operational plans"),
    "notice_intro": (
        "แผนการดำเนินงานที่ปิดประกาศอยู่ในขณะนี้ (เว็บไซต์นี้เป็นสถานที่ปิดประกาศแห่งหนึ่ง)",
        "Plans currently posted (this website is one of the posting places)",
    ),
    "no_notices": ("ขณะนี้ไม่มีประกาศ", "No notices at present"),
    "board_reports": ("ผลการติดตามและประเมินผล", "Monitoring results"),
    "print": ("หน้าพิมพ์ประกาศ (A4)", "Printable notice (A4)"),
    "may_come_down": ("ปลดประกาศได้ตั้งแต่", "May come down from"),
    "not_found": ("ไม่พบหน้าที่ต้องการ", "Page not found"),
    "not_found_text": (
        "ไม่พบหน้านี้ หรือท่านไม่มีสิทธิ์เข้าถึง",
        "This page does not exist or is outside your scope",
    ),
    "forbidden": ("ไม่มีสิทธิ์", "Not allowed"),
    "csrf_refused": (
        "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง โปรดเปิดหน้าใหม่แล้วลองอีกครั้ง",
        "The form expired or is invalid; reload the page and try again",
    ),
    "bad_request": ("คำขอไม่ถูกต้อง", "Bad request"),
    "back_home": ("กลับหน้าหลัก", "Back to the dashboard"),
    "language": ("English", "ภาษาไทย"),
    "today": ("วันนี้", "Today"),
    "required": ("จำเป็น", "required"),
    "optional": ("ไม่บังคับ", "optional"),
    "date_hint": (
        "วว/ดด/ปปปป ปี พ.ศ. เช่น {example}",
        "DD/MM/YYYY, Buddhist-Era year, e.g. {example}",
    ),
    "stale": (
        "มีผู้ดำเนินการก่อนแล้ว ขณะนี้แผนอยู่ในสถานะ «{state}» โปรดตรวจสอบก่อนดำเนินการอีกครั้ง",
        "Someone acted first: the plan is now «{state}». Check it before acting again",
    ),
    "kept_input": ("ข้อความที่ท่านพิมพ์ไว้ (ยังไม่ได้บันทึก)", "What you typed (not saved)"),
    "confirm_irreversible": (
        "ข้าพเจ้าเข้าใจว่าขั้นตอนนี้ย้อนกลับไม่ได้",
        "I understand this cannot be undone",
    ),
    "confirm_required": (
        "โปรดยืนยันก่อน: ขั้นตอนนี้ย้อนกลับไม่ได้",
        "Please confirm first: this cannot be undone",
    ),
    "irreversible": ("ย้อนกลับไม่ได้", "cannot be undone"),
    "waiting_for": ("รอ{who}ดำเนินการ: {what}", "Waiting for {who}: {what}"),
    "possible_from": ("ทำได้ตั้งแต่ {day}", "possible from {day}"),
    "search_title": ("ค้นหาจากชื่อแผน", "Search by title"),
    "no_amendable": ("ยังไม่มีแผนที่ประกาศใช้แล้วให้แก้ไข", "No plan in force to amend"),
    "checked_at": ("ตรวจเมื่อ", "Checked at"),
    "latest_checkpoint": ("จุดตรวจสอบที่ลงนามล่าสุด", "Latest signed checkpoint"),
    "checkpoint_line": (
        "บันทึก {size} รายการ ลงนามเมื่อ {at} ด้วยกุญแจ {key}",
        "{size} records, signed {at} with key {key}",
    ),
    "checkpoint_cite": ("ข้อความที่ลงนาม (อ้างอิงได้)", "The signed note (citable)"),
    "no_checkpoint": ("ยังไม่มีจุดตรวจสอบที่ลงนาม", "No signed checkpoint yet"),
    "twin_ok": ("ยืนยันว่าต้องการสร้างแผนอีกฉบับ", "Yes, create another plan"),
}


LABELS.update(ADMIN_LABELS)
LABELS.update(REPORT_LABELS)


def label(key: str, lang: Lang, **values: object) -> str:
    th, en = LABELS[key]
    text = en if lang == "en" else th
    return text.format(**values) if values else text


def pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[1] if lang == "en" else pair[0]


def show_date(day: date | str | None, lang: Lang) -> str:
    """'9 พ.ย. 2561' in Thai; '9 Nov 2018 (BE 2561)' in English (an ISO text too: the value
    a correction records)."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    if day is None:
        return "-"
    if lang == "en":
        return format_english_date(day)
    return format_thai_date(day)


def show_instant(instant: datetime | None, lang: Lang) -> str:
    """'1 ธ.ค. 2569 เวลา 14:06 น.' (Thai local time) in Thai; in English the same instant."""
    if instant is None:
        return "-"
    return format_english_instant(instant) if lang == "en" else format_thai_instant(instant)


ROLE_LABELS: dict[str, tuple[str, str]] = {
    "staff": ("เจ้าหน้าที่", "Staff"),
    "committee": ("คณะกรรมการพัฒนาท้องถิ่น", "Committee"),
    "executive": ("ผู้บริหารท้องถิ่น", "Executive"),
    "auditor": ("ผู้ตรวจสอบ", "Auditor"),
    "admin": ("ผู้ดูแลระบบ", "Admin"),
    "system": ("ระบบ", "System"),
    "monitoring_committee": ("คณะกรรมการติดตามและประเมินผลแผนพัฒนาท้องถิ่น", "Monitoring committee"),
}
KIND_LABELS: dict[str, tuple[str, str]] = {
    "annual": ("แผนการดำเนินงานประจำปี", "Annual plan"),
    "supplementary": ("แผนการดำเนินงานเพิ่มเติม", "Supplementary plan"),
    "amendment": ("แผนการดำเนินงานแก้ไข", "Amendment"),
}
TRIGGER_LABELS: dict[str, tuple[str, str]] = {
    "annual_budget": ("ประกาศใช้งบประมาณรายจ่ายประจำปี", "Annual budget in force"),
    "supplementary_budget": ("งบประมาณรายจ่ายเพิ่มเติม", "Supplementary budget"),
    "accumulated_funds": ("อนุมัติจ่ายขาดเงินสะสม", "Accumulated funds spending"),
    "agency_projects": ("หน่วยงานอื่นแจ้งโครงการ", "Projects notified by agencies"),
    "amendment_decision": ("ผู้บริหารท้องถิ่นสั่งให้แก้ไข", "Executive decided to amend"),
}
# Who must act next, per state, for a person who has nothing to do on the plan now.
WAITING: dict[str, tuple[str, str]] = {
    "draft": (
        "รอเจ้าหน้าที่เสนอร่างแผนต่อคณะกรรมการพัฒนาท้องถิ่น",
        "Waiting for the staff to submit the draft to the committee",
    ),
    "committee_review": (
        "รอคณะกรรมการพัฒนาท้องถิ่นพิจารณา",
        "Waiting for the local development committee to review",
    ),
    "awaiting_announcement": (
        "รอผู้บริหารท้องถิ่นพิจารณาประกาศใช้",
        "Waiting for the executive to announce",
    ),
    "announced": ("รอเจ้าหน้าที่ปิดประกาศ", "Waiting for the staff to post the notice"),
    "posted": (
        "รอครบกำหนดปิดประกาศ แล้วเจ้าหน้าที่บันทึกว่าครบกำหนด",
        "Waiting for the posting period to end, then for the staff to record it",
    ),
}
# Actions that cannot be undone: confirmed by a checkbox, withdraw styled as danger.
IRREVERSIBLE = frozenset({"withdraw", "announce", "complete_posting"})
ACTION_LABELS: dict[str, tuple[str, str]] = {
    "create": ("สร้างแผน", "Create"),
    "submit": ("เสนอคณะกรรมการ", "Submit"),
    "return_for_revision": ("ส่งกลับแก้ไข", "Return for revision"),
    "approve": ("เห็นชอบ", "Approve"),
    "send_back": ("ส่งกลับ", "Send back"),
    "announce": ("ประกาศ", "Announce"),
    "post": ("ปิดประกาศ", "Post"),
    "complete_posting": ("ครบกำหนดปิดประกาศ", "Complete posting"),
    "withdraw": ("ยกเลิกแผน", "Withdraw"),
    "extend_deadline": ("ขยายกำหนดเวลา", "Extend deadline"),
    "correct": ("แก้ไขข้อมูลที่บันทึกผิด", "Correct a record"),
}
