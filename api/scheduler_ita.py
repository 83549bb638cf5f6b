"""The scheduler's daily pass of the transparency checklist's reminders (workflow/ita_reminders.py,
docs/operations.md "Channels")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.clock import BANGKOK
from workflow.ita_reminders import ReminderReport, reminder_pass

if TYPE_CHECKING:
    from api.scheduler import Ticks


def ita_tick(ticks: Ticks) -> ReminderReport | None:
    """Once per process and local day, from `ita_reminder_time` (Bangkok): the pass, then a
    delivery when it wrote anything. The rows make each reminder once over all processes."""
    cfg = ticks.settings
    local = ticks.clock.now().astimezone(BANGKOK)
    if not cfg.ita_reminders_enabled or ticks.ita_done_on == local.date():
        return None
    if local.time() < cfg.ita_reminder_time:
        return None
    report = reminder_pass(ticks.engine, ticks.clock, days_before=cfg.ita_reminder_days_before)
    ticks.ita_done_on = local.date()
    if report.written:
        ticks.deliver()
    return report
