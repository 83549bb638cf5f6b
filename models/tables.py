"""Every table, imported in one place so the metadata is complete."""

from models import base as _base  # noqa: F401  (naming convention first)
from models.audit import RefusedAttempt, TransitionRecord
from models.calendar import CalendarChange, HolidayOverlay
from models.deadline import Deadline, DeadlineExtension
from models.organization import AuditorScope, Organization, User
from models.outbox import OutboxMessage
from models.plan import Plan
from models.token import ApiToken, LoginFailure

__all__ = [
    "ApiToken",
    "AuditorScope",
    "CalendarChange",
    "Deadline",
    "DeadlineExtension",
    "HolidayOverlay",
    "LoginFailure",
    "Organization",
    "OutboxMessage",
    "Plan",
    "RefusedAttempt",
    "TransitionRecord",
    "User",
]
