"""The legal clocks of the bench's plans, computed by the project's own deadline code
(workflow.deadlines.terms under the package's holiday calendar, strict counting), so that the
rows and the records' snapshots are those the commands would write and `audit verify` passes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.enums import DeadlineKind, DeadlineStatus
from workflow.calendar import WorkingCalendar
from workflow.deadlines import Terms, closed_status, terms
from workflow.policy import WorkflowPolicy

CALENDAR = WorkingCalendar()  # the package seed: the bench's databases have no overlay
POLICY = WorkflowPolicy()
# (clock, the action that starts it, the action that closes it)
CLOCKS = (
    (DeadlineKind.PREPARATION, "create", "announce"),
    (DeadlineKind.POSTING, "announce", "post"),
    (DeadlineKind.MINIMUM_POSTING, "post", "complete_posting"),
)


@dataclass(frozen=True)
class Spec:
    """One clock of a plan's life: its terms, and when it is opened and closed (step index)."""

    terms: Terms
    opened: int
    closed: int | None
    closed_on: date | None
    status: str  # once closed

    def snapshot(self, step: int) -> dict[str, Any]:
        """The clock as the record of `step` lists it (workflow.command_base.snapshot)."""
        done = self.closed is not None and self.closed <= step
        return {
            "kind": self.terms.kind.value,
            "start_on": self.terms.start_on.isoformat(),
            "due_on": self.terms.due_on.isoformat(),
            "last_working_on": self.terms.last_working_on.isoformat(),
            "mode": POLICY.counting_mode.value,
            "status": self.status if done else DeadlineStatus.OPEN.value,
            "closed_on": self.closed_on.isoformat() if done and self.closed_on else None,
        }


def specs(trigger: date, actions: Sequence[str], day_of: Callable[[str], date]) -> list[Spec]:
    """The clocks a life of `actions` starts, in the order they start."""
    found = []
    for kind, opener, closer in CLOCKS:
        if opener not in actions:
            continue
        start = trigger if opener == "create" else day_of(opener)
        fresh = terms(kind, start, policy=POLICY, calendar=CALENDAR)
        closed = actions.index(closer) if closer in actions else None
        closed_on = day_of(closer) if closed is not None else None
        status = (
            closed_status(kind, fresh.due_on, closed_on).value
            if closed_on is not None
            else DeadlineStatus.OPEN.value
        )
        found.append(Spec(fresh, actions.index(opener), closed, closed_on, status))
    return found


def row(spec: Spec, created_at: str, closed_at: str | None) -> tuple[Any, ...]:
    """The deadline row's values after the plan id, in bench.audit_data.DEADLINE_SQL's order."""
    t = spec.terms
    return (
        t.kind.value,
        t.start_on.isoformat(),
        t.days,
        t.clause,
        t.base_due_on.isoformat(),
        t.due_on.isoformat(),
        t.last_working_on.isoformat(),
        spec.status if spec.closed is not None else DeadlineStatus.OPEN.value,
        spec.closed_on.isoformat() if spec.closed_on else None,
        created_at,
        closed_at,
    )
