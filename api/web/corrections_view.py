"""What the plan page's timeline needs to show corrections (docs/domain.md "Corrections"):
each original struck through beside the value in force, and the correction forms a person may
use on each record (the workflow table's rows for their role; the command still decides)."""

from __future__ import annotations

from typing import Any

from api import auth
from models.audit import TransitionRecord
from models.enums import DeadlineStatus
from models.store import PlanWithClocks
from workflow.corrected import CORRECT, corrections_by_seq
from workflow.table_corrections import CORRECTIONS, Correction


def timeline_of(
    records: list[TransitionRecord], who: auth.Principal, plan: PlanWithClocks
) -> dict[str, Any]:
    """For the timeline: seq → the values in force of its corrected fields; seq → the rows
    of the table this person may use on it (a date only while the clock it started runs, as
    the command's guard says); the labels of the corrections."""
    closed = {c.kind for c in plan.clocks if c.status is not DeadlineStatus.OPEN}
    roles = set(who.actor.roles_now)
    mine: dict[int, list[Correction]] = {}
    for record in records:
        rows = [
            c
            for c in CORRECTIONS
            if c.action.value == record.action and roles & c.roles and not closed & set(c.restarts)
        ]
        if rows:
            mine[record.seq] = rows
    labels = {(c.action.value, c.field): (c.label_th, c.label_en) for c in CORRECTIONS}
    return {
        "in_force": corrections_by_seq(records),
        "correctable": mine,
        "correction_labels": labels,
        "correct_action": CORRECT,
    }
