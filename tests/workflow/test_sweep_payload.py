"""The sweep's alert payload put together from encoded parts (workflow/sweep_payload.py) is the
text `json.dumps` makes of the whole payload dict, the outbox column's own encoding: for every
kind of clock and alert, every series of a deadline walked over its life, both subjects (a plan,
a monitoring report) and titles that JSON must escape; and the message's kind and audience."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from models.enums import DeadlineKind, DeadlineStatus
from workflow.alert_policy import (
    Alert,
    AlertKind,
    AlertPolicy,
    DeadlineFacts,
    days_left,
    due_alerts,
)
from workflow.sweep_payload import pairs, payload, template
from workflow.table import CLOCKS

ALL = AlertPolicy(catch_up="all")
DUE = date(2025, 3, 16)  # a Sunday: the last working day before it is a warning of its own
SUBJECTS: list[dict[str, Any]] = [
    {"plan": {"title": 'แผนพัฒนาท้องถิ่น "ฉบับ" \\ 1\n', "kind": "supplementary", "number": 3,
              "fiscal_year_be": 2568, "state": "posted"}},
    {"report": {"id": 7, "round": "annual", "fiscal_year_be": 2567, "state": "draft"}},
    {},
]


def reference(
    alert: Alert, facts: DeadlineFacts, clause: str, start_on: date, today: date,
    auto_complete: bool, described: dict[str, Any],
) -> dict[str, Any]:
    """The payload as the sweep built it as a dict before the parts (the fourth round)."""
    clock = CLOCKS[facts.kind]
    return {
        "alert": alert.kind.value,
        "occurrence": alert.occurrence,
        "deadline_kind": facts.kind.value,
        "clause": clause,
        "duty_th": clock.label_th,
        "duty_en": clock.label_en,
        "start_on": start_on.isoformat(),
        "due_on": facts.due_on.isoformat(),
        "last_working_on": facts.last_working_on.isoformat(),
        "extended": facts.extended,
        "threshold_on": alert.on.isoformat(),
        "emitted_on": today.isoformat(),
        "days_left": days_left(facts.due_on, today),
        "days_before": alert.days_before,
        "week": alert.week,
        "auto_complete": alert.kind is AlertKind.MAY_COME_DOWN and auto_complete,
        **described,
    }


@pytest.mark.parametrize("kind", list(DeadlineKind))
@pytest.mark.parametrize("auto_complete", [True, False])
def test_the_parts_are_the_json_of_the_whole_payload(
    kind: DeadlineKind, auto_complete: bool
) -> None:
    facts = DeadlineFacts(kind, DUE, DUE - timedelta(days=2), DeadlineStatus.OPEN, extended=True)
    start_on = DUE - timedelta(days=30)
    seen: set[AlertKind] = set()
    for offset in range(-10, 30):
        today = DUE + timedelta(days=offset)
        for alert in due_alerts(facts, today=today, policy=ALL):
            seen.add(alert.kind)
            parts = template(alert, facts, today, auto_complete)
            assert parts.kind == f"alert.{alert.kind.value}"
            assert str(parts.audience) == json.dumps([role.value for role in alert.audience])
            for described in SUBJECTS:
                for clause in ("ข้อ 27", 'ข้อ 26 (2) "วรรค" \\'):
                    expected = reference(
                        alert, facts, clause, start_on, today, auto_complete, described
                    )
                    found = payload(parts, clause, start_on, pairs(described))
                    assert str(found) == json.dumps(expected)
    assert seen  # every kind of clock owes some alert over its life
