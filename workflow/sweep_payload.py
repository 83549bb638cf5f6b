"""The payload of an alert the sweep writes (workflow/sweep_unit.py): everything the texts need,
as it stood when the alert was written (docs/domain.md "Alerts"), as the outbox's JSON column
stores it.

The payload's JSON is the text `json.dumps` makes of the dict below (the column's own
encoding), put together from parts: what the alert, the deadline's dates and the day decide
(`Template`, derived with the alerts and cached with them: many clocks share their dates) is
encoded once, and a message encodes only its clause, its start date and its subject (the plan
or the report). tests/workflow/test_sweep_payload.py checks the text against `json.dumps` of
the whole dict. The keys, in their order:

    alert, occurrence, deadline_kind, clause, duty_th, duty_en, start_on, due_on,
    last_working_on, extended, threshold_on, emitted_on, days_left, days_before, week,
    auto_complete, then the subject's description ("plan" or "report").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.fastsql import Encoded
from workflow.alert_policy import Alert, AlertKind, DeadlineFacts, days_left
from workflow.table import CLOCKS


@dataclass(frozen=True, slots=True)
class Template:
    """The encoded parts of a payload around its clause and its start date, and the message's
    kind and audience (the same for every deadline of these dates)."""

    head: str  # '{"alert": …, "occurrence": …, "deadline_kind": …, "clause": '
    middle: str  # ', "duty_th": …, "duty_en": …, "start_on": '
    tail: str  # ', "due_on": …, … "auto_complete": …' (the subject and "}" follow)
    kind: str  # the message's kind: "alert.<alert kind>"
    audience: Encoded  # the roles' JSON, as the column's type encodes it (`json.dumps`)


def template(alert: Alert, facts: DeadlineFacts, today: date, auto_complete: bool) -> Template:
    """The parts of the payload that `alert`, the deadline's dates and `today` decide."""
    clock = CLOCKS[facts.kind]
    head = {
        "alert": alert.kind.value,
        "occurrence": alert.occurrence,
        "deadline_kind": facts.kind.value,
    }
    middle = {"duty_th": clock.label_th, "duty_en": clock.label_en}
    tail = {
        "due_on": facts.due_on.isoformat(),
        "last_working_on": facts.last_working_on.isoformat(),
        "extended": facts.extended,
        "threshold_on": alert.on.isoformat(),
        "emitted_on": today.isoformat(),
        "days_left": days_left(facts.due_on, today),
        "days_before": alert.days_before,
        "week": alert.week,
        "auto_complete": alert.kind is AlertKind.MAY_COME_DOWN and auto_complete,
    }
    return Template(
        f'{json.dumps(head)[:-1]}, "clause": ',
        f', {pairs(middle)}, "start_on": ',
        f", {pairs(tail)}",
        f"alert.{alert.kind.value}",
        Encoded(json.dumps([role.value for role in alert.audience])),
    )


def pairs(values: dict[str, Any]) -> str:
    """The members of a JSON object, without its braces ('"a": 1, "b": 2')."""
    return json.dumps(values)[1:-1]


def payload(template: Template, clause: str, start_on: date, subject: str) -> Encoded:
    """The payload's JSON: `subject` is the members of the subject's description (`pairs`)."""
    rest = f", {subject}}}" if subject else "}"
    start = json.dumps(start_on.isoformat())
    head, middle, tail = template.head, template.middle, template.tail
    return Encoded(f"{head}{json.dumps(clause)}{middle}{start}{tail}{rest}")
