"""A plan's history: its hash-chained records, refused attempts, and its state at an instant."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from api.schemas.common import ReasonOut
from api.schemas.plans import format_or_dash
from models.audit import RefusedAttempt, TransitionRecord
from models.enums import PlanState
from workflow.corrected import corrections_by_seq
from workflow.scoped_reads import PlanHistory, StateAt


def record_fields(r: TransitionRecord) -> dict[str, Any]:
    """A transition record as its read models show it (`RecordRead`, and the auditors'
    `TransitionRead`, which leaves out the fields it does not declare)."""
    return {
        "id": r.id or 0,
        "plan_id": r.plan_id,
        "organization_id": r.organization_id,
        "seq": r.seq,
        "action": r.action,
        "from_state": r.from_state,
        "to_state": r.to_state,
        "actor_username": r.actor_username,
        "actor_role": str(r.actor_role),
        "effective_on": r.effective_on,
        "effective_on_th": format_or_dash(r.effective_on),
        "recorded_at": r.recorded_at,
        "comment": r.comment,
        "request_id": r.request_id,
        "details": r.details,
        "prev_hash": r.prev_hash,
        "hash": r.hash,
    }


class RecordRead(BaseModel):
    id: int
    plan_id: int
    organization_id: int
    seq: int
    action: str
    from_state: str | None
    to_state: str
    actor_username: str
    actor_role: str
    effective_on: date
    effective_on_th: str
    recorded_at: datetime
    comment: str | None
    request_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str
    in_force: dict[str, Any] = Field(
        default_factory=dict,
        description="the fields later corrections set right: field → the value in force "
        "(the record itself keeps what it first said; docs/domain.md \"Corrections\")",
    )

    @classmethod
    def of(cls, r: TransitionRecord, in_force: dict[str, Any] | None = None) -> RecordRead:
        return cls(**record_fields(r), in_force=in_force or {})


class RefusedRead(BaseModel):
    id: int
    action: str
    actor_username: str
    actor_role: str
    effective_on: date | None
    attempted_at: datetime
    code: str
    reasons: list[ReasonOut]
    request_id: str | None

    @classmethod
    def of(cls, r: RefusedAttempt) -> RefusedRead:
        return cls(
            id=r.id or 0,
            action=r.action,
            actor_username=r.actor_username,
            actor_role=str(r.actor_role),
            effective_on=r.effective_on,
            attempted_at=r.attempted_at,
            code=r.code,
            reasons=[ReasonOut(**x) for x in r.reasons],
            request_id=r.request_id,
        )


class HistoryRead(BaseModel):
    plan_id: int
    state: PlanState
    version: int
    records: list[RecordRead]
    refused: list[RefusedRead]

    @classmethod
    def of(cls, h: PlanHistory) -> HistoryRead:
        corrected = corrections_by_seq(h.records)
        return cls(
            plan_id=h.plan.id or 0,
            state=PlanState(h.plan.state),
            version=h.plan.version,
            records=[RecordRead.of(r, corrected.get(r.seq)) for r in h.records],
            refused=[RefusedRead.of(r) for r in h.refused],
        )


class StateAtRead(BaseModel):
    plan_id: int
    at: datetime
    state: PlanState | None = Field(description="null: the plan did not exist yet")
    version: int

    @classmethod
    def of(cls, s: StateAt) -> StateAtRead:
        return cls(plan_id=s.plan_id, at=s.at, state=s.state, version=s.version)
