"""The hash chain of each plan's records, and the verification auditors run.

Each record's hash covers its content and the previous record's hash, so a changed, inserted
or deleted record breaks the chain from there on. The plan row keeps the head (version and
hash), so deleting the newest records is found too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from models.audit import TransitionRecord
from models.blobs import BlobStore
from models.enums import Action, PlanKind, PlanState
from models.fastsql import Encoded
from models.plan import Plan
from workflow.actors import Actor
from workflow.calendar import WorkingCalendar
from workflow.table import RULES

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    """The canonical JSON of a value: keys sorted, no spaces, UTF-8 text as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def record_hash(
    *,
    plan_id: int | None = None,
    report_id: int | None = None,
    organization_id: int,
    seq: int,
    action: str,
    from_state: str | None,
    to_state: str,
    actor_user_id: int | None,
    actor_username: str,
    actor_role: str,
    effective_on: date,
    recorded_at: datetime,
    comment: str | None,
    request_id: str | None,
    details: dict[str, Any] | str,
    prev_hash: str,
) -> str:
    """SHA-256 of the record's canonical JSON (every field and the previous hash). `details`
    may be given as its canonical JSON already (`canonical(details)`), so a command encodes it
    once for the hash, the column and the outbox message. A monitoring report's record names
    its `report_id` where a plan's names its `plan_id` (workflow/report_audit.py)."""
    # The canonical text, spliced around the details (keys sort as: action … comment, details,
    # effective_on … to_state): exactly canonical() of the whole (tests/workflow/test_audit.py).
    before = {
        "action": str(action),
        "actor_role": str(actor_role),
        "actor_user_id": actor_user_id,
        "actor_username": actor_username,
        "comment": comment,
    }
    after = {
        "effective_on": effective_on.isoformat(),
        "from_state": None if from_state is None else str(from_state),
        "organization_id": organization_id,
        **({"plan_id": plan_id} if report_id is None else {"report_id": report_id}),
        "prev_hash": prev_hash,
        "recorded_at": recorded_at.isoformat(),
        "request_id": request_id,
        "seq": seq,
        "to_state": str(to_state),
    }
    encoded = details if isinstance(details, str) else canonical(details)
    text = f'{canonical(before)[:-1]},"details":{encoded},{canonical(after)[1:]}'
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_of(record: TransitionRecord) -> str:
    return record_hash(
        plan_id=record.plan_id,
        organization_id=record.organization_id,
        seq=record.seq,
        action=record.action,
        from_state=record.from_state,
        to_state=record.to_state,
        actor_user_id=record.actor_user_id,
        actor_username=record.actor_username,
        actor_role=record.actor_role,
        effective_on=record.effective_on,
        recorded_at=record.recorded_at,
        comment=record.comment,
        request_id=record.request_id,
        details=record.details,
        prev_hash=record.prev_hash,
    )


def next_record(
    *,
    plan_id: int,
    organization_id: int,
    version: int,
    head_hash: str,
    action: Action,
    from_state: PlanState | None,
    to_state: PlanState,
    actor: Actor,
    effective_on: date,
    recorded_at: datetime,
    comment: str | None,
    request_id: str | None,
    details: dict[str, Any] | Encoded,
) -> dict[str, Any]:
    """The column values of the record that follows a plan at `version` with head `head_hash`,
    its hash included. `details` given `Encoded` (its canonical JSON) is encoded no more: the
    hash and the column share the one text."""
    values: dict[str, Any] = {
        "plan_id": plan_id,
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
        "details": details if isinstance(details, Encoded) else Encoded(canonical(details)),
        "prev_hash": head_hash if version else GENESIS,
    }
    values["hash"] = record_hash(**values)
    return values


# --- Verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """One thing verification found: where (the plan, the record's seq, and the table, row
    and field that differ) and what (a stable `problem` code and a sentence)."""

    plan_id: int | None  # None: a row of no plan (the holiday overlay)
    seq: int | None
    problem: str
    detail: str
    table: str = "transition_record"
    row_id: int | None = None
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan_id,
            "seq": self.seq,
            "problem": self.problem,
            "detail": self.detail,
            "table": self.table,
            "row_id": self.row_id,
            "field": self.field,
        }


@dataclass
class VerifyReport:
    plans_checked: int = 0
    records_checked: int = 0
    breaks: list[Break] = field(default_factory=list)
    deadlines_checked: int = 0
    extensions_checked: int = 0
    calendar_changes_checked: int = 0
    content_versions_checked: int = 0
    drafts_checked: int = 0
    evidence_checked: int = 0
    evidence_files_checked: int = 0
    corrections_checked: int = 0  # correction records and rows (workflow/verify_corrections.py)
    documents_checked: int = 0  # stored papers re-hashed (workflow/verify_documents.py)
    progress_checked: int = 0  # progress entries (workflow/verify_progress.py)
    reports_checked: int = 0  # monitoring reports, their records and clocks (verify_reports)
    # "table.field" → how many rows verification could not check that field of (a chain
    # created before its creation record held the field): not a break, but not vouched for.
    unchecked: dict[str, int] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return not self.breaks


def _legal_moves() -> set[tuple[str, str | None, str, str]]:
    """(kind, from, action, to) for every row under either amendment setting."""
    moves = set()
    for rule in RULES:
        for kind in rule.kinds:
            source = None if rule.source is None else rule.source.value
            moves.add((kind.value, source, rule.action.value, rule.dest.value))
    return moves


LEGAL_MOVES = _legal_moves()


def replay(plan: Plan, records: list[TransitionRecord]) -> tuple[str | None, list[Break]]:
    """Walk one plan's records: chain links, hashes, legal moves; return the replayed state."""
    assert plan.id is not None
    breaks: list[Break] = []
    state: str | None = None
    prev = GENESIS
    kind = PlanKind(plan.kind).value
    for expected_seq, record in enumerate(records, start=1):

        def broken(problem: str, detail: str, rec: TransitionRecord = record) -> None:
            breaks.append(Break(plan.id, rec.seq, problem, detail, row_id=rec.id))

        if record.seq != expected_seq:
            broken("sequence_gap", f"expected record {expected_seq}, found {record.seq}")
        if record.prev_hash != prev:
            broken("chain_broken", "prev_hash does not match the previous record's hash")
        if hash_of(record) != record.hash:
            broken("hash_mismatch", "the record's content does not match its hash")
        if record.from_state != state:
            broken(
                "state_mismatch", f"record starts from {record.from_state}, replay is at {state}"
            )
        if record.action in (Action.EXTEND_DEADLINE.value, Action.CORRECT.value):
            legal = record.to_state == record.from_state  # no move: an extension, a correction
        else:
            legal = (kind, record.from_state, record.action, record.to_state) in LEGAL_MOVES
        if not legal:
            broken("illegal_move", f"{record.from_state} -{record.action}-> {record.to_state}")
        state, prev = record.to_state, record.hash
    if records and (plan.head_hash != prev or plan.version != len(records)):
        breaks.append(
            Break(
                plan.id,
                None,
                "head_mismatch",
                f"plan head is version {plan.version}, chain has {len(records)} records",
                "plan",
                plan.id,
                "head_hash",
            )
        )
    if not records:
        detail = "the plan has no records"
        breaks.append(Break(plan.id, None, "no_history", detail, "plan", plan.id))
    if state is not None and state != PlanState(plan.state).value:
        breaks.append(
            Break(
                plan.id,
                None,
                "state_mismatch",
                f"plan is {PlanState(plan.state).value}, history replays to {state}",
                "plan",
                plan.id,
                "state",
            )
        )
    return state, breaks


def verify(
    session: Session,
    *,
    plan_ids: list[int] | None = None,
    calendar: WorkingCalendar | None = None,
    store: BlobStore | None = None,
) -> VerifyReport:
    """Replay every plan (or the given ones) and check every row an auditor reads against the
    history: the plan row, its deadlines and extensions, and (unscoped) the holiday overlay
    (`workflow.verify_run`). `calendar`: the calendar in force, by default the database's;
    `store`: the evidence store, whose files are re-hashed (None: the entries only)."""
    from workflow.verify_run import run

    return run(session, plan_ids=plan_ids, calendar=calendar, store=store)


# --- Chain heads: evidence against deleting the newest records ------------------------------


@dataclass(frozen=True)
class Head:
    plan_id: int
    version: int
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {"plan_id": self.plan_id, "version": self.version, "hash": self.hash}


def chain_heads(session: Session) -> list[Head]:
    """Every plan's newest record (seq and hash), for an auditor to keep outside the system."""
    query = select(Plan.id, Plan.version, Plan.head_hash).order_by(col(Plan.id))
    return [Head(plan_id or 0, version, head) for plan_id, version, head in session.exec(query)]


def check_heads(session: Session, saved: list[Head]) -> list[Break]:
    """Each head an auditor saved earlier must still be in its chain, unchanged: a record
    deleted or rewritten since then (together with the plan row) shows up here."""
    breaks = []
    for head in saved:
        found = session.exec(
            select(TransitionRecord.hash).where(
                TransitionRecord.plan_id == head.plan_id, TransitionRecord.seq == head.version
            )
        ).first()
        if found != head.hash:
            problem = "head_missing" if found is None else "head_changed"
            breaks.append(
                Break(
                    head.plan_id,
                    head.version,
                    problem,
                    "a record saved as a chain head is no longer in the chain"
                    if found is None
                    else "the saved chain head has a different hash",
                )
            )
    return breaks
