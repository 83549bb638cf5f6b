"""The `required` evidence policy (docs/domain.md "Evidence"): a person's action without its
evidence is refused through the guards (409 guard_refused); carried in the same request it
is attached to the action's record, never late; the scheduler's automatic completion is never
held to it; `recommended` (the default) refuses nothing. On both engines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from documents.evidence_images import public_copy
from models.blobs import BlobStore
from models.clock import today_bangkok
from models.enums import Action, DeadlineKind, PlanKind, PlanState
from models.evidence import Evidence
from models.plan import Plan
from tests import evidence_files as files
from tests.factories import Office, perform_action
from tests.helpers import PLACES, actor_for_rule, inputs_for, tick, walk
from workflow import uow
from workflow.commands import Context, extend_deadline
from workflow.errors import DomainError
from workflow.evidence import Attaching, Upload
from workflow.evidence_rules import EvidencePolicy, Requirement
from workflow.sweeper import SweepSettings, sweep
from workflow.table import find_rule

REQUIRED = EvidencePolicy(Requirement.REQUIRED)
# What each action of the walk carries when it must (a photo per posting place for post).
CARRIED: dict[Action, tuple[Upload, ...]] = {
    Action.APPROVE: (Upload(files.pdf("minutes"), 0, "minutes"),),
    Action.ANNOUNCE: (Upload(files.pdf("signed"), 0, "signed_notice"),),
    Action.POST: tuple(
        Upload(files.photo(i), 0, "posting_photo", place) for i, place in enumerate(PLACES)
    ),
    Action.COMPLETE_POSTING: (Upload(files.photo(9), 0, "takedown"),),
}


@pytest.fixture
def how(tmp_path: Path) -> Attaching:
    return Attaching(BlobStore(tmp_path / "evidence"), public_copy, max_bytes=1024 * 1024)


def _act(
    engine: Engine,
    ctx: Context,
    office: Office,
    plan: Plan,
    action: Action,
    how: Attaching,
    evidence: tuple[Upload, ...],
) -> Plan:
    rule = find_rule(plan.kind, plan.state, action, ctx.policy)
    assert rule is not None
    actor = office.by_role(actor_for_rule(office, rule))
    moved = perform_action(
        engine, ctx, plan, action, actor, evidence=evidence, attaching=how, **inputs_for(rule)
    )
    with Session(engine) as session:
        stored = session.get(Plan, moved.id)
        assert stored is not None
        return stored


def _refused(call: Callable[[], object]) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code + ":" + ",".join(r.code for r in caught.value.reasons)


def _evidence(engine: Engine, plan_id: int) -> list[Evidence]:
    with Session(engine) as session:
        return list(session.exec(select(Evidence).where(Evidence.plan_id == plan_id)))


def test_required_refuses_each_action_without_its_evidence(
    engine: Engine, ctx: Context, office: Office, how: Attaching
) -> None:
    strict = replace(ctx, evidence=REQUIRED)
    plan = walk(engine, strict, office, PlanKind.ANNUAL, PlanState.COMMITTEE_REVIEW)
    for action in (Action.APPROVE, Action.ANNOUNCE, Action.POST, Action.COMPLETE_POSTING):
        tick(ctx.clock, 31 if action is Action.COMPLETE_POSTING else 1)  # type: ignore[arg-type]
        code = _refused(partial(_act, engine, strict, office, plan, action, how, ()))
        assert code == "guard_refused:evidence_required", action
        if action is Action.POST:  # one photo for two places is still short
            short = CARRIED[action][:1]
            code = _refused(partial(_act, engine, strict, office, plan, action, how, short))
            assert code == "guard_refused:evidence_required"
        plan = _act(engine, strict, office, plan, action, how, CARRIED[action])
    assert plan.state is PlanState.POSTING_COMPLETE
    kept = _evidence(engine, plan.id or 0)
    assert sorted(e.kind.value for e in kept) == sorted(
        u.kind for uploads in CARRIED.values() for u in uploads
    )
    assert not any(e.late for e in kept)  # carried with the action: never late


def test_required_refuses_an_extension_without_its_letter(
    engine: Engine, ctx: Context, office: Office, how: Attaching
) -> None:
    strict = replace(ctx, evidence=REQUIRED)
    plan = walk(engine, strict, office, PlanKind.ANNUAL, PlanState.DRAFT)
    with Session(engine) as session:
        stored = session.get(Plan, plan.id)
        assert stored is not None
        version = stored.version
    new_due = today_bangkok(ctx.clock) + timedelta(days=200)

    def extend(evidence: tuple[Upload, ...]) -> object:
        return uow.run(
            engine,
            ctx.clock,
            lambda s: extend_deadline(
                s,
                strict,
                plan_id=plan.id or 0,
                kind=DeadlineKind.PREPARATION,
                actor=office.executive,
                expected_version=version,
                new_due_on=new_due,
                reason_text="รอผลการประชุมประชาคม",
                evidence=evidence,
                attaching=how,
            ),
        )

    assert _refused(lambda: extend(())) == "guard_refused:evidence_required"
    extend((Upload(files.pdf("letter"), 0, "extension_letter"),))
    assert [e.kind.value for e in _evidence(engine, plan.id or 0)] == ["extension_letter"]


def test_scheduler_completes_posting_without_a_takedown(
    engine: Engine, ctx: Context, office: Office, how: Attaching
) -> None:
    strict = replace(ctx, evidence=REQUIRED)
    plan = walk(engine, strict, office, PlanKind.ANNUAL, PlanState.COMMITTEE_REVIEW)
    for action in (Action.APPROVE, Action.ANNOUNCE, Action.POST):
        tick(ctx.clock)  # type: ignore[arg-type]
        plan = _act(engine, strict, office, plan, action, how, CARRIED[action])
    done: list[int] = []
    for _ in range(40):
        tick(ctx.clock)  # type: ignore[arg-type]
        done += sweep(engine, strict, settings=SweepSettings()).completed
    assert done == [plan.id]


def test_recommended_refuses_nothing(engine: Engine, ctx: Context, office: Office) -> None:
    assert ctx.evidence.requirement is Requirement.RECOMMENDED
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTING_COMPLETE)
    assert plan.state is PlanState.POSTING_COMPLETE
    assert _evidence(engine, plan.id or 0) == []
