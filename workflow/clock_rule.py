"""A legal clock of the workflow table (docs/domain.md "The three clocks", "Monitoring
reports"): the one shape of every clock row, plans' and monitoring reports'."""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import DeadlineKind, Role


@dataclass(frozen=True)
class ClockRule:
    """A legal clock: `days` counted from the date of the action that starts it.

    `reminded`: who holds the clock's duty, and so is reminded of it (the roles of the actions
    that close it: preparation ends with the executive's announcement after staff and committee
    work). `floor`: the clock is a minimum period, not a duty (clause 26 (2): the notice stays
    posted at least `days`): its date is the earliest day the closing action may happen, it is
    never late or overdue, and its alert says the period is over. `extendable_by`: who may
    extend it (clause 27); `extension_told`: who hears of an extension; `period_th` and
    `extender_th` name the period and the holder of that power in refusals. `until_december`:
    the clock is due 31 December of the year it starts in, whatever the counting mode (the
    yearly floor of clause 30 (5): "within December"); `days` is then only indicative.
    """

    kind: DeadlineKind
    days: int
    clause: str
    label_th: str
    label_en: str
    reminded: tuple[Role, ...]
    floor: bool = False
    extendable_by: frozenset[Role] = frozenset()
    extension_told: tuple[Role, ...] = ()
    period_th: str = ""
    extender_th: str = ""
    until_december: bool = False
