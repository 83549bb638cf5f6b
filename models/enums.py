"""String enums stored as text: the vocabulary shared by the tables and the workflow."""

from enum import StrEnum


class OrgType(StrEnum):
    """Types of local administrative organization (อปท.)."""

    SAO = "sao"  # องค์การบริหารส่วนตำบล (อบต.)
    MUNICIPALITY = "municipality"  # เทศบาล
    PAO = "pao"  # องค์การบริหารส่วนจังหวัด (อบจ.)


class Role(StrEnum):
    STAFF = "staff"
    COMMITTEE = "committee"
    EXECUTIVE = "executive"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"
    # คณะกรรมการติดตามและประเมินผลแผนพัฒนาท้องถิ่น (clause 28; docs/domain.md "Monitoring reports")
    MONITORING_COMMITTEE = "monitoring_committee"


class PlanKind(StrEnum):
    ANNUAL = "annual"
    SUPPLEMENTARY = "supplementary"
    AMENDMENT = "amendment"


class PlanState(StrEnum):
    DRAFT = "draft"
    COMMITTEE_REVIEW = "committee_review"
    AWAITING_ANNOUNCEMENT = "awaiting_announcement"
    ANNOUNCED = "announced"
    POSTED = "posted"
    POSTING_COMPLETE = "posting_complete"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    CREATE = "create"
    SUBMIT = "submit"
    RETURN_FOR_REVISION = "return_for_revision"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    ANNOUNCE = "announce"
    POST = "post"
    COMPLETE_POSTING = "complete_posting"
    WITHDRAW = "withdraw"
    # A monitoring report only: the executive presents it to the council and the development
    # committee (clause 30 (5)).
    PRESENT = "present"
    # Not a move between states: the executive extends the preparation deadline (clause 27).
    EXTEND_DEADLINE = "extend_deadline"
    # Not a move either: a field of an earlier record is corrected by a record of its own.
    CORRECT = "correct"


class TriggerKind(StrEnum):
    """The event that starts a plan's preparation clock."""

    ANNUAL_BUDGET = "annual_budget"  # ข้อบัญญัติ/เทศบัญญัติงบประมาณรายจ่ายประจำปี
    SUPPLEMENTARY_BUDGET = "supplementary_budget"  # งบประมาณรายจ่ายเพิ่มเติม
    ACCUMULATED_FUNDS = "accumulated_funds"  # จ่ายขาดเงินสะสม
    AGENCY_PROJECTS = "agency_projects"  # แจ้งโครงการจากหน่วยงานอื่น
    AMENDMENT_DECISION = "amendment_decision"  # ผู้บริหารท้องถิ่นสั่งให้แก้ไข


class DeadlineKind(StrEnum):
    PREPARATION = "preparation"
    POSTING = "posting"
    MINIMUM_POSTING = "minimum_posting"
    # A monitoring report's (clause 30 (5)): announce within 15 days from the presentation, and
    # the yearly floor (at least once a year, within December).
    REPORT_ANNOUNCEMENT = "report_announcement"
    YEARLY_REPORT = "yearly_report"


class DeadlineStatus(StrEnum):
    OPEN = "open"
    MET = "met"  # closed on or before the due date
    LATE = "late"  # closed after the due date
    CANCELLED = "cancelled"  # the plan was withdrawn


class CountingMode(StrEnum):
    STRICT = "strict"
    CIVIL = "civil"


class OverlayKind(StrEnum):
    ADD = "add"  # a day off the package lacks (cabinet special day, regional holiday)
    REMOVE = "remove"  # a day the package lists that is not a government day off


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Language(StrEnum):
    """The language of a person's alerts (Thai by default)."""

    TH = "th"
    EN = "en"


class ProgressStatus(StrEnum):
    """An item's progress (docs/domain.md "Progress"; labels in workflow/progress_rules.py)."""

    NOT_STARTED = "not_started"  # ยังไม่ได้ดำเนินการ
    IN_PROGRESS = "in_progress"  # อยู่ระหว่างดำเนินการ
    COMPLETED = "completed"  # แล้วเสร็จ
    CANCELLED = "cancelled"  # ยกเลิก


class ItemKind(StrEnum):
    """What a progress entry is about: a project (ผด.02) or an equipment row (ผด.02/1)."""

    PROJECT = "project"
    EQUIPMENT = "equipment"


class ReportRound(StrEnum):
    """A monitoring report's round (docs/domain.md "Monitoring reports")."""

    HALF = "half"  # October–March of the fiscal year
    ANNUAL = "annual"  # the whole fiscal year


class ReportState(StrEnum):
    """A monitoring report's states (workflow/table_reports.py)."""

    DRAFT = "draft"
    MONITORING_REVIEW = "monitoring_review"
    AWAITING_PRESENTATION = "awaiting_presentation"
    PRESENTED = "presented"
    ANNOUNCED = "announced"
    POSTED = "posted"
    POSTING_COMPLETE = "posting_complete"
    WITHDRAWN = "withdrawn"
