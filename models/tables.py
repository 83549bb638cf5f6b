"""Every table, imported in one place so the metadata is complete."""

from models import base as _base  # noqa: F401  (naming convention first)
from models.account import AccountEvent
from models.alert import AlertCursor, Delivery, InAppAlert, SchedulerHeartbeat, UserContact
from models.audit import RefusedAttempt, TransitionRecord
from models.calendar import CalendarChange, HolidayOverlay
from models.content import (
    ContentDraft,
    ContentEdit,
    ContentEquipment,
    ContentProject,
    ContentStrategy,
    ContentVersion,
)
from models.correction import RecordCorrection
from models.deadline import Deadline, DeadlineExtension
from models.document import Document, DocumentFile, OrganizationChange, OrganizationSettings
from models.evidence import Evidence
from models.fault import DeadlineFault
from models.ita import ItaReminder
from models.log import LogCheckpoint, LogEntry, LogHead, LogLeaf
from models.membership import Membership
from models.organization import AuditorScope, Organization, User
from models.outbox import OutboxMessage
from models.plan import Plan
from models.progress import ProgressEntry
from models.report import MonitoringReport, ReportDocument, ReportRecord
from models.throttle import UnseenAttempt
from models.token import ApiToken, LoginFailure

__all__ = [
    "AccountEvent",
    "AlertCursor",
    "ApiToken",
    "AuditorScope",
    "CalendarChange",
    "ContentDraft",
    "ContentEdit",
    "ContentEquipment",
    "ContentProject",
    "ContentStrategy",
    "ContentVersion",
    "Deadline",
    "DeadlineExtension",
    "DeadlineFault",
    "Delivery",
    "Document",
    "DocumentFile",
    "Evidence",
    "HolidayOverlay",
    "InAppAlert",
    "ItaReminder",
    "LogCheckpoint",
    "LogEntry",
    "LogHead",
    "LogLeaf",
    "LoginFailure",
    "Membership",
    "MonitoringReport",
    "Organization",
    "OrganizationChange",
    "OrganizationSettings",
    "OutboxMessage",
    "Plan",
    "ProgressEntry",
    "RecordCorrection",
    "RefusedAttempt",
    "ReportDocument",
    "ReportRecord",
    "SchedulerHeartbeat",
    "TransitionRecord",
    "UnseenAttempt",
    "User",
    "UserContact",
]
