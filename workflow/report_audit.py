"""The hash chain of each monitoring report's records (docs/integrity.md "Monitoring reports"):
the same chain as a plan's (workflow/audit.py), over the report's own records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from models.enums import Action, ReportState
from workflow.actors import Actor
from workflow.audit import record_hash

GENESIS = "0" * 64
HASHED = (
    "report_id", "organization_id", "seq", "action", "from_state", "to_state", "actor_user_id",
    "actor_username", "actor_role", "effective_on", "recorded_at", "comment", "request_id",
    "details", "prev_hash",
)


def report_record_hash(values: dict[str, Any]) -> str:
    """SHA-256 of the record's columns (all but id and hash) in canonical JSON: the plans'
    record hash (workflow/audit.py) over the report's columns."""
    return record_hash(**{name: values[name] for name in HASHED})


def next_report_record(
    *,
    report_id: int,
    organization_id: int,
    version: int,
    head_hash: str,
    action: Action,
    from_state: ReportState | None,
    to_state: ReportState,
    actor: Actor,
    effective_on: date,
    recorded_at: datetime,
    comment: str | None,
    request_id: str | None,
    details: dict[str, Any],
) -> dict[str, Any]:
    """The column values of the record that follows a report at `version`, hash included."""
    values: dict[str, Any] = {
        "report_id": report_id,
        "organization_id": organization_id,
        "seq": version + 1,
        "action": action.value,
        "from_state": None if from_state is None else from_state.value,
        "to_state": to_state.value,
        "actor_user_id": actor.user_id,
        "actor_username": actor.username,
        "actor_role": actor.role,
        "effective_on": effective_on,
        "recorded_at": recorded_at,
        "comment": comment,
        "request_id": request_id,
        "details": details,
        "prev_hash": head_hash,
    }
    values["hash"] = report_record_hash(values)
    return values
